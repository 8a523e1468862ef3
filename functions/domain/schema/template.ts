/**
 * Blank files to fill in, one per schema: what a commune downloads before typing its data,
 * so that the file it uploads has the right columns and its spreadsheet does not spoil the
 * values as they are typed.
 *
 * - `.xlsx`: a « Données » tab with the schema's column names (required ones in orange),
 *   frozen; each column formatted for what it holds: text for every text column (a SIRET
 *   typed in a number cell becomes 2,1E+13, a postal code loses its 0, `7.1` turns into a
 *   date), dates for date columns; a drop-down list for columns with a list of values and
 *   booleans; the column's title, description and example shown when a cell is selected.
 *   An « Aide » tab describes each column. The readers take the « Données » tab (the one
 *   shown), and the « Aide » tab, which names one column a row, is no table to them.
 * - `.csv`: the header line, `;`-separated, UTF-8 with a BOM, as a French Excel opens it in
 *   columns.
 */
import { columnLetters } from '../standardize/read/cell-ref';
import { compileSchema } from './compile';
import { DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES, expectedLabel } from './field-parsers';
import type { FieldDescriptor, TableSchemaDescriptor } from './types';
import { writeZip } from './zip-writer';

export type TemplateFormat = 'csv' | 'xlsx';

export const TEMPLATE_CONTENT_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `modele-scdl-subventions-2.1.1.xlsx`. */
export function templateFileName(schema: Pick<TableSchemaDescriptor, 'id' | 'version'>, format: TemplateFormat): string {
  return `modele-${schema.id.replace(/[^A-Za-z0-9.-]+/g, '-')}-${schema.version.replace(/[^A-Za-z0-9.-]+/g, '-')}.${format}`;
}

/** The header line, `;`-separated (a value holding `;` or `"` quoted), UTF-8 with a BOM, CRLF. */
export function templateCsv(schema: TableSchemaDescriptor): Buffer {
  const cell = (s: string): string => (/[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return Buffer.from(`\ufeff${schema.fields.map((f) => cell(f.name)).join(';')}\r\n`, 'utf8');
}

/** Rows a column's format and list reach down to: the sheet's last. */
const LAST_ROW = 1048576;
/** Excel's limits on a cell's input message. */
const PROMPT_TITLE_CHARS = 32;
const PROMPT_CHARS = 255;
/** An inline list (`"oui,non"`) is at most 255 characters; a longer one, or one whose values hold a comma or a quote, is read from the « Listes » tab. */
const INLINE_LIST_CHARS = 255;

/** Style indexes of styles.xml's cellXfs, in order. */
const STYLE = { normal: 0, headerRequired: 1, headerOptional: 2, text: 3, date: 4, dateTime: 5, wrap: 6, title: 7, bold: 8 } as const;

const INVALID_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xml(s: string): string {
  return s.replace(INVALID_XML_CHARS, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * A text column holding a decimal number (BAL coordinates, `357853.00`, `-1.5883112`): how
 * many decimals its example has; undefined for any other column. A code written with a point
 * (an ACTES matière, `7.1`, whose `7.10` a number cell would turn into 7.1) is no number: a
 * number's example is negative or has two digits or more on each side of its point.
 */
function decimalText(f: FieldDescriptor): number | undefined {
  const m = f.type === 'string' && f.example !== undefined ? /^(-?)(\d+)\.(\d+)$/.exec(f.example) : null;
  if (!m || m[3].length < 2 || (m[1] === '' && m[2].length < 2)) return undefined;
  return m[3].length;
}

/** The style of a number cell showing `decimals` decimals (styles.xml: one per count the schema needs, after STYLE's). */
type DecimalStyles = Map<number, number>;

/**
 * The cell style a column is formatted with, so that what is typed stays as typed: text for
 * text columns, dates for dates. A text column of decimal numbers is a number cell showing
 * its example's decimals: a French spreadsheet reads `-1,5` typed there as a number, stored
 * with a point, and the readers write the decimals the cell shows (`-1.0000000`, not `-1`).
 */
function columnStyle(f: FieldDescriptor, decimals: DecimalStyles): number {
  if (f.type === 'date') return STYLE.date;
  if (f.type === 'datetime') return STYLE.dateTime;
  const k = decimalText(f);
  if (k !== undefined) return decimals.get(k)!;
  if (f.type === 'string' || f.type === 'yearmonth') return STYLE.text;
  return STYLE.normal;
}

/** `2017-03-14` → `14/03/2017`, `-1.5883112` → `-1,5883112`: a value as it is typed in the workbook (date cells, number cells of a French spreadsheet). */
function typedExample(f: FieldDescriptor): string | undefined {
  if (f.example === undefined) return undefined;
  if (decimalText(f) !== undefined) return f.example.replace('.', ',');
  if (f.type !== 'date' && f.type !== 'datetime') return f.example;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(f.example);
  return m ? `${m[3]}/${m[2]}/${m[1]}${m[4] ? ` ${m[4]}:${m[5]}` : ''}` : f.example;
}

/** What the column holds, as it is typed in the workbook. */
function contentLabel(f: FieldDescriptor): string {
  if (f.type === 'date' && !f.format?.includes('%')) return 'une date (JJ/MM/AAAA)';
  if (f.type === 'datetime' && !f.format?.includes('%')) return 'une date et une heure (JJ/MM/AAAA HH:MM)';
  const k = decimalText(f);
  if (k !== undefined) return `un nombre à virgule (${k} décimale${k > 1 ? 's' : ''})`;
  return expectedLabel(f);
}

/** The values a column's drop-down offers: its list, or a boolean's two spellings. */
function listValues(f: FieldDescriptor): string[] | undefined {
  if (f.constraints?.enum !== undefined) return f.constraints.enum.map(String);
  if (f.arrayItem?.constraints?.enum !== undefined) return undefined; // a JSON array of them: no single value to pick
  if (f.type === 'boolean') return [(f.trueValues ?? DEFAULT_TRUE_VALUES)[0], (f.falseValues ?? DEFAULT_FALSE_VALUES)[0]];
  return undefined;
}

function inlineCell(ref: string, text: string, style?: number): string {
  return `<c r="${ref}"${style !== undefined ? ` s="${style}"` : ''} t="inlineStr"><is><t xml:space="preserve">${xml(text)}</t></is></c>`;
}

/** A row of text cells, empty ones left out; `style` for all of them, or by column. */
function row(r: number, cells: (string | undefined)[], style?: number | ((column: number) => number | undefined)): string {
  const styleOf = typeof style === 'function' ? style : () => style;
  return `<row r="${r}">${cells.map((text, c) => (text === undefined || text === '' ? '' : inlineCell(`${columnLetters(c)}${r}`, text, styleOf(c)))).join('')}</row>`;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** What the input message of a column says: its title, whether it is required, its description and example. */
function prompt(f: FieldDescriptor): string {
  const example = typedExample(f);
  const sentence = (p: string | undefined): string | undefined => (p && p.trim() ? (/[.!?…]$/.test(p.trim()) ? p.trim() : `${p.trim()}.`) : undefined);
  const parts = [sentence(f.title), f.constraints?.required ? 'Obligatoire.' : undefined, sentence(f.description), example !== undefined ? `Exemple : ${example}` : undefined];
  return cut(parts.filter((p): p is string => !!p).join(' '), PROMPT_CHARS);
}

/** A list too long to write inline: its column in the « Listes » tab. */
interface ListColumn {
  name: string;
  values: string[];
}

function dataSheet(schema: TableSchemaDescriptor, lists: ListColumn[], decimals: DecimalStyles): string {
  const cols = schema.fields
    .map((f, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.min(45, Math.max(14, f.name.length + 4))}" style="${columnStyle(f, decimals)}" customWidth="1"/>`)
    .join('');
  const header = `<row r="1">${schema.fields.map((f, i) => inlineCell(`${columnLetters(i)}1`, f.name, f.constraints?.required ? STYLE.headerRequired : STYLE.headerOptional)).join('')}</row>`;
  const validations = schema.fields.map((f, i) => {
    const letters = columnLetters(i);
    const range = `${letters}2:${letters}${LAST_ROW}`;
    const message = `promptTitle="${xml(cut(f.name, PROMPT_TITLE_CHARS))}" prompt="${xml(prompt(f))}"`;
    const values = listValues(f);
    if (!values) return `<dataValidation allowBlank="1" showInputMessage="1" ${message} sqref="${range}"/>`;
    const inline = `"${values.join(',')}"`;
    let formula: string;
    if (inline.length <= INLINE_LIST_CHARS && !values.some((v) => /[,"]/.test(v))) formula = inline;
    else {
      const at = columnLetters(lists.length);
      lists.push({ name: f.name, values });
      formula = `Listes!$${at}$2:$${at}$${values.length + 1}`;
    }
    // A warning, not a refusal: a value spelt otherwise (accents, case) is read all the same.
    const error = 'errorTitle="Valeur hors liste" error="Cette valeur n’est pas dans la liste du schéma : le fichier risque d’être refusé au dépôt."';
    return `<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorStyle="warning" ${error} ${message} sqref="${range}"><formula1>${xml(formula)}</formula1></dataValidation>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}>` +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${header}</sheetData>` +
    `<dataValidations count="${validations.length}">${validations.join('')}</dataValidations>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}

// « Intitulé » would be an alias (header-aliases.ts: a délibération's object), hence « Nom en clair ».
const HELP_COLUMNS = ['Colonne', 'Nom en clair', 'Obligatoire', 'Contenu attendu', 'Exemple', 'Valeurs possibles', 'Explication'];
/** Characters of the « Valeurs possibles » cell (a cell holds 32,767 at most): the drop-down has them all. */
const HELP_VALUES_CHARS = 2000;

/**
 * The « Aide » tab's headings, none of them naming a column of the schema (a catalogue schema
 * has TITRE and DESCRIPTION): the readers must never take the tab for a table, even when the
 * workbook is saved with it shown. A heading that names one is marked « – aide ».
 */
function helpHeadings(compiled: ReturnType<typeof compileSchema>): string[] {
  return HELP_COLUMNS.map((h) => unnamed(compiled, h));
}

/**
 * `text` marked « – aide » until it names no column of the schema. Not « (aide) »: the header
 * lookup reads a heading without what a template adds in brackets (normalize-fr.ts ›
 * headingCore), so « Intitulé (aide) » would still name a column.
 */
function unnamed(compiled: ReturnType<typeof compileSchema>, text: string): string {
  let out = text;
  while (compiled.bind([out]).validator.columns.some((c) => c >= 0)) out += ' – aide';
  return out;
}

/**
 * A row of the « Aide » tab names its own column (its name, its title): only one. A cell past
 * the name that names another column (a title or an example equal to another field's name, in
 * a custom schema) is marked, so that no row names two, which a table's header would.
 */
function helpRow(compiled: ReturnType<typeof compileSchema>, cells: string[]): string[] {
  const named = (c: readonly string[]): number => compiled.bind(c).validator.columns.filter((x) => x >= 0).length;
  if (named(cells) < 2) return cells;
  return cells.map((text, i) => (i === 0 || text === '' ? text : unnamed(compiled, text)));
}
const HELP_WIDTHS = [24, 34, 12, 30, 26, 34, 80];

function helpSheet(schema: TableSchemaDescriptor): string {
  const intro = [
    `Modèle « ${schema.title} » — schéma ${schema.id} ${schema.version}${schema.url ? ` (${schema.url})` : ''}`,
    'Remplissez l’onglet « Données », une ligne par enregistrement, sans changer sa première ligne. Les colonnes à en-tête orangé sont obligatoires ; les autres se laissent vides quand l’information manque.',
    'Chaque colonne est déjà au bon format (texte, date, nombre) : tapez les valeurs telles quelles, les dates en JJ/MM/AAAA. Puis déposez ce classeur (.xlsx) : il est vérifié et publié, ou bien un rapport indique ce qu’il faut corriger.',
  ];
  const compiled = compileSchema(schema);
  const rows = [row(1, [intro[0]], STYLE.title), row(2, [intro[1]]), row(3, [intro[2]]), row(5, helpHeadings(compiled), STYLE.bold)];
  // « Valeurs possibles » and « Explication » wrap.
  const helpStyle = (c: number): number | undefined => (c === 5 || c === 6 ? STYLE.wrap : undefined);
  schema.fields.forEach((f, i) => {
    const values = listValues(f) ?? f.arrayItem?.constraints?.enum;
    const list = values ? cut(values.join(' ; '), HELP_VALUES_CHARS) : '';
    const cells = helpRow(compiled, [f.name, f.title ?? '', f.constraints?.required ? 'oui' : 'non', contentLabel(f), typedExample(f) ?? '', list, f.description ?? '']);
    rows.push(row(6 + i, cells, helpStyle));
  });
  const cols = HELP_WIDTHS.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols>${cols}</cols><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

/** The « Listes » tab (hidden): a column per long list, headed by its field's name, the values below. */
function listsSheet(lists: readonly ListColumn[]): string {
  const height = Math.max(...lists.map((l) => l.values.length)) + 1;
  const rows: string[] = [row(1, lists.map((l) => l.name), STYLE.bold)];
  for (let r = 2; r <= height; r++) rows.push(row(r, lists.map((l) => l.values[r - 2]), STYLE.text));
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

/** styles.xml: the cell styles of STYLE, then one number style per count of decimals in `decimals` (their indexes set there). */
function styles(decimals: DecimalStyles): string {
  const counts = [...decimals.keys()];
  counts.forEach((k, i) => decimals.set(k, XFS.length + i));
  const numFmts = [['164', 'dd/mm/yyyy hh:mm'], ...counts.map((k, i) => [String(165 + i), `0.${'0'.repeat(k)}`])];
  const xfs = [...XFS, ...counts.map((_, i) => `<xf numFmtId="${165 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)];
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<numFmts count="${numFmts.length}">${numFmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`).join('')}</numFmts>` +
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill>' +
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
  );
}

/** The cell styles of STYLE, in its order. */
const XFS = [
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
  '<xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>',
  '<xf numFmtId="49" fontId="1" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>',
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
  '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
];

/** The workbook (see above). The same schema gives the same bytes. */
export function templateXlsx(schema: TableSchemaDescriptor): Buffer {
  const lists: ListColumn[] = [];
  const decimals: DecimalStyles = new Map();
  for (const f of schema.fields) {
    const k = decimalText(f);
    if (k !== undefined) decimals.set(k, -1);
  }
  const stylesXml = styles(decimals);
  const sheets = [
    { name: 'Données', xml: dataSheet(schema, lists, decimals), hidden: false },
    { name: 'Aide', xml: helpSheet(schema), hidden: false },
  ];
  if (lists.length > 0) sheets.push({ name: 'Listes', xml: listsSheet(lists), hidden: true });
  const workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${NS}><bookViews><workbookView activeTab="0"/></bookViews><sheets>` +
    sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>';
  const rootRels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
  return writeZip([
    { name: '[Content_Types].xml', data: contentTypes },
    { name: '_rels/.rels', data: rootRels },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    { name: 'xl/styles.xml', data: stylesXml },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml })),
  ]);
}
