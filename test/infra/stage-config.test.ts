import { parseStageConfig } from '../../lib/config';
import { retentionDays } from '../../lib/constructs/socle-function';
import { createSocleApp } from '../../lib/socle-stack';

// These fail before any function is bundled, so this file synthesizes nothing.
describe('stage configuration from CDK context', () => {
  test('defaults fill everything but the stage and the portal origin', () => {
    expect(parseStageConfig({ stage: 'prod', portalOrigin: 'https://portail.example.fr' })).toEqual({
      stage: 'prod',
      portalOrigin: 'https://portail.example.fr',
      rawUploadRetentionDays: 30,
      maxUploadBytes: 100 * 1024 * 1024,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetentionDays: 30,
    });
  });

  test('`-c key=value` strings are coerced to numbers', () => {
    const config = parseStageConfig({ stage: 'prod', portalOrigin: 'https://portail.example.fr', rawUploadRetentionDays: '7' });
    expect(config.rawUploadRetentionDays).toBe(7);
  });

  test('a bad stage name is rejected with a message naming the key', () => {
    expect(() => parseStageConfig({ stage: 'Prod!', portalOrigin: 'https://portail.example.fr' })).toThrow(
      /^Invalid CDK context: stage: .*lowercase letters, digits and dashes/,
    );
  });

  test('a portal origin that is not a URL is rejected with a message naming the key', () => {
    expect(() => parseStageConfig({ stage: 'prod', portalOrigin: 'portail' })).toThrow(/^Invalid CDK context: portalOrigin: /);
  });

  test('a missing portal origin is rejected', () => {
    expect(() => parseStageConfig({ stage: 'prod' })).toThrow(/portalOrigin/);
  });

  test('the app refuses to build a stack from a bad context', () => {
    expect(() => createSocleApp({ context: { stage: 'prod', portalOrigin: 'not a url' } })).toThrow(/^Invalid CDK context: portalOrigin/);
    expect(() => createSocleApp({ context: { stage: '', portalOrigin: 'https://portail.example.fr' } })).toThrow(/^Invalid CDK context: stage/);
  });

  test('a log retention CloudWatch does not offer is rejected with the allowed values', () => {
    expect(retentionDays(30)).toBe(30);
    expect(() => retentionDays(31)).toThrow(/logRetentionDays: 31 is not a CloudWatch Logs retention \(one of .*30, 60/);
  });
});
