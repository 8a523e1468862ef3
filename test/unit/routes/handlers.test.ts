import { routes } from '../../../lib/routes';

// Each handler module throws at import when a route of its context has no operation.
describe('every route has an operation in its handler', () => {
  it.each([...new Set(routes.map((r) => r.handler))])('%s handler loads', async (name) => {
    const mod = (await import(`../../../functions/${name}/handler`)) as { handler: unknown };
    expect(typeof mod.handler).toBe('function');
  });
});
