/**
 * What office software does to what an employee types (found with files saved by LibreOffice
 * Calc 7.4): ' becomes ’ as one types, and a number cell drops the leading zero of a postal
 * code or of a phone number.
 */
import { compileSchema } from '../../../functions/domain/schema/compile';
import { apostropheSpellings, foldName } from '../../../functions/domain/schema/normalize-fr';
import { equipements } from '../../../functions/domain/schemas/builtin/equipements';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { one, schemaOf, validatorFor } from './helpers';

/** One cell of a built-in schema's field, read in a row of the whole schema: its value and its own issues. */
function cellOf(schema: TableSchemaDescriptor, name: string, cell: string) {
  const names = schema.fields.map((f) => f.name);
  const at = names.indexOf(name);
  const { validator } = compileSchema(schema).bind(names);
  const r = validator.validate(names.map((_, i) => (i === at ? cell : null)), 2);
  return { value: r.values[at], issues: r.issues.filter((i) => i.column === name) };
}

describe('apostrophes', () => {
  it('fold alike in names: typographic, straight, left quote, modifier letter', () => {
    const folded = ["Nom de l'attribuant", 'Nom de l’attribuant', 'Nom de l‘attribuant', 'Nom de lʼattribuant'].map(foldName);
    expect(new Set(folded).size).toBe(1);
  });

  it('give the two spellings a pattern may want, only when there is one', () => {
    expect(apostropheSpellings('Place de l’Hôtel de Ville')).toEqual(["Place de l'Hôtel de Ville", 'Place de l’Hôtel de Ville']);
    expect(apostropheSpellings('Rue du Stade')).toEqual([]);
  });

  it('match a column headed with the official title, whichever apostrophe it has', () => {
    const schema = compileSchema(subventions);
    const unknown = (header: string[]) => schema.bind(header).issues.filter((i) => i.code === 'extra-column' || i.code === 'missing-column').map((i) => i.column);
    const names = subventions.fields.map((f) => f.name);
    for (const title of ['Nom de l’attribuant', "Nom de l'attribuant"]) {
      expect(unknown([title, ...names.filter((n) => n !== 'nomAttribuant')])).toEqual([]);
    }
    // The official titles themselves mix the two: idRAE's has ’.
    expect(unknown(["Identifiant RAE de l'aide au titre de laquelle la subvention est attribuée", ...names.filter((n) => n !== 'idRAE')])).toEqual([]);
  });

  it('accept an enum value typed with the other apostrophe and write the schema’s own', () => {
    const r = cellOf(equipements, 'EQUIP_THEME', 'Equipement d’enseignement');
    expect(r.issues).toEqual([]);
    expect(r.value).toBe("Equipement d'enseignement");
    // And the other way round.
    const field = { name: 'position', type: 'string' as const, constraints: { enum: ['entrée', 'cage d’escalier'] } };
    expect(one(field, "cage d'escalier")).toMatchObject({ value: 'cage d’escalier', codes: [] });
  });

  it('are only the apostrophes: an acute accent or a backtick is left as typed', () => {
    const field = { name: 'voie', type: 'string' as const, constraints: { pattern: "^[A-Za-zÀ-ÿ0-9' ´`-]+$" } };
    expect(one(field, 'Rue de l´Église').value).toBe('Rue de l´Église');
    expect(one(field, 'Rue de l`Église').value).toBe('Rue de l`Église');
    expect(foldName('l´a')).not.toBe(foldName("l'a"));
  });

  it('write a name in the spelling its pattern allows', () => {
    const field = { name: 'voie', type: 'string' as const, constraints: { pattern: "^[A-Za-zÀ-ÿ' -]+$" } };
    expect(one(field, 'Place de l’Hôtel de Ville')).toMatchObject({ value: "Place de l'Hôtel de Ville", codes: [] });
    const typographic = { name: 'voie', type: 'string' as const, constraints: { pattern: '^[A-Za-zÀ-ÿ’ -]+$' } };
    expect(one(typographic, "Place de l'Hôtel de Ville")).toMatchObject({ value: 'Place de l’Hôtel de Ville', codes: [] });
    // Anything else the pattern refuses is still refused.
    expect(one(field, 'Place de l’Hôtel de Ville n°1').codes).toEqual(['pattern']);
  });
});

describe('a postal code typed into a number cell', () => {
  const read = (cell: string) => cellOf(equipements, 'ADR_CODEPOSTAL', cell);

  it('gets its leading zero back (01000–09999)', () => {
    expect(read('1000')).toMatchObject({ value: '01000', issues: [expect.objectContaining({ code: 'zero-restored', severity: 'warning', value: '1000' })] });
    expect(read('1000').issues[0].message).toBe(
      'Le code « 1000 » est trop court : lu comme un code qui a perdu son 0 initial (cellule au format nombre), il est publié comme « 01000 ». Vérifiez qu’il ne manque pas un autre chiffre ; pour l’éviter, mettez la colonne au format texte.',
    );
    expect(read('01000').issues).toEqual([]);
    expect(read('01000').value).toBe('01000');
    expect(read('31000').value).toBe('31000');
  });

  it('typed in groups (`31 320`, with a no-break space too): its digits', () => {
    expect(read('31 320')).toMatchObject({ value: '31320', issues: [] });
    expect(read('31\u00A0320').value).toBe('31320');
    expect(read('1 000')).toMatchObject({ value: '01000', issues: [expect.objectContaining({ code: 'zero-restored' })] });
    expect(read('31 32 0 1').issues.map((i) => i.code)).toEqual(['max-length']);
    // Not any spacing: `31 32` is no postal code typed as a number.
    expect(read('31 32')).toMatchObject({ value: '31 32', issues: [] });
  });

  it('is not padded further: no postal code starts with 00', () => {
    expect(read('123').value).toBe('123');
    expect(read('0123').value).toBe('0123');
    expect(read('ABC').value).toBe('ABC');
  });

  it('is declared for a field the schema has, and only as a width', () => {
    expect(() => schemaOf([{ name: 'cp', type: 'string' }], { zeroPadded: { autre: 5 } })).toThrow(/autre/);
    const v = validatorFor([{ name: 'cp', type: 'string' }], { zeroPadded: { cp: 5 } });
    expect(v.validate(['9100'], 2).values).toEqual(['09100']);
  });
});

describe('dates as a spreadsheet shows them', () => {
  it('are read in a period column as in a date column', () => {
    for (const [typed, iso] of [
      ['01/03/24', '2024-03-01'],
      ['02 mars 2024', '2024-03-02'],
      ['dimanche 03 mars 2024', '2024-03-03'],
      ['09-mars-24', '2024-03-09'],
      ['01/03/2024', '2024-03-01'],
    ]) {
      expect(cellOf(subventions, 'datesPeriodeVersement', typed)).toEqual({ value: iso, issues: [] });
      expect(cellOf(subventions, 'dateConvention', typed)).toEqual({ value: iso, issues: [] });
    }
    expect(cellOf(subventions, 'datesPeriodeVersement', '31 février 2024').issues.map((i) => i.code)).toEqual(['pattern']);
  });

  it('read a period whose two ends are spelt as dates are shown, around « au » or a dash', () => {
    for (const typed of [
      'du 1er mars 2024 au 30 juin 2024',
      '01/03/24 - 30/06/24',
      '1 mars 2024 – 30 juin 2024',
      'du 01/03/2024 jusqu’au 30/06/2024',
      '01-mars-24 au 30-juin-24',
      // The first end leaving out what the second says, « de », « entre le … et le … ».
      'du 1er mars au 30 juin 2024',
      'du 01/03 au 30/06/2024',
      'de 01/03/2024 à 30/06/2024',
      'entre le 01/03/2024 et le 30/06/2024',
    ]) {
      expect(cellOf(subventions, 'datesPeriodeVersement', typed)).toEqual({ value: '2024-03-01/2024-06-30', issues: [] });
    }
    // An end that is no day, ends the wrong way round, three dates, or a period in months: refused as typed.
    expect(cellOf(subventions, 'datesPeriodeVersement', 'du 1er au 30 juin 2024').value).toBe('2024-06-01/2024-06-30');
    // Across a year end, the first end leaving out its year is in the year before.
    expect(cellOf(subventions, 'datesPeriodeVersement', 'du 15/12 au 15/01/2025').value).toBe('2024-12-15/2025-01-15');
    expect(cellOf(subventions, 'datesPeriodeVersement', 'du 15 décembre au 15 janvier 2025').value).toBe('2024-12-15/2025-01-15');
    for (const typed of [
      'du 1er mars 2024 au 31 juin 2024',
      '30/06/24 - 01/03/24',
      '01/03/24 - 15/04/24 - 30/06/24',
      'mars 2024 à juin 2024',
      // Reversed, in the spellings read before the loose ones: refused too (an ISO period as
      // typed, `2024-06-30/2024-03-01`, passes the official pattern: it is left to it).
      '30/06/2024 au 01/03/2024',
      '30/06/2024/01/03/2024',
      'du lundi au vendredi',
      'du 1er au 30 juin',
      'entre 12 et 15',
      'du 20 au 10 juin 2024',
      // « et » without « entre »: two payment days, not a period.
      '5 et 20 mars 2024',
      '15/03/2024 et 15/06/2024',
    ]) {
      expect(cellOf(subventions, 'datesPeriodeVersement', typed)).toMatchObject({ value: typed, issues: [{ code: 'pattern' }] });
    }
  });

  it('keep the day of a date cell that also holds a time, with a warning that says so', () => {
    for (const typed of ['29/01/2024 14:32', '2024-01-29T14:32:00']) {
      const { value, issues } = cellOf(subventions, 'dateConvention', typed);
      expect(value).toBe('2024-01-29');
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'time-dropped', severity: 'warning', value: typed });
      expect(issues[0].message).toContain('porte une heure (14:32)');
      expect(issues[0].message).toContain('publiée comme 2024-01-29');
    }
    // Other date spellings with a time.
    expect(cellOf(subventions, 'dateConvention', '29/01/24 14:32')).toMatchObject({ value: '2024-01-29', issues: [{ code: 'time-dropped' }] });
    expect(cellOf(subventions, 'dateConvention', '29 janvier 2024 14h32')).toMatchObject({ value: '2024-01-29', issues: [{ code: 'time-dropped' }] });
    expect(cellOf(subventions, 'dateConvention', '29 janvier 2024 14h32').issues[0].message).toContain('porte une heure (14:32)');
    expect(cellOf(subventions, 'dateConvention', 'bientôt 14:32').issues.map((i) => i.code)).toEqual(['type-error']);
    expect(cellOf(subventions, 'dateConvention', '29/01/24 25:61').issues.map((i) => i.code)).toEqual(['type-error']);
    // A time alone, or a day that does not exist, is still no date.
    expect(cellOf(subventions, 'dateConvention', '14:32').issues.map((i) => i.code)).toEqual(['type-error']);
    expect(cellOf(subventions, 'dateConvention', '30/02/2024 14:32').issues.map((i) => i.code)).toEqual(['type-error']);
  });

  it('leave a column with its own date format alone: its days are read its way', () => {
    const field = { name: 'jour', type: 'date' as const, format: '%m/%d/%Y' };
    expect(one(field, '01/02/2024').value).toBe('2024-01-02');
    expect(one(field, '01/02/2024 10:00').codes).toEqual(['type-error']);
  });
});

describe('a phone number typed into a number cell', () => {
  it('gets its 0 back, with a warning naming the number published', () => {
    const { value, issues } = cellOf(equipements, 'EQUIP_TEL', '474453000');
    expect(value).toBe('+33 474453000');
    expect(issues).toMatchObject([{ code: 'phone-zero-restored', severity: 'warning', value: '474453000' }]);
    expect(issues[0].message).toContain('publié comme « +33 474453000 »');
    // Typed with its 0: no warning.
    expect(cellOf(equipements, 'EQUIP_TEL', '04 74 45 30 00')).toEqual({ value: '+33 474453000', issues: [] });
  });
});
