/**
 * What standardization does to each record, wherever it runs: validate and normalise it
 * against the compiled schema, add the BAL reference checks, count the issues, and append
 * the row to the outputs (CSV in the official format, JSON, GeoJSON) until an error is
 * found. standardizeTable runs one on the main thread; parallel.ts runs one per worker on
 * segments of a large CSV and merges what they return.
 */
import { compileSchema, type BindResult, type CompiledSchema } from '../schema/compile';
import type { Cell, FieldHelp, TableSchemaDescriptor, ValidationIssue, Value } from '../schema/types';
import { createBalRowsCheck, TOPONYME_SANS_ADRESSE, type BalRowsCheck } from '../schemas/bal/checks';
import {
  balBanIds,
  balHeaderIndex,
  balRuleLevel,
  checkBalFile,
  checkBalHeader,
  gradeBalHeaderIssues,
  gradeBalIssues,
  type BalHeaderIndex,
  type BalProfile,
} from '../schemas/bal/policy';
import { DecpRowsCheck } from '../schemas/decp/checks';
import { frenchList } from '../french-list';
import { filledCells, type TableRow } from './read/open-table';
import { HiddenColumns, HiddenRows } from './hidden-cells';
import { LinkedCells } from './linked-cells';
import { IssueCollector } from './report';
import { columnLetters } from './read/cell-ref';
import { StatsCollector } from './column-stats';
import { CsvWriter } from './write/csv-writer';
import { GeoJsonWriter } from './write/geojson-writer';
import { PointCheck } from './point-check';
import { DecpWriter } from './write/decp-writer';
import { JsonWriter } from './write/json-writer';
import type { BaseTableWriter, RowSource } from './write/table-writer';

export type OutputName = 'data.csv' | 'data.json' | 'data.geojson' | 'decp.json';

/** Where a pipeline appends rows: one per writer, in the order of `RowPipeline.writers`. */
export interface RowSink {
  /** May return a promise (backpressure). */
  row(values: readonly Value[], source?: RowSource): Promise<void> | void;
}

const compiledCache = new Map<string, CompiledSchema>();

function compiled(schema: TableSchemaDescriptor): CompiledSchema {
  const key = `${schema.id}@${schema.version}`;
  let c = compiledCache.get(key);
  if (!c || c.descriptor !== schema) {
    c = compileSchema(schema);
    compiledCache.set(key, c);
  }
  return c;
}

/**
 * The version of a schema a header is written in: the one that would drop or miss the fewest
 * columns (unknown columns, then missing required ones); on a tie, `current`. A BAL 1.4 file
 * (`voie_nom`, `cle_interop`) read as 1.5 would lose its street names.
 */
export function versionForHeader(current: TableSchemaDescriptor, others: readonly TableSchemaDescriptor[], header: readonly Cell[]): TableSchemaDescriptor {
  // A BAL: the version of the profile it is judged in (1.5 with the three BAN ids and
  // `toponyme`), as the reference picks it; a column count would keep 1.4 on a tie.
  if (current.id === 'bal') {
    const wanted = balHeaderIndex(header).profile === '1.5' ? '1.5' : '1.4';
    return [current, ...others].find((d) => d.id === 'bal' && d.version === wanted) ?? current;
  }
  const misfit = (d: TableSchemaDescriptor): number[] => {
    const { issues } = compiled(d).bind(header);
    return [issues.filter((i) => i.code === 'extra-column').length, issues.filter((i) => i.code === 'missing-column').length];
  };
  let best = current;
  let bestFit = misfit(current);
  for (const d of others) {
    if (d === current) continue;
    const fit = misfit(d);
    if (fit[0] < bestFit[0] || (fit[0] === bestFit[0] && fit[1] < bestFit[1])) {
      best = d;
      bestFit = fit;
    }
  }
  return best;
}

/** « TOTAL », « Total : », « Total général », « Sous-total », « Total 2024 »: a label, not a name (« Total Energies »). */
const TOTAL_LABEL = /^(?:sous[- ]?)?total(?:\s+(?:g[ée]n[ée]ral|\d{4}))?\s*:?$/i;

function firstFilled(cells: readonly Cell[]): string | undefined {
  for (const c of cells) if (c !== null && c.trim() !== '') return c.trim();
  return undefined;
}

function totalRowIssue(row: number, cells: readonly Cell[]): ValidationIssue {
  const label = firstFilled(cells) ?? '';
  return { code: 'total-row', severity: 'warning', row, value: label, message: `Ligne de total (« ${label} ») ignorée : elle ne donne pas une ligne de données mais un cumul.` };
}

/** Characters of a note's text quoted in its warning. */
const NOTE_QUOTED = 60;

function noteRowIssue(row: number, cells: readonly Cell[]): ValidationIssue {
  const text = firstFilled(cells) ?? '';
  const quoted = text.length > NOTE_QUOTED ? `${text.slice(0, NOTE_QUOTED - 1)}…` : text;
  return {
    code: 'note-row',
    severity: 'warning',
    row,
    message: `La ligne ${row} ne remplit qu’une cellule (« ${quoted} ») : lue comme un intertitre ou une note sous le tableau, elle n’est pas publiée. Si c’est un enregistrement, complétez-la ; sinon, supprimez-la pour ne plus voir ce message.`,
  };
}

/** Engine warnings that say how a cell is published (`time-dropped`: « publiée comme 2024-01-29 »). */
const PUBLISHED_AS = new Set(['time-dropped', 'zero-restored']);

/**
 * The engine's warnings saying how a cell is published, dropped when the BAL reference
 * refuses that cell: a `time-dropped` saying the day is published, beside the reference's
 * `bal-date-invalid` refusing the same cell, would tell the publisher two contrary things.
 * Other warnings stay (a cle_interop's format beside a numero mismatch).
 */
function withoutWarningsOnRefusedCells(engine: readonly ValidationIssue[], reference: readonly ValidationIssue[]): readonly ValidationIssue[] {
  const refused = new Set<string | undefined>();
  for (const i of reference) if (i.severity === 'error') refused.add(i.column);
  if (refused.size === 0) return engine;
  return engine.filter((i) => !(i.severity === 'warning' && PUBLISHED_AS.has(i.code) && refused.has(i.column)));
}

/** Field name → the column a binding reads it from (alias, title and other spellings included). */
function boundColumns(schema: CompiledSchema, bound: BindResult): Map<string, number> {
  const out = new Map<string, number>();
  const { columns } = bound.validator;
  for (let i = 0; i < columns.length; i++) if (columns[i] >= 0) out.set(schema.fieldNames[i], columns[i]);
  return out;
}

/** Fields a binding reads from some column. */
function boundFields(bound: BindResult): number {
  let n = 0;
  for (const col of bound.validator.columns) if (col >= 0) n++;
  return n;
}

/** How many of the schema's columns a header names, by name, title or alias. */
export function namedColumns(schema: TableSchemaDescriptor, cells: readonly Cell[]): number {
  return boundFields(compiled(schema).bind(cells));
}

/** The field of the schema one heading names, by name, title or alias (read/open-table.ts › twoRowHeader). */
export function headingField(schema: TableSchemaDescriptor): (heading: string) => string | undefined {
  const c = compiled(schema);
  return (heading) => {
    const { columns } = c.bind([heading]).validator;
    for (let i = 0; i < columns.length; i++) if (columns[i] >= 0) return c.fieldNames[i];
    return undefined;
  };
}

/** How many of the schema's fields a header row names, weighed (read/open-table.ts › headerIndex, sheet choice). */
export function headerScore(schema: TableSchemaDescriptor): (cells: readonly Cell[]) => number {
  const c = compiled(schema);
  return (cells) => {
    const bound = c.bind(cells);
    const n = boundFields(bound);
    // Two columns named by alias count as one named by its name or title: « Association | Montant
    // total » on a summary tab is not the table, nor « Commune | SIRET | Date » a délibérations file.
    return n - bound.aliased + Math.floor(bound.aliased / 2);
  };
}

/**
 * Column names for a table with no schema: the header, each heading trimmed, a blank one
 * named `colonne_<n>`, a heading given again (in any letter case) made unique with a number
 * that no other heading has (`a;a_2;a` → `a`, `a_2`, `a_3`: data.json would otherwise hold one
 * key twice).
 */
function plainFields(header: readonly Cell[]): { fields: string[]; renamed: { col: number; heading: string; name: string }[] } {
  const bases = header.map((h, i) => (h ?? '').trim() || `colonne_${i + 1}`);
  // Names told apart whatever their letter case (`Montant_2` and `montant_2` would be one to many tools).
  const key = (name: string): string => name.toLowerCase();
  const taken = new Set(bases.map(key));
  const used = new Set<string>();
  const fields: string[] = [];
  const renamed: { col: number; heading: string; name: string }[] = [];
  bases.forEach((base, col) => {
    let name = base;
    if (used.has(key(name))) {
      for (let n = 2; used.has(key(name)) || taken.has(key(name)); n++) name = `${base}_${n}`;
    }
    used.add(key(name));
    fields.push(name);
    if (name !== (header[col] ?? '').trim()) renamed.push({ col, heading: (header[col] ?? '').trim(), name });
  });
  return { fields, renamed };
}

export interface RowPipelineOptions {
  /** BAL: the time the date rules judge by (ms since epoch), the same for every worker of one file. */
  now?: number;
  /** Spreadsheets: the columns hidden in the sheet read, as the reader fills them in (OpenedTable.hiddenColumns). */
  hiddenColumns?: readonly number[];
  /**
   * Workbooks and JSON: a number cell's text is the number it holds (`12.345` is 12.345, not
   * a grouping its author typed), so `decimal-point-ambiguous` is raised only for a cell that
   * holds text (TableRow.texts).
   */
  typedNumbers?: boolean;
  /** Published columns whose distinct values are already past counting (a segment of a file split across threads: column-stats.ts). */
  statsSkip?: readonly boolean[];
}

/** Issues about how a number was typed, moot when the cell held a number (RowPipelineOptions.typedNumbers). */
const TYPED_NUMBER_ISSUES = new Set(['decimal-point-ambiguous']);

/** `values` at the positions `at`, into `into`. */
function project(at: Int32Array, values: readonly Value[], into: Value[]): Value[] {
  for (let k = 0; k < at.length; k++) into[k] = values[at[k]];
  into.length = at.length;
  return into;
}

/** A BAL's coordinates (projected and WGS 84). */
const BAL_COORDINATES = new Set(['x', 'y', 'long', 'lat']);

/** A BAL's BAN ids: published together or not at all. */
const BAN_ID_FIELDS = ['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse'] as const;

export class RowPipeline {
  readonly issues = new IssueCollector();
  rowCount = 0;
  /** False from the first error on: outputs are abandoned, validation goes on. */
  writing = true;
  readonly fields: string[];
  readonly writers: { name: OutputName; writer: BaseTableWriter }[] = [];
  readonly bal: BalHeaderIndex | undefined;
  readonly balRows: BalRowsCheck | undefined;
  /** DECP: the rules of its two kinds of contract, and contracts given twice (decp/checks.ts). */
  private readonly decp: DecpRowsCheck | undefined;
  /** Schemas with coordinates, but the BAL (its own rules): a point outside France (point-check.ts). */
  private readonly point: PointCheck | undefined;
  private readonly compiled: CompiledSchema | undefined;
  private readonly bound: BindResult | undefined;
  /** Output field i comes from source column columns[i] (-1: none). */
  private readonly columns: Int32Array;
  /** Fields of the schema, which the engine validates; a BAL's language variants follow them. */
  private readonly schemaWidth: number;
  /** BAL judged without BAN ids (profile 1.3): the id_ban_* fields the file has, published empty. */
  private readonly idsLeftOut: Int32Array | undefined;
  /** BAL judged with BAN ids and carrying `uid_adresse` too: the id_ban_* fields, filled with the ids the reference takes (either column). */
  private readonly idsCombined: Int32Array | undefined;
  /**
   * BAL with both `voie_nom` and `toponyme` columns: the one the published version has gets the
   * other's name where it is empty (fillName): 1.5 publishes `toponyme`, 1.4 `voie_nom`.
   */
  private readonly nameFrom: { field: number; column: number; target: string; source: string } | undefined;
  /** BAL: source columns of the language variants (`voie_nom_oci`), published after the schema's fields. */
  private readonly regionalAts: Int32Array | undefined;
  /** The fields published, when some are not (see `unpublished`): output field k is field `published[k]`. */
  private readonly published: Int32Array | undefined;
  /** What the writers get when `published` is set: the published fields' values and texts of the current row. */
  private readonly outValues: Value[] = [];
  private readonly outTexts: Value[] = [];
  /** The CSV writer writes a row at once: one array of its cells serves every row. */
  private readonly cellTexts: Value[];
  /** Fields a record must fill (a total line leaves most of them empty). */
  private readonly requiredCount: number;
  /** Address columns that take a spreadsheet link's address (linked-cells.ts); undefined when none. */
  private readonly linked: LinkedCells | undefined;
  /** Schema columns hidden in the workbook (hidden-cells.ts); undefined for a CSV or without a schema. */
  private readonly hidden: HiddenColumns | undefined;
  /** Records hidden in the workbook (hidden-cells.ts). */
  private readonly hiddenRows = new HiddenRows();
  /** No schema: columns published under another name than their heading (blank, given twice). */
  private readonly plainRenamed: readonly { col: number; heading: string; name: string }[];
  /** RowPipelineOptions.typedNumbers. */
  private readonly typedNumbers: boolean;
  /** Per published column: filled cells, distinct values, ranges (the version's statistics). */
  readonly stats: StatsCollector;

  constructor(
    readonly schema: TableSchemaDescriptor | null,
    readonly header: Cell[],
    opts: RowPipelineOptions = {},
  ) {
    this.compiled = schema ? compiled(schema) : undefined;
    this.bound = this.compiled?.bind(header);
    this.typedNumbers = opts.typedNumbers === true;
    // BAL: issues graded and completed as the reference validator (validateur-bal) does, per profile.
    this.bal =
      schema?.id === 'bal' && this.compiled && this.bound
        ? balHeaderIndex(header, { read: boundColumns(this.compiled, this.bound), ...(opts.now !== undefined ? { now: new Date(opts.now) } : {}) })
        : undefined;
    this.balRows = this.bal ? createBalRowsCheck(this.bal) : undefined;
    const plain = this.compiled ? undefined : plainFields(header);
    this.fields = plain ? plain.fields : [...this.compiled!.fieldNames];
    this.plainRenamed = plain?.renamed ?? [];
    this.schemaWidth = this.fields.length;
    this.requiredCount = schema ? schema.fields.filter((f) => f.constraints?.required).length : 0;
    // Cells left unchanged are copied from the source bytes (CSV): field i comes from column columns[i].
    let columns = this.bound ? this.bound.validator.columns : Int32Array.from(this.fields, (_, i) => i);
    const bal = this.bal;
    if (bal && bal.regional.length > 0) {
      // Language variants are BAL columns (validateur-bal reads them): published after the schema's, in file order.
      this.regionalAts = Int32Array.from(bal.regional, (r) => r.at);
      this.fields.push(...bal.regional.map((r) => r.name));
      const all = new Int32Array(columns.length + this.regionalAts.length);
      all.set(columns);
      all.set(this.regionalAts, columns.length);
      columns = all;
    }
    // A BAL judged without BAN ids (1.3: not the three id_ban_* columns) publishes none: a part
    // of them filled beside an empty one makes a 1.4 file the reference refuses (lack_of_id_ban).
    if (bal && bal.profile === '1.3') {
      const given = BAN_ID_FIELDS.map((f) => this.fields.indexOf(f)).filter((i) => i >= 0 && columns[i] >= 0);
      if (given.length > 0) this.idsLeftOut = Int32Array.from(given);
    } else if (bal && bal.columns.has('uid_adresse')) {
      // Judged with BAN ids, a record may give them in either column (the reference takes the
      // id_ban_* cells, else uid_adresse): the published id_ban_* get them from both.
      this.idsCombined = Int32Array.from(BAN_ID_FIELDS, (f) => this.fields.indexOf(f));
    }
    // The reference takes a line's street name from `toponyme` or `voie_nom`: the version published
    // has one of them only (1.5 `toponyme`, 1.4 `voie_nom`), which must hold the name.
    if (bal) {
      const [target, source] = schema?.version === '1.5' ? ['toponyme', 'voie_nom'] : ['voie_nom', 'toponyme'];
      const column = bal.columns.get(source);
      if (column !== undefined && bal.columns.has(target) && this.fields.includes(target) && !this.fields.includes(source)) {
        this.nameFrom = { field: this.fields.indexOf(target), column, target, source };
      }
    }
    this.columns = columns;
    this.cellTexts = new Array<Value>(this.fields.length);
    const linked = schema ? new LinkedCells(schema.fields, columns) : undefined;
    this.linked = linked?.wanted ? linked : undefined;
    this.hidden = schema && opts.hiddenColumns ? new HiddenColumns(opts.hiddenColumns, columns, this.fields) : undefined;
    const left = schema ? this.unpublished(schema, columns) : [];
    if (left.length > 0) this.published = Int32Array.from(this.fields.keys()).filter((i) => !left.includes(i));
    const outFields = this.publishedFields;
    const types = new Map(schema?.fields.map((f) => [f.name, f.type]));
    // A BAL's `numero` 99999 is a place without address, no number: out of the range of numbers.
    // Its coordinates are text in its schema: ranged as the numbers they are (the commune's bounding box).
    const stats = this.bal
      ? { placeholders: outFields.map((f) => (f === 'numero' ? TOPONYME_SANS_ADRESSE : undefined)), numericText: outFields.map((f) => BAL_COORDINATES.has(f)) }
      : {};
    this.stats = new StatsCollector(outFields, outFields.map((f) => types.get(f)), opts.statsSkip, stats);
    const outColumns = this.published ? this.published.map((i) => columns[i]) : columns;
    this.writers.push({ name: 'data.csv', writer: new CsvWriter(outFields, { delimiter: schema?.outputDelimiter ?? ',' }).copyFrom(outColumns) });
    const json = new JsonWriter(outFields).copyFrom(outColumns);
    this.writers.push({ name: 'data.json', writer: json });
    if (schema?.geo) this.writers.push({ name: 'data.geojson', writer: new GeoJsonWriter(outFields, schema.geo).copyFrom(outColumns).propertiesFrom(json) });
    if (schema?.geo && !this.bal) this.point = new PointCheck(this.fields, schema.geo);
    if (schema?.id === 'decp') {
      this.decp = new DecpRowsCheck(this.fields);
      this.writers.push({ name: 'decp.json', writer: new DecpWriter(this.fields) });
    }
  }

  /** `found` without the issues a number cell makes moot: those of a column whose cell is not text (`texts`: its source columns). */
  private withoutTypedNumberIssues(found: readonly ValidationIssue[], texts: readonly number[] | undefined): readonly ValidationIssue[] {
    const moot = (i: ValidationIssue) => TYPED_NUMBER_ISSUES.has(i.code) && !(i.column !== undefined && texts?.includes(this.columns[this.fields.indexOf(i.column)]));
    return found.some(moot) ? found.filter((i) => !moot(i)) : found;
  }

  /** The columns of the outputs: the fields, less those left out (`unpublished`). */
  get publishedFields(): string[] {
    const { published } = this;
    return published ? Array.from(published, (i) => this.fields[i]) : this.fields;
  }

  /**
   * Fields not published. A BAL column the file does not have, whose absence the reference
   * accepts but not its empty cells (`cle_interop` in 1.3 and 1.4: a warning when missing,
   * an error when empty): published empty, it would make a file the reference refuses.
   */
  private unpublished(schema: TableSchemaDescriptor, columns: Int32Array): number[] {
    if (!this.bal) return [];
    const profile = schema.version as BalProfile;
    const out: number[] = [];
    for (let i = 0; i < this.schemaWidth; i++) {
      const name = this.fields[i];
      if (columns[i] < 0 && balRuleLevel(`${name}.valeur_manquante`, profile) === 'E' && balRuleLevel(`field.${name}.missing`, profile) !== 'E') out.push(i);
    }
    return out;
  }

  /** The schema's help for a column, and where the file has it: its letter and its own heading (report). */
  help(name: string): FieldHelp | undefined {
    const base = this.compiled?.help(name);
    const i = this.fields.indexOf(name);
    const col = i >= 0 && this.bound ? this.columns[i] : -1;
    if (col < 0) return base;
    const heading = String(this.header[col] ?? '').trim();
    return { ...base, column: columnLetters(col), ...(heading !== '' && heading !== name ? { heading } : {}) };
  }

  /**
   * A spreadsheet's total line (« TOTAL », « Total général », « Sous-total ») at the end or
   * between groups: its first filled cell says so, and it leaves most required columns empty.
   * It is not a record: skipped with a warning rather than reported column by column.
   */
  private isTotalRow(cells: readonly Cell[], found: readonly ValidationIssue[]): boolean {
    const first = firstFilled(cells);
    if (first === undefined || !TOTAL_LABEL.test(first)) return false;
    return this.mostlyMissing(found);
  }

  /** Most of the required columns empty (one at least). */
  private mostlyMissing(found: readonly ValidationIssue[]): boolean {
    let missing = 0;
    for (const i of found) if (i.code === 'required') missing++;
    return missing > 0 && 2 * missing >= this.requiredCount;
  }

  /**
   * A section heading between groups of records (« ASSOCIATIONS SPORTIVES ») or a note under
   * the table (« * Montants sous réserve du vote », « Fait à Muret, le … »): one cell filled,
   * most required columns empty (three at least). Not a record: skipped with a warning naming
   * it, rather than reported column by column. Not in a BAL, judged as the reference does.
   */
  private isNoteRow(cells: readonly Cell[], found: readonly ValidationIssue[]): boolean {
    return !this.bal && this.requiredCount >= 3 && filledCells(cells) === 1 && this.mostlyMissing(found);
  }

  /** Whether rows can be checked in independent segments (no state across rows but what `parallelState` carries). */
  get segmentable(): boolean {
    const d = this.schema;
    if (!d) return true;
    if (this.decp || (d.primaryKey?.length ?? 0) > 0) return false;
    return !d.fields.some((f) => f.constraints?.unique);
  }

  /** File-level issues (binding the header; BAL: encoding, delimiter, columns the reference requires). Once per file. */
  headerIssues(file: { delimiter?: string; encoding?: string }): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    const { bal, bound } = this;
    if (bal) out.push(...checkBalFile(file, bal.profile));
    if (bound) {
      // The name column the published version lacks fills the other's empty cells (fillName): not ignored.
      const from = this.nameFrom?.source;
      const engine = from ? bound.issues.filter((i) => !(i.code === 'extra-column' && i.column === from)) : bound.issues;
      out.push(...(bal ? [...gradeBalHeaderIssues(engine, bal), ...checkBalHeader(bal, engine)] : engine));
    }
    if (this.plainRenamed.length > 0) {
      const list = this.plainRenamed.map((r) => `colonne n° ${r.col + 1} ${r.heading === '' ? '(sans nom)' : `« ${r.heading} » (nom déjà pris)`} publiée comme « ${r.name} »`);
      out.push({
        code: 'column-renamed',
        severity: 'warning',
        row: 1,
        message: `Chaque colonne publiée doit avoir un nom à elle : ${frenchList(list)}. Donnez un nom distinct à chaque colonne pour choisir ceux qui sont publiés.`,
      });
    }
    if (this.idsLeftOut) {
      const given = Array.from(this.idsLeftOut, (i) => `« ${this.fields[i]} »`);
      const missing = BAN_ID_FIELDS.filter((f) => !this.bal!.columns.has(f)).map((f) => `« ${f} »`);
      out.push({
        code: 'bal-ban-ids-left-out',
        severity: 'warning',
        row: 1,
        message:
          `${given.length > 1 ? `Les colonnes ${frenchList(given)} ne sont pas publiées` : `La colonne ${given[0]} n’est pas publiée`} : une BAL donne ses identifiants BAN par les trois colonnes ensemble, ` +
          `et ${frenchList(missing)} ${missing.length > 1 ? 'manquent' : 'manque'}. Le fichier est vérifié et publié sans identifiants BAN ; ajoutez ${missing.length > 1 ? 'les colonnes manquantes' : 'la colonne manquante'} pour les publier.`,
      });
    }
    return out;
  }

  /**
   * A line whose name column of the published version is empty (1.5 `toponyme`, 1.4 `voie_nom`)
   * and the other's filled: the name is published there (the reference reads the line's name in
   * either), said instead of the empty cell.
   */
  private fillName(record: TableRow, result: { values: Value[]; issues: readonly ValidationIssue[] }): void {
    const { field, column, target, source } = this.nameFrom!;
    const name = (record.cells[column] ?? '').trim();
    if (name === '') return;
    result.values[field] = name;
    const version = target === 'toponyme' ? '1.5' : '1.4';
    result.issues = [
      ...result.issues.filter((i) => !(i.code === 'required' && i.column === target)),
      {
        code: target === 'toponyme' ? 'bal-toponyme-from-voie-nom' : 'bal-voie-nom-from-toponyme',
        severity: 'warning',
        row: record.row,
        column: target,
        value: name,
        message: `La colonne « ${target} » est vide : le nom de la colonne « ${source} » y est publié (une BAL ${version}, comme ce fichier est publié, donne le nom de la voie dans « ${target} », sans colonne « ${source} »).`,
      },
    ];
  }

  /** BAL with `uid_adresse` beside the id_ban_* columns: each id as the reference takes it, from either column. */
  private combineIds(cells: readonly Cell[], values: Value[]): void {
    const at = this.idsCombined!;
    const ids = balBanIds(cells, this.bal!);
    if (at[0] >= 0) values[at[0]] = ids.commune;
    if (at[1] >= 0) values[at[1]] = ids.toponyme;
    if (at[2] >= 0) values[at[2]] = ids.adresse;
  }

  /** BAL: the language variants' cells (trimmed, null when empty) after the schema's values. */
  private addRegional(cells: readonly Cell[], values: Value[]): void {
    const ats = this.regionalAts!;
    const n = this.schemaWidth;
    for (let k = 0; k < ats.length; k++) {
      const cell = cells[ats[k]];
      const v = cell === null || cell === undefined ? '' : cell.trim();
      values[n + k] = v === '' ? null : v;
    }
  }

  /**
   * Checks a batch of records and appends them to `sinks` (one per writer) while no error
   * is found; `onError` runs once, at the first error, before anything else is written.
   */
  async batch(batch: readonly TableRow[], sinks: readonly RowSink[], onError?: () => Promise<void> | void): Promise<void> {
    const { issues, bound, bal, balRows } = this;
    const schemaRuntime = this.compiled;
    const [csvSink, ...typedSinks] = sinks;
    for (let b = 0; b < batch.length; b++) {
      const record = batch[b];
      this.rowCount++;
      if (record.links !== undefined) this.linked?.follow(record);
      this.hidden?.count(record.cells);
      let values: Value[];
      let formatted: readonly Value[];
      if (bound && schemaRuntime) {
        const result = bound.validator.validate(record.cells, record.row);
        if (this.typedNumbers && result.issues.length > 0) result.issues = this.withoutTypedNumberIssues(result.issues, record.texts);
        if (result.issues.length > 0 && this.isTotalRow(record.cells, result.issues)) {
          issues.add(totalRowIssue(record.row, record.cells));
          this.rowCount--; // not a record: neither published nor counted
          continue;
        }
        if (result.issues.length > 0 && this.isNoteRow(record.cells, result.issues)) {
          issues.add(noteRowIssue(record.row, record.cells));
          this.rowCount--;
          continue;
        }
        // The reader's issues of a record (cells missing or in excess), once it is known to be one.
        if (record.issues) issues.addAll(record.issues);
        if (bal) {
          if (this.nameFrom && result.values[this.nameFrom.field] === null) this.fillName(record, result);
          const found = balRows!.check(record.cells, record.row, result.issues);
          if (result.issues.length) {
            const graded = gradeBalIssues(result.issues, bal);
            issues.addAll(found.length ? withoutWarningsOnRefusedCells(graded, found) : graded);
          }
          issues.addAll(found);
        } else if (this.decp) {
          issues.addAll(result.issues);
          issues.addAll(this.decp.check(result.values, record.row, result.issues));
        } else {
          if (result.issues.length) issues.addAll(result.issues);
          const point = this.point?.check(result.values, record.row);
          if (point) issues.add(point);
        }
        values = result.values;
        if (this.regionalAts) this.addRegional(record.cells, values);
        if (this.idsLeftOut) for (let k = 0; k < this.idsLeftOut.length; k++) values[this.idsLeftOut[k]] = null;
        if (this.idsCombined) this.combineIds(record.cells, values);
        if (this.writing) {
          formatted = schemaRuntime.cellsInto(values, this.cellTexts);
          // cellsInto fills the schema's fields: the language variants are text, written as they are.
          for (let i = this.schemaWidth; i < values.length; i++) this.cellTexts[i] = values[i] ?? '';
        } else formatted = values;
      } else {
        if (record.issues) issues.addAll(record.issues);
        values = record.cells;
        formatted = values;
      }
      if (record.hidden) this.hiddenRows.add(record.row);
      if (!this.writing) continue;
      if (issues.errorCount > 0) {
        this.writing = false;
        if (onError) await onError();
        continue;
      }
      if (this.published) {
        formatted = project(this.published, formatted, this.outTexts);
        values = project(this.published, values, this.outValues);
      }
      this.stats.add(values);
      const pending = csvSink.row(formatted, record);
      if (pending) await pending;
      for (let k = 0; k < typedSinks.length; k++) {
        const p = typedSinks[k].row(values, record);
        if (p) await p;
      }
    }
  }

  /**
   * Issues found at the end: the validator's, and (unless `rowsChecked` is false, when
   * segments are merged elsewhere) the BAL checks across rows and DECP's.
   */
  tailIssues(rowsChecked = true): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    const { bound, bal, balRows } = this;
    if (bound) out.push(...(bal ? gradeBalIssues(bound.validator.finish(), bal) : bound.validator.finish()));
    if (this.linked) out.push(...this.linked.issues());
    if (this.hidden) out.push(...this.hidden.issues());
    out.push(...this.hiddenRows.issues());
    if (rowsChecked && balRows) out.push(...balRows.finish());
    return out;
  }
}
