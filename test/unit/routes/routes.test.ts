import { readFileSync } from 'node:fs';
import path from 'node:path';
import { matchRoute, routeKey, routes } from '../../../lib/routes';

const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

describe('route table', () => {
  it('has no duplicate route keys or operations per handler', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    const ops = routes.map((r) => `${r.handler}.${r.operation}`);
    expect(new Set(ops).size).toBe(ops.length);
  });

  it.each(routes.map((r) => [routeKey(r)]))('README documents %s', (key) => {
    expect(readme).toContain(`\`${key}\``);
  });

  it('matches literal segments before parameters and reports allowed methods', () => {
    const m = matchRoute('GET', '/v1/admin/tenants/abc/keys');
    expect(m && 'route' in m && m.route.operation).toBe('listKeys');
    expect(m && 'route' in m && m.pathParameters).toEqual({ tenantId: 'abc' });
    expect(matchRoute('PUT', '/v1/health')).toEqual({ allowed: ['GET'] });
    expect(matchRoute('GET', '/v2/health')).toBeUndefined();
  });
});
