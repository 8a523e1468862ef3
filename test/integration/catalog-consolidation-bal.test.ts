/**
 * The territory BAL file (`consolidated/bal/latest/`) built from a commune that published
 * BAL 1.4 and one that published BAL 1.5: written as each commune's own BAL is (`;`,
 * certification 1/0, the 1.5 columns in order), the 1.4 rows read in 1.5 (`voie_nom` is the
 * `toponyme`, `cle_interop` is gone), and judged by the reference validator
 * (`@ban-team/validateur-bal`) as the communes' own files are.
 */
import { api, eventually, platform } from './support/api';
import { createDataset, fixture, newPublisher, publicFile, publish, type Publisher } from './support/publish';

jest.setTimeout(120_000);

interface BalVerdict {
  profile: string;
  profilesValidation: Record<string, { isValid: boolean }>;
  profilErrors: { code: string; level: string }[];
  fileValidation: { delimiter: { value: string; isValid: boolean } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('@ban-team/validateur-bal') as { validate(file: Buffer, options?: { profile?: string }): Promise<BalVerdict> };

/** validateur-bal offline: its BAN look-ups fail at once (as in bench/contenders.ts), and it says so on the console; the platform's own fetch is put back. */
async function validateOffline(file: Buffer): Promise<BalVerdict> {
  const real = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new Error('network disabled in tests'));
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await validate(file);
  } finally {
    globalThis.fetch = real;
    quiet.mockRestore();
  }
}

const errorsOf = (v: BalVerdict) => v.profilErrors.filter((e) => e.level === 'E').map((e) => e.code);

const lines = (csv: string) => csv.split('\r\n').filter((l) => l !== '');

describe('consolidated BAL of a 1.4 and a 1.5 commune', () => {
  let bal14: Publisher;
  let bal15: Publisher;
  let siren: string;
  /** Each commune's own published data.csv. */
  let own14: string[];
  let own15: string[];
  /** The consolidated data.csv, header and the two communes' rows only (other suites publish BALs too). */
  let consolidated: string[];

  beforeAll(async () => {
    bal14 = await newPublisher('cons-bal14');
    bal15 = await newPublisher('cons-bal15');
    siren = (await api('GET', `/v1/admin/tenants/${bal14.tenantId}`, { token: platform().adminToken })).body.siren;
    await createDataset(bal14, 'adresses', 'bal');
    await createDataset(bal15, 'adresses', 'bal');
    await publish(bal14, 'adresses', 'bal-1.4.csv', fixture('bal-1.4.csv'));
    await publish(bal15, 'adresses', 'bal.csv', fixture('bal.csv'));
    own14 = lines((await publicFile(bal14, 'adresses', 'latest', 'data.csv')).text());
    own15 = lines((await publicFile(bal15, 'adresses', 'latest', 'data.csv')).text());
    expect(own14[0]).toContain(';voie_nom;');
    expect(own15[0]).toContain(';toponyme;');
    consolidated = await eventually(async () => {
      const res = await fetch(`${platform().publicUrl}/consolidated/bal/latest/data.csv`);
      expect(res.status).toBe(200);
      const all = lines(await res.text());
      // Either delimiter: a wrong one fails on the assertions below, not as a time-out here.
      const mine = all.filter((l, i) => i === 0 || [bal14, bal15].some((p) => l.startsWith(`${p.tenantId};`) || l.startsWith(`${p.tenantId},`)));
      expect(mine.length).toBe(1 + (own14.length - 1) + (own15.length - 1));
      return mine;
    });
  });

  it('is written as a commune writes its BAL: `;`, the 1.5 columns in order after the publisher, certification 1/0', () => {
    expect(consolidated[0]).toBe(`publisher_id;publisher_siren;${own15[0]}`);
    // A 1.5 commune's rows are its own lines, after the publisher.
    expect(consolidated.filter((l) => l.startsWith(`${bal15.tenantId};`))).toEqual(own15.slice(1).map((l) => `${bal15.tenantId};${siren};${l}`));
    for (const l of consolidated.slice(1)) expect(l.split(';').at(-1)).toMatch(/^[01]$/);
  });

  it('reads a 1.4 row in 1.5: voie_nom is the toponyme, cle_interop is left out (1.5 has no such column)', () => {
    const names14 = own14[0].split(';');
    const names15 = own15[0].split(';');
    const want = own14.slice(1).map((line) => {
      const cells = Object.fromEntries(line.split(';').map((c, i) => [names14[i], c]));
      return [bal14.tenantId, siren, ...names15.map((n) => (n === 'toponyme' ? cells.voie_nom : cells[n]))].join(';');
    });
    expect(want[0]).toContain(';Place de la Mairie;');
    expect(consolidated.filter((l) => l.startsWith(`${bal14.tenantId};`))).toEqual(want);
  });

  it('holds the 1.4 rows under the 1.5 names in data.json too', async () => {
    const res = await fetch(`${platform().publicUrl}/consolidated/bal/latest/data.json`);
    const rows = ((await res.json()) as Record<string, unknown>[]).filter((r) => r.publisher_id === bal14.tenantId);
    expect(rows.length).toBe(own14.length - 1);
    for (const r of rows) {
      expect(r.toponyme).toBe('Place de la Mairie');
      expect(r.certification_commune).toBe(true);
      expect(Object.keys(r)).not.toContain('voie_nom');
      expect(Object.keys(r)).not.toContain('cle_interop');
    }
  });

  it('gets from validateur-bal the verdict of the communes own files: valid, `;`, no error', async () => {
    const verdict14 = await validateOffline(Buffer.from(own14.join('\r\n') + '\r\n'));
    const verdict15 = await validateOffline(Buffer.from(own15.join('\r\n') + '\r\n'));
    expect([verdict14.profile, verdict14.profilesValidation['1.4'].isValid, errorsOf(verdict14)]).toEqual(['1.4', true, []]);
    expect([verdict15.profile, verdict15.profilesValidation['1.5'].isValid, errorsOf(verdict15)]).toEqual(['1.5', true, []]);

    const verdict = await validateOffline(Buffer.from(consolidated.join('\r\n') + '\r\n'));
    expect(verdict.fileValidation.delimiter).toEqual({ value: ';', isValid: true });
    expect(verdict.profilErrors.map((e) => e.code)).not.toContain('certification_commune.valeur_invalide');
    expect([verdict.profile, verdict.profilesValidation['1.5'].isValid, errorsOf(verdict)]).toEqual(['1.5', true, []]);
  });
});
