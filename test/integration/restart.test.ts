import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildPlatform } from './support/child-platform';

async function get(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { items: { id: string }[] } };
}

describe('local platform restarts', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'socle-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps tenants and the generated admin token across a restart; --reset wipes them', async () => {
    const first = await startChildPlatform({ dataDir, env: { SOCLE_ADMIN_TOKEN: '' } });
    const token = first.info.adminToken;
    expect(token).toMatch(/^socle_/);
    const created = await fetch(`${first.info.apiUrl}/v1/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'persisted-commune', name: 'Persistante', kind: 'commune', siren: '213104581' }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);

    const second = await startChildPlatform({ dataDir, env: { SOCLE_ADMIN_TOKEN: '' } });
    expect(second.info.adminToken).toBe(token);
    expect(second.output()).not.toContain('Seeded the demo');
    const list = await get(`${second.info.apiUrl}/v1/admin/tenants?limit=100`, token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((t) => t.id)).toEqual(expect.arrayContaining(['persisted-commune', 'sicoval']));
    expect(await second.stop()).toBe(0);

    const third = await startChildPlatform({ dataDir, env: { SOCLE_ADMIN_TOKEN: '' }, args: ['--reset'] });
    expect(third.info.adminToken).not.toBe(token);
    const wiped = await get(`${third.info.apiUrl}/v1/admin/tenants?limit=100`, third.info.adminToken);
    expect(wiped.body.items.map((t) => t.id)).not.toContain('persisted-commune');
    expect(await third.stop()).toBe(0);
  });

  it('uses SOCLE_ADMIN_TOKEN when it is set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'socle-token-'));
    const p = await startChildPlatform({ dataDir: dir, env: { SOCLE_ADMIN_TOKEN: 'socle_fixed-token-for-this-test-0123456789' } });
    try {
      expect(p.info.adminToken).toBe('socle_fixed-token-for-this-test-0123456789');
      const res = await get(`${p.info.apiUrl}/v1/admin/tenants`, 'socle_fixed-token-for-this-test-0123456789');
      expect(res.status).toBe(200);
    } finally {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
