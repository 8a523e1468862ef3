/**
 * The statistics of a published version, column by column: filled cells, distinct values,
 * the most frequent ones, ranges and totals; the same whatever the rows' split across
 * threads; small enough for the version's DynamoDB item.
 */
import type { Value } from '../../../functions/domain/schema/types';
import { bal14 } from '../../../functions/domain/schemas/builtin/bal';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { boundedStats, naturalOrder, StatsCollector, MAX_STATS_BYTES, summable, type TableStats } from '../../../functions/domain/standardize/column-stats';
import { frenchNumber, renderReportHtml } from '../../../functions/domain/standardize/report-html';
import { prng } from '../../../bench/generate';
import { standardizeInMemory } from './helpers';

const NAMES = ['nom', 'montant', 'taux', 'date', 'annee', 'ok'];
const TYPES = ['string', 'number', 'number', 'date', 'year', 'boolean'] as const;

function collect(rows: readonly Value[][], skip?: boolean[]): StatsCollector {
  const c = new StatsCollector(NAMES, TYPES, skip);
  for (const r of rows) c.add(r);
  return c;
}

describe('column statistics', () => {
  it('counts filled cells, distinct values, the most frequent ones, ranges and the totals of amounts', () => {
    const stats = collect([
      ['b', 0.1, 0.5, '2024-03-01', 2024, true],
      ['a', 0.2, 0.25, '2023-12-31', 2023, false],
      ['b', null, null, '', null, true],
      ['c', 1234.56, 1, '2024-01-15', 2024, true],
      ['a', -5, 0.5, null, 2020, null],
    ]).result();
    expect(stats.rows).toBe(5);
    const [nom, montant, taux, date, annee, ok] = stats.columns;
    // Ties by value order: a before b; c, seen once, is no « most frequent » value.
    expect(nom).toEqual({ name: 'nom', type: 'string', filled: 5, distinct: 3, top: [{ value: 'a', count: 2 }, { value: 'b', count: 2 }] });
    // An amount: its total to the cent (0.1 + 0.2 is not 0.30000000000000004); no top (no value repeats).
    expect(montant).toEqual({ name: 'montant', type: 'number', filled: 4, distinct: 4, min: -5, max: 1234.56, sum: 1229.86 });
    // A rate is not summed; its values repeat.
    expect(taux).toEqual({ name: 'taux', type: 'number', filled: 4, distinct: 3, top: [{ value: 0.5, count: 2 }], min: 0.25, max: 1 });
    // An empty text is an empty cell; dates range in calendar order.
    expect(date).toMatchObject({ filled: 3, distinct: 3, min: '2023-12-31', max: '2024-03-01' });
    expect(date.sum).toBeUndefined();
    expect(annee).toMatchObject({ filled: 4, min: 2020, max: 2024 });
    expect(annee.sum).toBeUndefined();
    expect(ok).toEqual({ name: 'ok', type: 'boolean', filled: 4, distinct: 2, top: [{ value: true, count: 3 }] });
  });

  it('gives the distinct values of a column only while they are few and short', () => {
    const many = new StatsCollector(['id', 'objet', 'ville'], ['string', 'string', 'string']);
    for (let i = 0; i < 5000; i++) many.add([`id-${i}`, i === 4000 ? 'x'.repeat(201) : 'Fonctionnement', i % 7 === 0 ? 'Rennes' : 'Brest']);
    const [id, objet, ville] = many.result().columns;
    expect(id).toEqual({ name: 'id', type: 'string', filled: 5000, distinctOver: 1000 });
    // One long text: free text, not counted.
    expect(objet).toEqual({ name: 'objet', type: 'string', filled: 5000, longText: true });
    expect(ville).toMatchObject({ distinct: 2, top: [{ value: 'Brest', count: 4285 }, { value: 'Rennes', count: 715 }] });
    // The cap is shared out among many columns: memory stays bounded.
    expect(new StatsCollector(Array.from({ length: 1000 }, (_, i) => `c${i}`), []).cap).toBe(100);
    expect(many.cap).toBe(1000);
  });

  it('gives the same figures whatever the rows are split into (threads), skipped columns included', () => {
    const random = prng(7);
    const rows: Value[][] = Array.from({ length: 3000 }, () => [
      `n${Math.floor(random() * (random() < 0.5 ? 5 : 2000))}`,
      Math.round(random() * 1e6) / 100,
      random() < 0.1 ? null : Math.floor(random() * 4) / 4,
      `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`,
      2000 + Math.floor(random() * 25),
      random() < 0.5,
    ]);
    const whole = collect(rows).result();
    for (const cuts of [[1], [700, 1500, 2999], [10, 20, 30, 2000]]) {
      const main = collect(rows.slice(0, cuts[0]));
      let from = cuts[0];
      for (const to of [...cuts.slice(1), rows.length]) {
        // A segment dispatched later skips the columns already past counting, as parallel.ts does.
        main.merge(collect(rows.slice(from, to), main.over).state());
        from = to;
      }
      expect(main.result()).toEqual(whole);
    }
    expect(whole.columns[0].distinct).toBeUndefined();
    expect(whole.columns[1].sum).toBeGreaterThan(0);
  });

  it('keeps within the size of a DynamoDB item: most frequent values out first, then the last columns', () => {
    const columns = Array.from({ length: 200 }, (_, i) => ({ name: `colonne_${i}`, filled: 10, distinct: 2, top: [{ value: 'x'.repeat(80), count: 5 }, { value: 'y'.repeat(80), count: 5 }] }));
    const stats: TableStats = { rows: 10, columns };
    const small = boundedStats(stats);
    const size = (s: TableStats) => Buffer.byteLength(JSON.stringify(s));
    expect(size(stats)).toBeGreaterThan(MAX_STATS_BYTES);
    expect(size(small)).toBeLessThanOrEqual(MAX_STATS_BYTES);
    expect(small.columns[0].top).toBeDefined();
    expect(small.columns.at(-1)!.top).toBeUndefined();
    expect(small.columnsLeftOut).toBeUndefined();
    const wide: TableStats = { rows: 1, columns: Array.from({ length: 3000 }, (_, i) => ({ name: `une_colonne_au_nom_long_${i}`, filled: 1, distinct: 1 })) };
    const cut = boundedStats(wide);
    expect(size(cut)).toBeLessThanOrEqual(MAX_STATS_BYTES);
    expect(cut.columns.length + cut.columnsLeftOut!).toBe(3000);
    expect(boundedStats(small)).toBe(small);
  });

  it('describes a published subventions file in its report, in French in the HTML rendering', async () => {
    const csv = [
      'nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention',
      'Commune de Montréjeau;213 103 905 00138;15/03/2024;Club de foot;21310390500138;Fonctionnement;1 500,50 €;aide en numéraire;unique;2024-03-15;non;0,5',
      'Commune de Montréjeau;213 103 905 00138;31/12/2023;Amicale;21310390500138;Fête locale;2 000 €;aide en numéraire;unique;2024-01-15;non;1',
      'Commune de Montréjeau;213 103 905 00138;01/06/2024;Chorale;21310390500138;Concert;999,50 €;aide en nature;unique;2024-06-01;oui;1',
    ].join('\r\n');
    const { result } = await standardizeInMemory(Buffer.from(csv, 'utf8'), { schema: subventions });
    expect(result.report.valid).toBe(true);
    const stats = result.report.stats!;
    expect(stats.rows).toBe(3);
    const col = (name: string) => stats.columns.find((c) => c.name === name)!;
    expect(col('montant')).toMatchObject({ min: 999.5, max: 2000, sum: 4500 });
    expect(col('dateConvention')).toMatchObject({ min: '2023-12-31', max: '2024-06-01' });
    expect(col('nature')).toMatchObject({ distinct: 2, top: [{ value: 'aide en numéraire', count: 2 }] });
    // One value on every row: it is the most frequent.
    expect(col('nomAttribuant')).toMatchObject({ distinct: 1, top: [{ value: 'Commune de Montréjeau', count: 3 }] });
    expect(col('pourcentageSubvention')).toMatchObject({ min: 0.5, max: 1, proportion: true });
    expect(col('pourcentageSubvention').sum).toBeUndefined();
    // Columns of the schema the file has not: published empty, said so.
    expect(col('rnaBeneficiaire').filled).toBe(0);
    expect(stats.columns.map((c) => c.name)).toEqual(subventions.fields.map((f) => f.name));

    const html = renderReportHtml(result.report, 'subventions.csv');
    expect(html).toContain('Ce qui est publié, colonne par colonne');
    expect(html).toMatch(/<code>montant<\/code><br><small>Montant total de la subvention<\/small><br><small>colonne G<\/small><\/td><td>3 \(100\u00a0%\)<\/td><td>3<\/td><td><\/td><td>999,5 à 2\u202f000<\/td><td>4\u202f500<\/td>/);
    expect(html).toContain('31/12/2023 à 01/06/2024');
    // A share is shown as it was typed: in per cents.
    expect(html).toContain('<td>50\u00a0% à 100\u00a0%</td>');
    // A column of the schema the file has not: said so, not « vide ».
    expect(html).toMatch(/<code>rnaBeneficiaire<\/code>.*?absente du fichier<\/small><\/td><td>aucune : colonne absente \(facultative\)<\/td><td><\/td>/);
    expect(col('rnaBeneficiaire')).toMatchObject({ absent: true, filled: 0 });
    expect(col('montant')).toMatchObject({ title: 'Montant total de la subvention', column: 'G', required: true });
  });

  it('totals amounts and counts by the words of their names, not rates, unit prices, years or counts taken again on each row', () => {
    expect(['montant', 'montantTTC', 'MONTANT_HT', 'NOMBRE', 'nb_places', 'nombreDePlaces', 'totalDepenses', 'Dépenses', 'quantité', 'budget', 'MT_HT'].filter((n) => !summable(n))).toEqual([]);
    const not = ['VOTE_EFFECTIF', 'VOTE_POUR', 'prixUnitaire', 'montantMoyen', 'pourcentageSubvention', 'tauxDeMontant', 'sommet', 'coutances', 'discount', 'valeurGlobale', 'numero', 'lat'];
    expect([...not, 'annee_budget', 'nombre_votants', 'exerciceBudget', 'code_montant'].filter(summable)).toEqual([]);
  });

  it('says when every value is seen as often as every other, and orders ties naturally', () => {
    const c = new StatsCollector(['paire', 'code'], ['string', 'string']);
    for (let k = 0; k < 3; k++) for (let i = 0; i < 12; i++) c.add([`P${i}`, i < 6 ? `P${i % 2 ? 10 : 2}` : `Q${i}`]);
    const [paire, code] = c.result().columns;
    expect(paire).toEqual({ name: 'paire', type: 'string', filled: 36, distinct: 12, sameCount: 3 });
    // P2 and P10 nine times each, Q6 to Q11 three times each: in natural order (Q10 after Q9).
    expect(code.top!.map((t) => t.value)).toEqual(['P2', 'P10', 'Q6', 'Q7', 'Q8']);
    expect(['P10', 'P2', 'p1', 'P02', 'A', ''].sort(naturalOrder)).toEqual(['', 'A', 'P02', 'P2', 'P10', 'p1']);
    // By value whatever the zeros before: 1 < 02 < 2 < 003 < 10.
    expect(['P1', 'P02', 'P10', 'P003', 'P2'].sort(naturalOrder)).toEqual(['P1', 'P02', 'P2', 'P003', 'P10']);
  });

  it('orders date-times by the instant, whatever their zones', () => {
    const c = new StatsCollector(['horodatage'], ['datetime']);
    for (const t of ['2024-03-02T01:00:00+01:00', '2024-03-01T23:30:00-05:00', '2024-03-01T12:00:00Z']) c.add([t]);
    expect(c.result().columns[0]).toMatchObject({ min: '2024-03-01T12:00:00Z', max: '2024-03-01T23:30:00-05:00' });
  });

  it('leaves out numbers no JSON holds and a total past the largest number; quotes cut between characters, not inside an emoji', () => {
    const c = new StatsCollector(['montant', 'nom'], ['number', 'string']);
    c.add([1.7e308, 'x'.repeat(78) + '\u{1F600}' + 'y']);
    c.add([1.7e308, 'x'.repeat(78) + '\u{1F600}' + 'y']);
    c.add([Infinity, 'z']);
    const [montant, nom] = c.result().columns;
    expect(montant).toEqual({ name: 'montant', type: 'number', filled: 3, distinct: 1, top: [{ value: 1.7e308, count: 2 }], min: 1.7e308, max: 1.7e308 });
    expect(nom.top![0].value).toBe('x'.repeat(78) + '…');
    expect(JSON.stringify(c.result())).not.toContain('null');
  });

  it('shows numbers as French writes them: the sign of -0,5, years without spaces', () => {
    expect(frenchNumber(-0.5)).toBe('-0,5');
    expect(frenchNumber(-1234567.25)).toBe('-1\u202f234\u202f567,25');
    const report = { valid: true, schema: null, file: { bytes: 1 }, rowCount: 2, errorCount: 0, warningCount: 0, codes: {}, issues: [], truncated: false, summary: 'ok' };
    const stats: TableStats = { rows: 2, columns: [{ name: 'ANNEE', type: 'year', filled: 2, distinct: 2, min: 2020, max: 2024 }, { name: 'solde', type: 'number', filled: 1, distinct: 1, min: -0.5, max: -0.5 }] };
    const html = renderReportHtml({ ...report, stats }, 'f.csv');
    expect(html).toContain('<td>2020 à 2024</td>');
    expect(html).toContain('<td>-0,5</td>');
    expect(html).toContain('1 (50,0\u00a0%)');
  });

  it('a BAL’s numero 99999 (a place without address) is left out of the range of numbers, counted among the values', async () => {
    const header = 'uid_adresse;cle_interop;commune_insee;commune_nom;commune_deleguee_insee;commune_deleguee_nom;voie_nom;lieudit_complement_nom;numero;suffixe;position;x;y;long;lat;cad_parcelles;source;date_der_maj;certification_commune';
    const line = (numero: number, voie: string, key: string) =>
      `;31555_${key}_${String(numero).padStart(5, '0')};31555;Toulouse;;;${voie};;${numero};;${numero === 99999 ? '' : 'entrée'};${numero === 99999 ? ';;;' : '574000.5;6279000.5;1.44;43.6'};;commune;2024-01-15;1`;
    const csv = [header, line(1, 'Rue de la Paix', 'a001'), line(12, 'Rue de la Paix', 'a001'), line(99999, 'Le Bois', 'b002')].join('\n');
    const { result } = await standardizeInMemory(Buffer.from(csv), { schema: bal14 });
    expect(result.report.valid).toBe(true);
    const numero = result.report.stats!.columns.find((c) => c.name === 'numero')!;
    expect(numero).toMatchObject({ filled: 3, distinct: 3, min: 1, max: 12, rangeLeavesOut: 99999 });
    // Said only when some row holds it.
    const without = await standardizeInMemory(Buffer.from(csv.split('\n').slice(0, 3).join('\n')), { schema: bal14 });
    expect(without.result.report.stats!.columns.find((c) => c.name === 'numero')!.rangeLeavesOut).toBeUndefined();
    // Its coordinates, text in its schema, ranged as numbers: the commune's bounding box.
    const coordinate = (name: string) => result.report.stats!.columns.find((c) => c.name === name)!;
    expect(coordinate('long')).toMatchObject({ type: 'string', filled: 2, min: 1.44, max: 1.44 });
    expect(coordinate('y')).toMatchObject({ min: 6279000.5, max: 6279000.5 });
  });

  it('says in French what the figures mean: more than the cap, free text, ties, months and date-times, years, a number left out', () => {
    const report = { valid: true, schema: null, file: { bytes: 1 }, rowCount: 100, errorCount: 0, warningCount: 0, codes: {}, issues: [], truncated: false, summary: 'ok' };
    const stats: TableStats = {
      rows: 100,
      columns: [
        { name: 'id', type: 'string', column: 'A', filled: 100, distinctOver: 1000 },
        { name: 'commentaire', type: 'string', column: 'B', filled: 5, longText: true },
        { name: 'paire', type: 'string', column: 'C', filled: 100, distinct: 20, sameCount: 5 },
        { name: 'mois', type: 'yearmonth', column: 'D', filled: 100, distinct: 2, min: '2020-01', max: '2024-12' },
        { name: 'horodatage', type: 'datetime', column: 'E', filled: 100, distinct: 100, min: '2024-03-01T00:30:00Z', max: '2024-03-28T23:30:05+01:00' },
        { name: 'annee_budget', type: 'integer', column: 'F', filled: 100, distinct: 2, min: 2020, max: 2024 },
        // Years decided for the whole column: not a count of years, nor a range past 9999.
        { name: 'nb_annees', type: 'integer', column: 'H', filled: 100, distinct: 2, min: 1000, max: 1500 },
        { name: 'anneeDebut', type: 'integer', column: 'I', filled: 100, distinct: 2, min: 2019, max: 12000 },
        { name: 'numero', type: 'integer', column: 'G', filled: 100, distinct: 9, min: 1, max: 16, rangeLeavesOut: 99999 },
      ],
    };
    const html = renderReportHtml({ ...report, stats }, 'f.csv');
    expect(html).toContain('<td>plus de 1\u202f000</td>');
    expect(html).toContain('<td>texte libre, non comptées</td>');
    // Filled in 5 rows of 100: pointed out.
    expect(html).toMatch(/<tr class="warning"><td><code>commentaire<\/code>/);
    expect(html).toContain('<td>toutes à égalité (5 fois chacune)</td>');
    expect(html).toContain('<td>01/2020 à 12/2024</td>');
    expect(html).toContain('<td>01/03/2024 00:30 (UTC) à 28/03/2024 23:30:05 (UTC+01:00)</td>');
    expect(html).toContain('<td>2020 à 2024</td>');
    expect(html).toContain('<td>1\u202f000 à 1\u202f500</td>');
    expect(html).toContain('<td>2\u202f019 à 12\u202f000</td>');
    expect(html).toContain('<td>1 à 16 <small>(hors 99999)</small></td>');
    const plain = renderReportHtml({ ...report, stats: { rows: 1, columns: [{ name: 'Montant voté', filled: 1, distinct: 1 }] } }, 'f.csv');
    expect(plain).toContain('Sans schéma, chaque valeur est publiée comme un texte : ni étendue, ni total');
  });

  it('is absent from the report of a refused file (nothing was published)', async () => {
    const { result } = await standardizeInMemory(Buffer.from('nomAttribuant;montant\r\nX;abc\r\n'), { schema: subventions });
    expect(result.report.valid).toBe(false);
    expect(result.report.stats).toBeUndefined();
  });
});
