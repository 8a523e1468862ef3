import { createHash } from 'node:crypto';
import { bearerToken, generateToken, hashToken, sameHash } from '../../../functions/domain/auth/token';

describe('tokens', () => {
  it('are random, URL-safe and carry at least 128 bits', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateToken));
    expect(tokens.size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^socle_[A-Za-z0-9_-]+$/);
      expect(Buffer.from(t.slice('socle_'.length), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('are stored as their SHA-256 hex digest', () => {
    expect(hashToken('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('abc')).not.toBe(hashToken('abd'));
  });

  it('compare hashes in constant time and reject different lengths', () => {
    expect(sameHash(hashToken('x'), hashToken('x'))).toBe(true);
    expect(sameHash(hashToken('x'), hashToken('y'))).toBe(false);
    expect(sameHash(hashToken('x'), 'abcd')).toBe(false);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer socle_abc')).toBe('socle_abc');
    expect(bearerToken('bearer   socle_abc ')).toBe('socle_abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
