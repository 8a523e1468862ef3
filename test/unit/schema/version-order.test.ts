import { compareVersions, versionOrder } from '../../../functions/domain/schema/version-order';

describe('the order of schema version numbers', () => {
  it('sorts as people read them, not as strings', () => {
    const shuffled = ['2.0.0', '1.10.0', 'v1.9.2', '1.9', '2.0.0-rc.1', '10.0.0', '1.9.10', '0.1.5', '2.0.0-beta'];
    expect([...shuffled].sort(compareVersions)).toEqual(['0.1.5', '1.9', 'v1.9.2', '1.9.10', '1.10.0', '2.0.0-beta', '2.0.0-rc.1', '2.0.0', '10.0.0']);
  });

  it('ranks a pre-release by its numbers (rc.10 after rc.2), and a suffix that is no pre-release after its release', () => {
    expect(['2.0.0', '2.0.0-rc.10', '2.0.0-rc.2', '2.0.0-beta'].sort(compareVersions)).toEqual(['2.0.0-beta', '2.0.0-rc.2', '2.0.0-rc.10', '2.0.0']);
    expect(['1.0.1', '1.0.0 (corrigé)', '1.0.0', '1.0.0.final'].sort(compareVersions)).toEqual(['1.0.0', '1.0.0 (corrigé)', '1.0.0.final', '1.0.1']);
  });

  it('ranks equal what differs only in writing', () => {
    expect(compareVersions('2.0', '2.0.0')).toBe(0);
    expect(compareVersions('v1.1.6', '1.1.6')).toBe(0);
    expect(compareVersions('1.01.0', '1.1.0')).toBe(0);
    expect(compareVersions('1.0.0+build.5', '1.0.0')).toBe(0);
  });

  it('puts a number that is not a version before every release, and keeps it apart from another', () => {
    expect(compareVersions('brouillon', '0.0.1')).toBeLessThan(0);
    expect(compareVersions('brouillon', 'essai')).not.toBe(0);
  });

  it('gives keys that compare as plain strings (DynamoDB condition expressions)', () => {
    expect(versionOrder('1.10.0') > versionOrder('1.9.2')).toBe(true);
    expect(versionOrder('2.0.0') > versionOrder('2.0.0-rc.1')).toBe(true);
    expect(versionOrder('2.0.1') > versionOrder('2.0.0')).toBe(true);
    expect(versionOrder('2.0.0.1') > versionOrder('2.0.0')).toBe(true);
  });
});
