/**
 * BAL columns beyond the schema's own names, against validateur-bal as the oracle:
 * `uid_adresse` (1.3), whose ids are published in the `id_ban_*` columns; language variants
 * (`voie_nom_oci`), kept in every output; headings in other letter case (`Voie_Nom`).
 */
import { balExport } from '../../../bench/generate';
import { bal14, bal15 } from '../../../functions/domain/schemas/builtin/bal';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from '../standardize/helpers';

interface ReferenceResult {
  profile?: string;
  rows?: { line: number; isValid: boolean; errors: { code: string; level: string }[] }[];
  profilesValidation?: Record<string, { isValid: boolean }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('@ban-team/validateur-bal') as {
  validate(file: Buffer, options?: { profile?: string }): Promise<ReferenceResult>;
};

const C = '0246e48c-f33d-433a-8984-034219be842e';
const C2 = '1246e48c-f33d-433a-8984-034219be842e';
const T = '8a3bab10-f329-4ce3-9c7d-280d91a8053a';
const A = '3c87abe4-887b-46ee-9192-5c1b35a06625';

async function standardize(text: string) {
  const files: Record<string, string> = {};
  const result = await standardizeTable(chunked(Buffer.from(text, 'utf8')), {
    schema: bal14,
    otherVersions: [bal15],
    sinks: (name) => {
      files[name] = '';
      return { write: (c) => void (files[name] += Buffer.from(c).toString('utf8')), end: async () => undefined, abort: async () => void delete files[name] };
    },
  });
  const { report } = result;
  const errorRows = [...new Set(report.issues.filter((i) => i.severity === 'error' && (i.row ?? 0) > 1).map((i) => i.row))].sort();
  return { report, files, fields: result.fields, schema: result.schema, errorRows, codes: report.issues.map((i) => `${i.severity[0]}:${i.code}@${i.row ?? '-'}${i.column ? `:${i.column}` : ''}`) };
}

/** validateur-bal's verdict and erroneous lines (header = 1), offline. */
async function reference(text: string, profile?: string) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async () => {
    throw new Error('offline');
  }) as typeof fetch;
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const r = await validate(Buffer.from(text, 'utf8'), profile ? { profile } : {});
    return {
      profile: r.profile,
      valid: r.profilesValidation?.[r.profile ?? '']?.isValid === true,
      errorRows: (r.rows ?? []).filter((row) => !row.isValid).map((row) => row.line + 2),
      rows: r.rows ?? [],
    };
  } finally {
    globalThis.fetch = realFetch;
    error.mockRestore();
  }
}

const csvRows = (csv: string) => csv.trimEnd().split(/\r?\n/).map((line) => line.split(';'));
const column = (csv: string, name: string) => {
  const [header, ...rows] = csvRows(csv);
  return rows.map((r) => r[header.indexOf(name)]);
};

// The fixtures validateur-bal tests its profile 1.4 with (examples/validateur-bal/1.4/data/1.3-*-uid_adresse.csv).
const UID_HEADER = 'cle_interop;uid_adresse;commune_insee;voie_nom;numero;suffixe;commune_nom;position;long;lat;x;y;source;date_der_maj';
const uidFile = (uid: string) => `${UID_HEADER}\n31591_xxxx_00009;${uid};31591;Rue des 3 Places;9;;Escoulis;entrée;1.028392;43.111637;539416.13;6225601.11;;2020-11-09`;
const UID_VALID = uidFile(`@c:${C} @v:${T} @a:${A}`);
const UID_INVALID = uidFile(`@c:0246e48c-f33d-433a-8984-219be842e @v:${T} @a:${A}`);
const UID_INCOHERENT = uidFile(`@v:${T} @a:${A}`);

describe('BAL uid_adresse (1.3)', () => {
  it.each([
    ['valid', UID_VALID],
    ['with a bad UUID', UID_INVALID],
    ['without the commune id', UID_INCOHERENT],
  ])('the file %s is judged as validateur-bal does in the profile it picks (1.3)', async (_name, text) => {
    const ours = await standardize(text);
    const theirs = await reference(text);
    expect(theirs).toMatchObject({ profile: '1.3', valid: true });
    expect(ours.report.valid).toBe(true);
    expect(ours.codes.filter((c) => c.startsWith('e:'))).toEqual([]);
  });

  it('is not published, nor its ids, and one warning says where they go (filled line by line, they could make a 1.4 file the reference refuses)', async () => {
    const { files, codes, report } = await standardize(UID_VALID);
    expect(column(files['data.csv'], 'id_ban_commune')).toEqual(['']);
    expect(csvRows(files['data.csv'])[0]).not.toContain('uid_adresse');
    expect(codes).toContain('w:bal-uid-adresse@1:uid_adresse');
    expect(codes).not.toContain('w:extra-column@1:uid_adresse');
    expect(report.issues.find((i) => i.code === 'bal-uid-adresse')!.message).toContain('sur toutes les lignes ou sur aucune');
    expect(await reference(files['data.csv'])).toMatchObject({ valid: true });
  });

  it('keeps an id_ban_* cell given beside uid_adresse, as it is', async () => {
    const header = `id_ban_commune;id_ban_toponyme;id_ban_adresse;${UID_HEADER}`;
    const text = `${header}\n${C2};${T};${A};31591_xxxx_00009;@c:${C} @v:${T} @a:${A};31591;Rue des 3 Places;9;;Escoulis;entrée;1.028392;43.111637;539416.13;6225601.11;;2020-11-09`;
    const { report, files } = await standardize(text);
    expect(report.valid).toBe(true);
    expect(csvRows(files['data.csv'])[1].slice(0, 3)).toEqual([C2, T, A]);
  });
});

/** The BAL generator's file with columns added after `after` (name → value on every row). */
function withColumns(rows: number, after: string, added: Record<string, (i: number) => string>): string {
  const lines = balExport(rows).toString('utf8').trimEnd().split('\r\n');
  const at = lines[0].split(';').indexOf(after) + 1;
  return lines
    .map((line, i) => {
      const cells = line.split(';');
      cells.splice(at, 0, ...Object.entries(added).map(([name, value]) => (i === 0 ? name : value(i))));
      return cells.join(';');
    })
    .join('\r\n');
}

describe('BAL language variants (voie_nom_oci…)', () => {
  const text = withColumns(4, 'voie_nom', { voie_nom_oci: (i) => `Carrièra ${i}`, commune_nom_bre: () => 'Kornuz' });

  it('are published after the schema’s columns, in file order, in data.csv, data.json and data.geojson', async () => {
    const { report, files, fields, codes } = await standardize(text);
    expect(report.valid).toBe(true);
    expect(codes.filter((c) => c.includes('extra-column'))).toEqual([]);
    expect(fields).toEqual([...bal14.fields.map((f) => f.name), 'voie_nom_oci', 'commune_nom_bre']);
    expect(csvRows(files['data.csv'])[0].slice(-2)).toEqual(['voie_nom_oci', 'commune_nom_bre']);
    expect(column(files['data.csv'], 'voie_nom_oci')).toEqual(['Carrièra 1', 'Carrièra 2', 'Carrièra 3', 'Carrièra 4']);
    expect(JSON.parse(files['data.json'])[1]).toMatchObject({ voie_nom_oci: 'Carrièra 2', commune_nom_bre: 'Kornuz' });
    expect(JSON.parse(files['data.geojson']).features[0].properties).toMatchObject({ voie_nom_oci: 'Carrièra 1', commune_nom_bre: 'Kornuz' });
    expect(await reference(files['data.csv'])).toMatchObject({ valid: true });
  });

  it('are checked as validateur-bal checks them: a name too short is a warning there', async () => {
    const short = withColumns(2, 'voie_nom', { voie_nom_oci: (i) => (i === 2 ? 'Ru' : 'Carrièra') });
    const ours = await standardize(short);
    const theirs = await reference(short);
    expect(theirs.valid).toBe(true);
    expect(theirs.rows[1].errors).toContainEqual(expect.objectContaining({ code: 'voie_nom_oci.trop_court', level: 'W' }));
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:bal-name-too-short@3:voie_nom_oci');
    expect(column(ours.files['data.csv'], 'voie_nom_oci')).toEqual(['Carrièra', 'Ru']);
  });

  it('only for the languages validateur-bal knows: another suffix is an extra column', async () => {
    const { fields, codes } = await standardize(withColumns(2, 'voie_nom', { voie_nom_xyz: () => 'Rue' }));
    expect(fields).not.toContain('voie_nom_xyz');
    expect(codes).toContain('w:extra-column@1:voie_nom_xyz');
  });
});

describe('BAL headings in other letter case', () => {
  const capitalised = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  const lines = balExport(3).toString('utf8').split('\r\n');
  const text = [lines[0].split(';').map((h) => (h === 'source' || h === 'numero' ? h : capitalised(h))).join(';'), ...lines.slice(1)].join('\r\n');

  it('get one error naming them, and no line is refused for it', async () => {
    const ours = await standardize(text);
    const theirs = await reference(text);
    expect(theirs.valid).toBe(false);
    expect(ours.report.valid).toBe(false);
    expect(ours.codes.filter((c) => c.startsWith('e:'))).toEqual(['e:bal-column-case@1']);
    expect(ours.codes.filter((c) => /header-renamed|bal-column-missing/.test(c))).toEqual([]);
    const message = ours.report.issues.find((i) => i.code === 'bal-column-case')!.message;
    expect(message).toMatch(/^Les noms de colonnes d’une Base Adresse Locale s’écrivent en minuscules/);
    expect(message).toContain('« Cle_Interop » en « cle_interop », « Commune_Insee » en « commune_insee »');
    expect(message).toContain('« Voie_Nom » en « voie_nom »');
    expect(message).not.toContain('« source »');
  });

  it('a column read under a shapefile alias is named with the name to give it, not said accepted', async () => {
    const alias = [lines[0].replace('commune_insee', 'commune_in'), ...lines.slice(1)].join('\r\n');
    const { codes, report } = await standardize(alias);
    expect(codes.filter((c) => /header-renamed|bal-column/.test(c))).toEqual(['e:bal-column-renamed@1:commune_insee']);
    expect(report.issues.find((i) => i.code === 'bal-column-renamed')!.message).toBe(
      'La colonne « commune_in » est lue comme « commune_insee », mais une BAL doit la nommer exactement « commune_insee » : le validateur national des BAL ne la reconnaît pas sous un autre nom et refuse le fichier, auquel il manque alors une colonne obligatoire. Renommez-la.',
    );
    expect((await reference(alias)).valid).toBe(false);
  });
});

describe('the BAL version published', () => {
  it('is the profile the reference picks: a 1.5 header (ids, toponyme) with a voie_nom column too is published in 1.5', async () => {
    const lines = balExport(2).toString('utf8').trimEnd().split('\r\n');
    const names = lines[0].split(';');
    const at = names.indexOf('voie_nom');
    const withToponyme = lines.map((line, i) => {
      const cells = line.split(';');
      cells.splice(at, 0, i === 0 ? 'toponyme' : cells[at]);
      if (i > 0) cells[at + 1] = 'Chemin Vert';
      return cells.join(';');
    });
    const text = withToponyme.join('\r\n');
    const { schema, files } = await standardize(text);
    expect(schema?.version).toBe('1.5');
    expect(csvRows(files['data.csv'])[0]).toContain('toponyme');
    expect(column(files['data.csv'], 'toponyme')).not.toContain('Chemin Vert');
    expect(await reference(files['data.csv'])).toMatchObject({ profile: '1.5', valid: true });
  });
});

describe('the header of a BAL', () => {
  it('is its first line: a title above it is read as the header, as validateur-bal reads it, and the file refused', async () => {
    const lines = balExport(2).toString('utf8').trimEnd().split('\r\n');
    const titled = ['Base Adresse Locale de la commune', ...lines].join('\r\n');
    const ours = await standardize(titled);
    expect(ours.report.valid).toBe(false);
    expect(ours.codes).not.toContain('w:title-rows@1');
    expect((await reference(titled)).valid).toBe(false);
    // An empty line above it is skipped by both.
    const blank = ['', ...lines].join('\r\n');
    expect((await standardize(blank)).report.valid).toBe((await reference(blank)).valid);
  });
});

describe('BAN ids given by some of the three id_ban_* columns only', () => {
  it('are not published (the reference judges the file without ids): the published file is one validateur-bal accepts', async () => {
    const lines = balExport(2).toString('utf8').trimEnd().split('\r\n');
    const at = lines[0].split(';').indexOf('id_ban_adresse');
    const text = lines.map((l) => l.split(';').filter((_, i) => i !== at).join(';')).join('\r\n');
    const theirs = await reference(text);
    const ours = await standardize(text);
    expect(theirs).toMatchObject({ profile: '1.3', valid: true });
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:bal-ban-ids-left-out@1');
    expect(column(ours.files['data.csv'], 'id_ban_commune')).toEqual(['', '']);
    expect(await reference(ours.files['data.csv'])).toMatchObject({ valid: true });
  });
});

describe('BAN ids given partly in id_ban_* and partly in uid_adresse (judged 1.4)', () => {
  const header = `id_ban_commune;id_ban_toponyme;id_ban_adresse;${UID_HEADER}`;
  const A2 = '4c87abe4-887b-46ee-9192-5c1b35a06625';
  const rest = (n: number) => `31591;Rue des 3 Places;${n};;Escoulis;entrée;1.028392;43.111637;539416.13;6225601.11;mairie;2020-11-09`;
  it.each([
    ['one line in each column', [`${C};${T};${A};31591_xxxx_00009;;${rest(9)}`, `;;;31591_xxxx_00010;@c:${C} @v:${T} @a:${A2};${rest(10)}`]],
    ['one id_ban_* cell empty, given in uid_adresse', [`${C};;${A};31591_xxxx_00009;@c:${C} @v:${T} @a:${A};${rest(9)}`, `${C};${T};${A2};31591_xxxx_00010;;${rest(10)}`]],
  ])('are published in the id_ban_* columns, as the reference takes them: %s', async (_name, lines) => {
    const text = [header, ...lines].join('\n');
    expect(await reference(text)).toMatchObject({ profile: '1.4', valid: true });
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(true);
    expect(column(ours.files['data.csv'], 'id_ban_commune')).toEqual([C, C]);
    expect(column(ours.files['data.csv'], 'id_ban_toponyme')).toEqual([T, T]);
    expect(column(ours.files['data.csv'], 'id_ban_adresse')).toEqual([A, A2]);
    expect(JSON.parse(ours.files['data.json']).map((r: Record<string, string>) => r.id_ban_toponyme)).toEqual([T, T]);
    expect(ours.report.issues.find((i) => i.code === 'bal-uid-adresse')!.message).toContain('quand celles-ci sont vides');
    expect(await reference(ours.files['data.csv'])).toMatchObject({ profile: '1.4', valid: true });
  });
});

describe('a BAL 1.3 or 1.4 without cle_interop', () => {
  const without = (text: string) => {
    const lines = text.trimEnd().split(/\r?\n/);
    const at = lines[0].split(';').indexOf('cle_interop');
    return lines.map((l) => l.split(';').filter((_, i) => i !== at).join(';')).join('\r\n');
  };
  it.each([
    ['1.4', without(balExport(3).toString('utf8'))],
    ['1.3', without(UID_VALID)],
  ])('(%s) is published without it: an empty cle_interop is an error for the reference, a missing one a warning', async (profile, text) => {
    expect(await reference(text)).toMatchObject({ profile, valid: true });
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:missing-column@1:cle_interop');
    expect(csvRows(ours.files['data.csv'])[0]).not.toContain('cle_interop');
    expect(ours.fields).not.toContain('cle_interop');
    expect(Object.keys(JSON.parse(ours.files['data.json'])[0])).not.toContain('cle_interop');
    expect(await reference(ours.files['data.csv'])).toMatchObject({ profile: '1.4', valid: true });
  });

  it('keeps it when the file has it, empty cells and all (the reference refuses those lines in the file as sent)', async () => {
    const { files, report } = await standardize(balExport(2).toString('utf8'));
    expect(report.valid).toBe(true);
    expect(csvRows(files['data.csv'])[0]).toContain('cle_interop');
  });
});

describe('a BAL line wider than its header', () => {
  it('is refused, empty cells too, as validateur-bal refuses it (a `;` ending every line)', async () => {
    const lines = balExport(2).toString('utf8').trimEnd().split('\r\n');
    const text = [lines[0], ...lines.slice(1).map((l) => `${l};`)].join('\r\n');
    expect((await reference(text)).valid).toBe(false);
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(false);
    expect(ours.codes).toEqual(expect.arrayContaining(['e:extra-cell@2:V', 'e:extra-cell@3:V']));
    expect(ours.report.issues.find((i) => i.code === 'extra-cell')!.message).toContain('séparateur de trop');
  });
});

describe('a BAL column given twice, the first not under its exact name', () => {
  it('is read from the one named exactly, as validateur-bal reads it', async () => {
    const lines = balExport(1).toString('utf8').trimEnd().split('\r\n');
    const text = [`Numero;${lines[0]}`, `;${lines[1]}`].join('\r\n');
    expect((await reference(text)).valid).toBe(true);
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:duplicate-column@1:numero');
    expect(column(ours.files['data.csv'], 'numero')).toEqual([column(balExport(1).toString('utf8'), 'numero')[0]]);
  });
});

describe('BAL columns the reference does not read under their heading', () => {
  const rest = '35088;Rue de Chanteloup;5;-1.5885960;47.9774753';
  it('a column read under another name (spaces, a shapefile alias) is judged as published: its value refused as the reference would refuse it under its name', async () => {
    for (const [heading, value, code] of [
      [' suffixe', 'abcdefghij', 'e:bal-too-long@2:suffixe'],
      ['cle_intero', '35088_0010_00007', 'e:bal-cle-interop-numero-mismatch@2:cle_interop'],
    ]) {
      const text = `${heading};commune_insee;voie_nom;numero;long;lat\n${value};${rest}\n`;
      const ours = await standardize(text);
      expect(ours.codes).toEqual(expect.arrayContaining([`w:bal-column-renamed@1:${code.split(':').pop()}`, code]));
      expect(ours.report.valid).toBe(false);
      // Renamed as published, the reference refuses it too.
      const published = text.replace(heading, code.split(':').pop()!);
      expect((await reference(published)).valid).toBe(false);
    }
    const fine = await standardize(` suffixe;commune_insee;voie_nom;numero;long;lat\nbis;${rest}\n`);
    expect(fine.report.valid).toBe(true);
    expect(await reference(fine.files['data.csv'])).toMatchObject({ valid: true });
  });

  it('two columns naming one field, neither exactly: the checks judge the one published', async () => {
    // ` suffixe` (read, published) holds `!!`; `Suffixe` after it holds a valid suffix.
    const text = ` suffixe;commune_insee;voie_nom;numero;long;lat;Suffixe\n!!;${rest};bis\n`;
    const ours = await standardize(text);
    expect(ours.codes).toContain('e:bal-suffixe-start@2:suffixe');
    expect(ours.report.valid).toBe(false);
  });

  it('a Uid_adresse in other letter case gives no BAN ids, as the reference reads none from it', async () => {
    const text = `id_ban_commune;id_ban_toponyme;id_ban_adresse;Uid_adresse;commune_insee;voie_nom;numero;long;lat\n;;${A};@c:${C} @v:${T};${rest}\n`;
    expect((await reference(text)).valid).toBe(false);
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(false);
    expect(ours.report.issues.find((i) => i.code === 'bal-column-case')!.message).toContain('n’en lit pas les identifiants BAN');
  });

  it('a file published in 1.4 with toponyme beside an empty voie_nom publishes the name in voie_nom (the reference reads either)', async () => {
    const text = `id_ban_commune;id_ban_toponyme;commune_insee;voie_nom;toponyme;numero;long;lat\n;;35088;;Rue de Chanteloup;6;-1.5888295;47.9776481\n`;
    expect(await reference(text)).toMatchObject({ profile: '1.3', valid: true });
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:bal-voie-nom-from-toponyme@2:voie_nom');
    expect(ours.codes).not.toContain('w:extra-column@1:toponyme');
    expect(column(ours.files['data.csv'], 'voie_nom')).toEqual(['Rue de Chanteloup']);
    expect(await reference(ours.files['data.csv'])).toMatchObject({ valid: true });
  });

  it('a 1.5 file with voie_nom beside an empty toponyme publishes the name in toponyme (the reference reads either)', async () => {
    const text = `id_ban_commune;id_ban_toponyme;id_ban_adresse;commune_insee;voie_nom;toponyme;numero;long;lat\n;;;${rest.replace(';5;', ';;6;')}\n`;
    expect(await reference(text)).toMatchObject({ profile: '1.5', valid: true });
    const ours = await standardize(text);
    expect(ours.report.valid).toBe(true);
    expect(ours.codes).toContain('w:bal-toponyme-from-voie-nom@2:toponyme');
    expect(column(ours.files['data.csv'], 'toponyme')).toEqual(['Rue de Chanteloup']);
    expect(await reference(ours.files['data.csv'])).toMatchObject({ profile: '1.5', valid: true });
  });
});
