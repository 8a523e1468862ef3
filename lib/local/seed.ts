/**
 * The demo département, created through the public API on first start (a tenant that
 * already exists is left as it is, so a second start changes nothing).
 */
export const DEMO_TENANTS = [
  {
    id: 'haute-garonne',
    name: 'Département de la Haute-Garonne',
    kind: 'departement',
    siren: '223100017',
    siret: '22310001700100',
    referent: { name: 'Service open data', email: 'opendata@haute-garonne.example.fr' },
  },
  {
    id: 'roques-sur-garonne',
    name: 'Commune de Roques-sur-Garonne',
    kind: 'commune',
    siren: '213104581',
    siret: '21310458100102',
    inseeCode: '31458',
    referent: { name: 'Secrétariat de mairie', email: 'mairie@roques.example.fr' },
  },
  {
    id: 'sicoval',
    name: 'Communauté d’agglomération du Sicoval',
    kind: 'epci',
    siren: '243100518',
    siret: '24310051800105',
    referent: { name: 'Pôle numérique', email: 'numerique@sicoval.example.fr' },
  },
] as const;

import { demoSubventionsCsv } from './demo-data';

/** Demo datasets, published through the same upload path a commune uses. */
const DEMO_DATASETS = [
  { tenantId: 'roques-sur-garonne', slug: 'subventions-2024', title: 'Subventions aux associations 2024', attribuant: 'Commune de Roques', siren: '213104581', year: 2024, rows: 24 },
  { tenantId: 'sicoval', slug: 'subventions-2024', title: 'Subventions attribuées par le Sicoval en 2024', attribuant: 'Sicoval', siren: '243100518', year: 2024, rows: 40 },
] as const;

async function publishDemo(apiUrl: string, headers: Record<string, string>, d: (typeof DEMO_DATASETS)[number]): Promise<void> {
  const base = `${apiUrl}/v1/tenants/${d.tenantId}/datasets`;
  const created = await fetch(base, {
    method: 'POST',
    headers,
    body: JSON.stringify({ slug: d.slug, title: d.title, schema: 'scdl/subventions', keywords: ['subventions', 'associations'], theme: 'finances', frequency: 'annual' }),
  });
  if (created.status !== 201) throw new Error(`seed: dataset ${d.tenantId}/${d.slug} answered ${created.status}: ${await created.text()}`);
  const bytes = demoSubventionsCsv(d);
  const upload = await fetch(`${base}/${d.slug}/uploads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ filename: `export-compta-${d.year}.csv`, contentType: 'text/csv', size: bytes.length }),
  });
  if (upload.status !== 201) throw new Error(`seed: upload for ${d.tenantId}/${d.slug} answered ${upload.status}: ${await upload.text()}`);
  const signed = (await upload.json()) as { url: string; headers: Record<string, string> };
  const put = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
  if (!put.ok) throw new Error(`seed: PUT of the demo file answered ${put.status}`);
}

export async function seedDemo(opts: { apiUrl: string; adminToken: string; log: (line: string) => void }): Promise<void> {
  const headers = { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' };
  let created = 0;
  for (const tenant of DEMO_TENANTS) {
    const res = await fetch(`${opts.apiUrl}/v1/admin/tenants`, { method: 'POST', headers, body: JSON.stringify(tenant) });
    if (res.status === 201) created++;
    else if (res.status !== 409) throw new Error(`seed: creating ${tenant.id} answered ${res.status}: ${await res.text()}`);
  }
  if (created === DEMO_TENANTS.length) {
    for (const d of DEMO_DATASETS) await publishDemo(opts.apiUrl, headers, d);
  }
  if (created > 0) opts.log(`Seeded the demo département: ${created} tenant(s) created, ${created === DEMO_TENANTS.length ? DEMO_DATASETS.length : 0} dataset(s) uploaded.`);
}
