import * as fs from 'fs';
import * as path from 'path';
import { badInputs, FRENCH_CP1252_CSV, toWindows1252 } from '../../fixtures/bad-inputs';
import { headerIndex, openTable } from '../../../functions/domain/standardize/read/open-table';
import { chunked, readAll } from './helpers';

describe('openTable on the bad-input corpus', () => {
  for (const input of badInputs) {
    it(`${input.name} → ${input.expectedCodes.join(', ') || 'reads cleanly'}`, async () => {
      const { codes, error } = await readAll(input.bytes());
      expect([...new Set(codes)].sort()).toEqual([...input.expectedCodes].sort());
      if (error) {
        expect(error.message).toMatch(/[a-zé]/);
        expect(error.message).not.toMatch(/undefined|NaN|\[object/);
      }
    });
  }

  it('skips lines of bare delimiters like blank lines, keeping the line numbers', async () => {
    const input = badInputs.find((b) => b.name.includes('bare delimiters'))!;
    const { rows } = await readAll(input.bytes());
    expect(rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [2, 'A'],
      [4, 'B'],
    ]);
  });

  it('names the line of a late invalid UTF-8 byte', async () => {
    const input = badInputs.find((b) => b.name.startsWith('invalid UTF-8 late'))!;
    const { error, rows } = await readAll(input.bytes());
    expect(error?.code).toBe('invalid-encoding');
    expect(error?.row).toBe(40003);
    expect(error?.message).toContain('ligne 40003');
    expect(rows.length).toBeGreaterThan(30000);
  });

  it('switches to Windows-1252 exactly when the head was pure ASCII', async () => {
    const input = badInputs.find((b) => b.name.startsWith('Latin-1 byte late'))!;
    const { rows, encoding } = await readAll(input.bytes());
    expect(rows.at(-1)).toEqual({ cells: ['Elève', 'A'], row: 40002 });
    expect(encoding).toBe('windows-1252');
  });

  it('refuses the 2 MB line without waiting for its end', async () => {
    const { error } = await readAll(badInputs.find((b) => b.name === '2 MB single line')!.bytes(), { chunkSize: 16 * 1024 });
    expect(error).toMatchObject({ code: 'row-too-large', row: 2 });
  });

  it('reports missing and extra cells per row, Frictionless-style, and keeps the width', async () => {
    const { rows } = await readAll(Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8,9\n'));
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', '2', '3'],
      ['4', '5', null],
      ['6', '7', '8'],
    ]);
    expect(rows[1].issues).toEqual([expect.objectContaining({ code: 'missing-cell', row: 3, column: 'c', severity: 'error' })]);
    expect(rows[2].issues).toEqual([expect.objectContaining({ code: 'extra-cell', row: 4, value: '9' })]);
  });

  it('skips title rows above the header: by the columns the schema names, or else by how many cells are filled', async () => {
    const score = (cells: readonly unknown[]) => cells.filter((c) => c === 'nom' || c === 'montant').length;
    const titled = 'Subventions versées en 2024;;Édité le 02/01/2025\r\n\r\nnom;montant;note\r\nAsso;12;\r\n';
    const t = await openTable(chunked(Buffer.from(titled)), { headerScore: score });
    expect(t.header).toEqual(['nom', 'montant', 'note']);
    const rows = [];
    for await (const r of t.rows) rows.push({ cells: r.cells, row: r.row });
    expect(rows).toEqual([{ cells: ['Asso', '12', ''], row: 4 }]);
    expect(t.issues).toEqual([expect.objectContaining({ code: 'title-rows', severity: 'warning', row: 1 }), expect.objectContaining({ code: 'blank-row' })]);
    expect(t.issues[0].message).toContain('La ligne 1 est ignorée : elle précède la ligne des noms de colonnes (ligne 3)');
    // Line 2 is blank: counted by blank-row, not named as a title.
    // Without a schema: a one-cell title above a wider row.
    const plain = await readAll(Buffer.from('Subventions 2024\r\nnom;montant\r\nAsso;12\r\n'));
    expect(plain.header).toEqual(['nom', 'montant']);
    expect(plain.rows).toEqual([{ cells: ['Asso', '12'], row: 3 }]);
    // A first row that names as many columns stays the header; so does the header of a one-column table.
    const kept = await openTable(chunked(Buffer.from('nom;montant\r\nnom;montant\r\n')), { headerScore: score });
    expect(kept.header).toEqual(['nom', 'montant']);
    expect((await readAll(Buffer.from('nom\r\nAsso\r\nClub\r\n'))).header).toEqual(['nom']);
    // Without a schema, a header with an unnamed column is no title.
    const unnamed = await readAll(Buffer.from('commune;\r\nToulouse;31555\r\nMuret;31395\r\n'));
    expect(unnamed.header).toEqual(['commune', '']);
    expect(unnamed.rows).toHaveLength(2);
    // A full first row is not a title, whatever comes after.
    expect((await openTable(chunked(Buffer.from('a;b;c\r\nnom;montant;x\r\n')), { headerScore: score })).header).toEqual(['a', 'b', 'c']);
  });

  it('takes a header that names most of the schema’s columns under a title block of more than two cells', async () => {
    const names = ['nom', 'montant', 'date', 'objet', 'ville', 'code'];
    const score = (cells: readonly unknown[]) => cells.filter((c) => names.includes(c as string)).length;
    const rows = (...cells: string[][]) => cells.map((c) => ({ cells: c }));
    const title = ['Collectivité :', 'Commune de Muret', 'Exercice :', '2024'];
    expect(headerIndex(rows(title, [], names, ['Asso', '12', '2024-01-02', 'x', 'Muret', 'A']), score, names.length)).toBe(2);
    // Not over a first row as full as the table, nor with a header naming half of the columns or fewer.
    expect(headerIndex(rows(['a', 'b', 'c', 'd'], ['nom', 'montant', 'date', 'objet', 'x', 'y']), score, names.length)).toBe(0);
    expect(headerIndex(rows(title, ['nom', 'montant', 'date', 'x', 'y', 'z']), score, names.length)).toBe(0);
    // A header on row 1 is the header, whatever comes after.
    expect(headerIndex(rows(names, names), score, names.length)).toBe(0);
    expect(headerIndex(rows(names, title, names), score, names.length)).toBe(0);

    const titled = `${title.join(';')}\r\n;;;;;\r\n${names.join(';')}\r\nAsso;12;2024-01-02;x;Muret;A\r\n`;
    const t = await openTable(chunked(Buffer.from(titled)), { headerScore: score, schemaColumns: names.length });
    expect(t.header).toEqual(names);
    expect(t.headerRow).toBe(3);
    expect(t.issues).toEqual([expect.objectContaining({ code: 'title-rows', row: 1 })]);
  });

  it("follows Excel's sep= first line: its delimiter, and the header on line 2", async () => {
    for (const bom of ['', '\uFEFF']) {
      const { header, rows, delimiter } = await readAll(Buffer.from(`${bom}sep=;\r\na;b,c\r\n1;2,5\r\n`));
      expect(delimiter).toBe(';');
      expect(header).toEqual(['a', 'b,c']);
      expect(rows).toEqual([{ cells: ['1', '2,5'], row: 3 }]);
    }
  });

  it('reports a row shifted by a stray delimiter, even when the cell it pushes out is empty', async () => {
    const { rows } = await readAll(Buffer.from('nom;ville;adresse\r\nDupont;Muret;1 rue A\r\nMartin;Saint-Jean; de-Luz;\r\n'));
    expect(rows[1].issues).toEqual([expect.objectContaining({ code: 'extra-cell', row: 3, value: '' })]);
  });

  it('ignores empty cells past the header, as a spreadsheet export leaves them', async () => {
    const { rows } = await readAll(Buffer.from('a;b\r\n1;2;;;\r\n3;4;\r\n5;6;;x\r\n'));
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(rows.slice(0, 2).every((r) => r.issues === undefined)).toBe(true);
    expect(rows[2].issues).toEqual([expect.objectContaining({ code: 'extra-cell', row: 4, value: 'x' })]);
  });

  it('reads a Windows-1252 ; CSV with French values', async () => {
    const { rows, header, encoding, delimiter, format } = await readAll(toWindows1252(FRENCH_CP1252_CSV));
    expect({ format, encoding, delimiter }).toEqual({ format: 'csv', encoding: 'windows-1252', delimiter: ';' });
    expect(header).toEqual(['dateConvention', 'montant', 'nomBeneficiaire', 'objet']);
    expect(rows[0].cells).toEqual(['31/12/2024', '1 234,56 €', 'Société d’économie mixte', 'Fête de l’été']);
    expect(rows[1].cells[2]).toBe('Œuvre des écoles');
  });

  it('places an invalid UTF-8 byte by row, wherever the decoder finds it', async () => {
    const twoLines = '1;"deux\r\nlignes"\r\n';
    const bad = Buffer.from([0x32, 0x3b, 0xe9, 0x0d, 0x0a]);
    // Among the bytes the encoding is judged on, after UTF-8 text.
    const early = Buffer.concat([Buffer.from('id;note é\r\n' + twoLines.repeat(10), 'utf8'), bad]);
    expect((await readAll(early)).error).toMatchObject({ code: 'invalid-encoding', row: 12, message: expect.stringContaining('ligne 12.') });
    // Right after them, behind a BOM: found while the reader sniffs the delimiter.
    const head = '\uFEFFid;note\r\n' + twoLines.repeat(100) + '2;';
    const justAfter = Buffer.concat([Buffer.from(head + 'a'.repeat(64 * 1024 + 1 - Buffer.byteLength(head)), 'utf8'), bad.subarray(2)]);
    expect((await readAll(justAfter, { chunkSize: 64 * 1024 })).error).toMatchObject({ code: 'invalid-encoding', row: 102 });
    // Later, while the records stream.
    const late = Buffer.concat([Buffer.from('id;note é\r\n' + twoLines.repeat(8000), 'utf8'), bad]);
    expect((await readAll(late)).error).toMatchObject({ code: 'invalid-encoding', row: 8002 });
  });

  it('keeps quoted newlines, in the row they start on', async () => {
    const { rows } = await readAll(Buffer.from('id,commentaire\r\n1,"ligne 1\r\nligne 2"\r\n2,"dit ""bonjour"""\r\n'), { chunkSize: 5 });
    expect(rows).toEqual([
      { cells: ['1', 'ligne 1\r\nligne 2'], row: 2 },
      { cells: ['2', 'dit "bonjour"'], row: 3 },
    ]);
  });

  it('reads Excel’s « Texte Unicode » (UTF-16 with a byte order mark, tabs) and says it was UTF-16', async () => {
    const text = 'nom\tville\tnote\r\nRené\tBesançon\t"deux\r\nlignes"\r\nŒuvre 🏛\tSaint-Étienne\t"dit ""oui"""\r\n';
    const expected = [
      { cells: ['René', 'Besançon', 'deux\r\nlignes'], row: 2 },
      { cells: ['Œuvre 🏛', 'Saint-Étienne', 'dit "oui"'], row: 3 },
    ];
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    // Chunks of 3 bytes cut characters and surrogate pairs in two.
    for (const [bytes, encoding] of [[le, 'utf-16le'], [be, 'utf-16be']] as const) {
      for (const chunkSize of [3, 64 * 1024]) {
        const read = await readAll(bytes, { chunkSize });
        expect({ format: read.format, encoding: read.encoding, delimiter: read.delimiter, header: read.header }).toEqual({ format: 'csv', encoding, delimiter: '\t', header: ['nom', 'ville', 'note'] });
        expect(read.rows).toEqual(expected);
      }
    }
    // Without the mark: the zero byte of each Latin character says which order.
    const bare = await readAll(Buffer.from(text, 'utf16le'));
    expect({ encoding: bare.encoding, rows: bare.rows }).toEqual({ encoding: 'utf-16le', rows: expected });
    // A JSON array saved as UTF-16 is a JSON array.
    const json = await readAll(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{"nom": "René"}]', 'utf16le')]));
    expect({ format: json.format, encoding: json.encoding, rows: json.rows.map((r) => r.cells) }).toEqual({ format: 'json', encoding: 'utf-16le', rows: [['René']] });
  });

  it('names the line of an unreadable UTF-16 character, and reads UTF-16 only once', async () => {
    const broken = Buffer.concat([Buffer.from('\uFEFFa\tb\r\n1\t2\r\n3\t', 'utf16le'), Buffer.from([0x3d, 0xd8]), Buffer.from('x\r\n', 'utf16le')]);
    expect((await readAll(broken)).error).toMatchObject({ code: 'invalid-encoding', row: 3, message: expect.stringContaining('ligne 3') });
    // An odd last byte.
    expect((await readAll(Buffer.concat([Buffer.from('\uFEFFa\tb\r\n1\t2', 'utf16le'), Buffer.from([0x41])]))).error).toMatchObject({ code: 'invalid-encoding', row: 2 });
    // Line breaks written CR alone count too.
    const crOnly = Buffer.concat([Buffer.from('\uFEFFa\tb\r1\t2\r3\t4\r5\t', 'utf16le'), Buffer.from([0x3d, 0xd8])]);
    expect((await readAll(crOnly)).error).toMatchObject({ code: 'invalid-encoding', row: 4 });
    // Without a mark, a character whose zero byte is on the other side (an emoji's half, ✀) does not hide the order.
    const bare = await readAll(Buffer.from('nom\tobjet\r\nÉté\tFête 😀 ✀\r\n', 'utf16le'));
    expect({ encoding: bare.encoding, cells: bare.rows[0]?.cells }).toEqual({ encoding: 'utf-16le', cells: ['Été', 'Fête 😀 ✀'] });
    // UTF-16 of UTF-16: decoded once, then binary.
    const twice = Buffer.from(Buffer.from('a\tb\r\n1\t2\r\n', 'utf16le').toString('latin1'), 'utf16le');
    expect((await readAll(twice)).error).toMatchObject({ code: 'unknown-format' });
  });

  it('reads a UTF-8 BOM CSV', async () => {
    const { rows, header, encoding } = await readAll(Buffer.from('\uFEFFnom;ville\nRené;Besançon\n'));
    expect(header).toEqual(['nom', 'ville']);
    expect(rows[0].cells).toEqual(['René', 'Besançon']);
    expect(encoding).toBe('utf-8');
  });

  it('reads JSON arrays with the union of keys and CSV-like scalars', async () => {
    const { rows, header, format } = await readAll(Buffer.from('[{"a": 1234.56, "b": true}, {"c": "x", "a": null}]'));
    expect(format).toBe('json');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      { cells: ['1234.56', 'true', null], row: 2 },
      { cells: [null, null, 'x'], row: 3 },
    ]);
  });

  it('reads the one array of objects a wrapping object holds, and Opendatasoft records by their fields', async () => {
    for (const doc of ['{"data": [{"a": 1}, {"a": 2}]}', '{"total": 2, "records": [{"a": 1}, {"a": 2}]}', '{"records": [{"recordid": "x", "fields": {"a": 1}}, {"fields": {"a": 2}}]}']) {
      const { header, rows } = await readAll(Buffer.from(doc));
      expect({ doc, header, cells: rows.map((r) => r.cells) }).toEqual({ doc, header: ['a'], cells: [['1'], ['2']] });
    }
    // Two arrays: which one is the table is not guessed.
    const { error } = await readAll(Buffer.from('{"a": [{"x": 1}], "b": [{"y": 2}]}'));
    expect(error?.code).toBe('invalid-json-shape');
  });

  it('lets the caller flatten nested JSON (DECP)', async () => {
    const doc = Buffer.from('{"marches": [{"id": "1", "titulaires": [{"siret": "123"}]}]}');
    const { rows, header } = await readAll(doc, {
      flattenJson: (d) =>
        (d as { marches: { id: string; titulaires: { siret: string }[] }[] }).marches.map((m) => ({
          id: m.id,
          titulaireSiret: m.titulaires[0].siret,
        })),
    });
    expect(header).toEqual(['id', 'titulaireSiret']);
    expect(rows[0].cells).toEqual(['1', '123']);
  });
});

/** The official SCDL examples, when the shared reference checkout is next to the repo. */
const referenceRoot = path.resolve(__dirname, '../../../../shared/reference/scdl');
const hasReference = fs.existsSync(referenceRoot);

function csvFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? csvFiles(p) : e.name.endsWith('.csv') ? [p] : [];
  });
}

describe('reference SCDL examples', () => {
  if (!hasReference) {
    it('are not available here (skipped)', () => {
      console.log(`reference files absent at ${referenceRoot}: reference tests skipped`);
      expect(hasReference).toBe(false);
    });
    return;
  }

  for (const file of csvFiles(referenceRoot)) {
    it(`reads ${path.relative(referenceRoot, file)}`, async () => {
      const bytes = fs.readFileSync(file);
      const { rows, header, error } = await readAll(bytes);
      if (error) expect(error.code).toBe('header-only');
      else {
        expect(header!.length).toBeGreaterThan(1);
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(r.cells).toHaveLength(header!.length);
      }
    });
  }

  it('decodes the Latin-1 subventions example as Windows-1252', async () => {
    const { encoding, delimiter, header, rows } = await readAll(
      fs.readFileSync(path.join(referenceRoot, 'subventions/examples/exemple-duplicate-column.csv')),
    );
    expect({ encoding, delimiter }).toEqual({ encoding: 'windows-1252', delimiter: ',' });
    expect(header![0]).toBe('nomAttribuant');
    expect(rows.map((r) => r.cells.join(' ')).join('\n')).toMatch(/[éèàç]/);
  });

  it('reads the BAL examples (BOM, ;) with the right header', async () => {
    const { encoding, delimiter, header } = await readAll(
      fs.readFileSync(path.join(referenceRoot, 'bal/examples/aitf/v1.5/bal_simple_v1.5.csv')),
    );
    expect({ encoding, delimiter }).toEqual({ encoding: 'utf-8', delimiter: ';' });
    expect(header).toEqual(expect.arrayContaining(['id_ban_commune', 'toponyme', 'commune_insee']));
  });
});
