/**
 * JSON uploads: an array of flat objects → rows (also wrapped in an object: `{"data": […]}`). The document is parsed whole (JSON has no
 * record boundary to stream on): we refuse above `MAX_JSON_BYTES`. Header = union of keys in order of first appearance.
 * Numbers and booleans are written the way a CSV export would (`1234.56`, `true`); `null`
 * is an empty cell. A nested object or array is `invalid-json-shape`, unless the caller
 * provides `flatten` (the DECP schema does: its official format is nested).
 */
import { Cell } from '../../schema/types';
import { decodeBytes } from './decode';
import { TableReadError, formatBytes } from './errors';

/**
 * A JSON document (and a web page, html.ts) is parsed whole: peak memory measured at ~5× its
 * size (a 50 MB DECP document: 344 MB; 95 MB: 565 MB, more than the 512 MB standardize
 * function). Above this, the upload is refused with the advice to send a CSV, which streams.
 */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export type JsonFlattener = (doc: unknown) => Record<string, unknown>[];

export interface JsonTable {
  header: string[];
  rows: { cells: Cell[]; row: number; texts?: number[] }[];
  encoding: string;
}

/**
 * The array of an object that holds exactly one array of objects, as APIs and exports wrap
 * them (`{"data": […]}`, `{"records": […], "total": 12}`); an Opendatasoft export's records
 * are their `fields`. The document as it is otherwise.
 */
function wrappedRecords(doc: unknown): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const arrays = Object.values(doc).filter((v): v is unknown[] => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x)));
  if (arrays.length !== 1) return doc;
  const [items] = arrays;
  const odsFields = items.every((x) => {
    const f = (x as Record<string, unknown>).fields;
    return f !== null && typeof f === 'object' && !Array.isArray(f);
  });
  return odsFields ? items.map((x) => (x as { fields: unknown }).fields) : items;
}

function shape(message: string, row?: number): TableReadError {
  return new TableReadError('invalid-json-shape', message, row);
}

/** The document (its text is let go once parsed: only the values stay in memory). */
function parseJson(bytes: Uint8Array): { doc: unknown; encoding: string } {
  const { text, encoding } = decodeBytes(bytes);
  try {
    return { doc: JSON.parse(text), encoding };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(detail);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    throw new TableReadError(
      'invalid-json',
      `Le fichier n’est pas un JSON valide${line ? ` (erreur ligne ${line})` : ''}.`,
      line,
    );
  }
}

export function openJsonTable(bytes: Uint8Array, opts: { flatten?: JsonFlattener } = {}): JsonTable {
  if (bytes.length > MAX_JSON_BYTES) {
    throw new TableReadError('invalid-json', `Fichier JSON trop volumineux (limite ${formatBytes(MAX_JSON_BYTES)}) : déposez les mêmes données en CSV, qui n’a pas cette limite.`);
  }
  const parsed = parseJson(bytes);
  const { encoding } = parsed;
  // The only reference to the document from here: each step lets go of the one before.
  let records: unknown = parsed.doc;
  parsed.doc = undefined;
  if (opts.flatten) {
    try {
      records = opts.flatten(records);
    } catch (e) {
      // A flattener refuses documents of the wrong shape: that is the file's fault, not a crash; it may say what is wrong.
      if (e instanceof TableReadError) throw e;
      throw shape(
        "Le JSON n’a pas la structure attendue pour ce schéma (pour les marchés publics : le format national DECP, " +
          '{"marches": {"marche": […]}} ou {"marches": […]}).',
      );
    }
  }
  if (!Array.isArray(records)) records = wrappedRecords(records);
  if (!Array.isArray(records)) {
    throw shape('Le JSON doit être un tableau d’objets : [{"colonne": "valeur", …}, …], ou un objet qui en porte un seul (« data », « records »…).');
  }
  const index = new Map<string, number>();
  const header: string[] = [];
  const rows: { cells: Cell[]; row: number; texts?: number[] }[] = [];
  for (let i = 0; i < records.length; i++) {
    const rec: unknown = records[i];
    const row = i + 2;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw shape(`L’élément n°${i + 1} du tableau JSON n’est pas un objet.`, row);
    }
    const cells: Cell[] = new Array<Cell>(header.length).fill(null);
    let texts: number[] | undefined;
    for (const [key, v] of Object.entries(rec as Record<string, unknown>)) {
      let col = index.get(key);
      if (col === undefined) {
        col = header.length;
        index.set(key, col);
        header.push(key);
      }
      let cell: Cell;
      if (v === null || v === undefined) cell = null;
      else if (typeof v === 'string') {
        cell = v;
        (texts ??= []).push(col);
      } else if (typeof v === 'number' || typeof v === 'boolean') cell = String(v);
      else {
        throw shape(
          `L’élément n°${i + 1} contient une valeur imbriquée (« ${key} ») : seuls les objets plats sont acceptés pour ce schéma.`,
          row,
        );
      }
      while (cells.length < col) cells.push(null);
      cells[col] = cell;
    }
    rows.push(texts ? { cells, row, texts } : { cells, row });
    // Its cells are taken: the record (a DECP contract, its parsed values) can go.
    records[i] = undefined;
  }
  for (const r of rows) while (r.cells.length < header.length) r.cells.push(null);
  return { header, rows, encoding };
}
