/**
 * `12.500` in a CSV is text someone typed: a French amount may be grouped so (12 500), or a
 * decimal written the data-file way (12.5): refused (`decimal-point-ambiguous`). In a workbook or a JSON file the
 * cell holds a number: 12.345 is what it holds, nothing to say.
 */
import * as XLSX from 'xlsx';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { standardizeInMemory } from './helpers';

const schema: TableSchemaDescriptor = {
  id: 'test/montants',
  version: '1.0.0',
  title: 'Montants',
  fields: [
    { name: 'nom', type: 'string' },
    { name: 'montant', type: 'number' },
  ],
};

async function codes(bytes: Buffer): Promise<string[]> {
  const { result } = await standardizeInMemory(bytes, { schema });
  return result.report.issues.map((i) => `${i.code}@${i.row}`);
}

function xlsx(rows: unknown[][], bookType: XLSX.BookType = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Feuille1');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

describe('a number with one dot before three digits', () => {
  it('typed in a CSV is refused, naming both readings', async () => {
    expect(await codes(Buffer.from('nom;montant\r\nClub;12.500\r\nÉcole;12.5\r\n'))).toEqual(['decimal-point-ambiguous@2']);
  });

  it('held by a workbook cell or a JSON number is not', async () => {
    expect(await codes(xlsx([['nom', 'montant'], ['Club', 12.345], ['École', 12.5]]))).toEqual([]);
    expect(await codes(Buffer.from(JSON.stringify([{ nom: 'Club', montant: 12.345 }])))).toEqual([]);
  });

  // A cell formatted as text, or a CSV pasted into a sheet as text: typed, as in a CSV.
  it.each(['xlsx', 'ods', 'biff8'] as const)('typed as text in a workbook (%s) is refused, a number beside it is not', async (bookType) => {
    expect(await codes(xlsx([['nom', 'montant'], ['Club', '12.500'], ['École', 12.345], ['Mairie', '960.000']], bookType))).toEqual(['decimal-point-ambiguous@2', 'decimal-point-ambiguous@4']);
  });

  it('written as a JSON string is refused, a JSON number is not', async () => {
    const json = JSON.stringify([{ nom: 'Club', montant: '12.500' }, { nom: 'École', montant: 12.345 }]);
    expect(await codes(Buffer.from(json))).toEqual(['decimal-point-ambiguous@2']);
  });
});
