import { recordTable, selectRecords } from '../../../functions/domain/catalog/records';

const rows = [
  { nom: 'Piscine', type: 'sport', places: 120, ouvert: true, date: '2024-01-02' },
  { nom: 'Stade', type: 'sport', places: null, ouvert: false, date: '2023-05-01' },
  { nom: 'Médiathèque', type: 'culture', places: 40, ouvert: true, date: null },
  { nom: 'Gymnase', type: 'sport', places: 300, ouvert: true, date: '2022-09-10' },
];
const table = () => recordTable(['nom', 'type', 'places', 'ouvert', 'date'], rows);

describe('records preview', () => {
  it('filters by exact typed value, pages with limit/offset and counts the total', () => {
    const t = table();
    expect(selectRecords(t, { limit: 2, offset: 0, filters: { type: 'sport' } })).toEqual({ total: 3, items: [rows[0], rows[1]] });
    expect(selectRecords(t, { limit: 2, offset: 2, filters: { type: 'sport' } }).items).toEqual([rows[3]]);
    expect(selectRecords(t, { limit: 10, offset: 0, filters: { places: '40' } }).items).toEqual([rows[2]]);
    expect(selectRecords(t, { limit: 10, offset: 0, filters: { places: '40.0' } }).items).toEqual([rows[2]]);
    expect(selectRecords(t, { limit: 10, offset: 0, filters: { ouvert: 'false' } }).items).toEqual([rows[1]]);
    expect(selectRecords(t, { limit: 10, offset: 0, filters: { places: '' } }).items).toEqual([rows[1]]);
    expect(selectRecords(t, { limit: 10, offset: 0, filters: { nom: 'piscine' } }).total).toBe(0);
  });

  it('sorts ascending or descending with empty cells last, and reuses the order', () => {
    const t = table();
    expect(selectRecords(t, { limit: 10, offset: 0, sort: 'places', filters: {} }).items.map((r) => r.nom)).toEqual(['Médiathèque', 'Piscine', 'Gymnase', 'Stade']);
    expect(selectRecords(t, { limit: 10, offset: 0, sort: '-places', filters: {} }).items.map((r) => r.nom)).toEqual(['Gymnase', 'Piscine', 'Médiathèque', 'Stade']);
    expect(selectRecords(t, { limit: 10, offset: 0, sort: '-date', filters: { type: 'sport' } }).items.map((r) => r.nom)).toEqual(['Piscine', 'Stade', 'Gymnase']);
    expect(t.sorted.size).toBe(2);
  });

  it('filters, sorts and pages a 100,000-row preview', () => {
    const big = recordTable(
      ['id', 'commune', 'montant'],
      Array.from({ length: 100_000 }, (_, i) => ({ id: i, commune: `c${i % 300}`, montant: (i * 7919) % 10_000 })),
    );
    selectRecords(big, { limit: 50, offset: 0, sort: '-montant', filters: {} });
    const page = selectRecords(big, { limit: 50, offset: 100, sort: '-montant', filters: { commune: 'c42' } });
    expect(page.total).toBe(334); // ids 42, 342, … below 100,000
    // (Timing is the benchmark's business, not a test's: see README › Performance.)
  });
});
