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
    referent: { name: 'Service open data', email: 'opendata@haute-garonne.example.fr' },
  },
  {
    id: 'roques-sur-garonne',
    name: 'Commune de Roques-sur-Garonne',
    kind: 'commune',
    siren: '213104581',
    inseeCode: '31458',
    referent: { name: 'Secrétariat de mairie', email: 'mairie@roques.example.fr' },
  },
  {
    id: 'sicoval',
    name: 'Communauté d’agglomération du Sicoval',
    kind: 'epci',
    siren: '243100518',
    referent: { name: 'Pôle numérique', email: 'numerique@sicoval.example.fr' },
  },
] as const;

export async function seedDemo(opts: { apiUrl: string; adminToken: string; log: (line: string) => void }): Promise<void> {
  const headers = { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' };
  let created = 0;
  for (const tenant of DEMO_TENANTS) {
    const res = await fetch(`${opts.apiUrl}/v1/admin/tenants`, { method: 'POST', headers, body: JSON.stringify(tenant) });
    if (res.status === 201) created++;
    else if (res.status !== 409) throw new Error(`seed: creating ${tenant.id} answered ${res.status}: ${await res.text()}`);
  }
  if (created > 0) opts.log(`Seeded the demo département: ${created} tenant(s) created.`);
}
