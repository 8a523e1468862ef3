/**
 * Contracts shared by the schema engine (functions/domain/schema), the table readers and
 * writers (functions/domain/standardize) and the pipeline. Pure types: no I/O here.
 */

/** A Frictionless Table Schema field, as we accept it (subset of the spec plus SCDL extras). */
export interface FieldDescriptor {
  name: string;
  title?: string;
  description?: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'year' | 'yearmonth' | 'any';
  format?: string;
  example?: string;
  decimalChar?: string;
  groupChar?: string;
  bareNumber?: boolean;
  trueValues?: string[];
  falseValues?: string[];
  constraints?: {
    required?: boolean;
    unique?: boolean;
    minLength?: number;
    maxLength?: number;
    minimum?: number | string;
    maximum?: number | string;
    pattern?: string;
    enum?: (string | number | boolean)[];
  };
  /** Field-level missing values (BAL writes them per field); overrides the table's. */
  missingValues?: string[];
  /**
   * Set when the official schema declares `type: "array"` (menus-collectifs): the cell is a
   * JSON array text, kept as a string value, whose items must satisfy these constraints.
   */
  arrayItem?: {
    type: 'string';
    constraints?: { required?: boolean; enum?: string[] };
  };
}

/** A Validata custom check as written in SCDL schemas. */
export interface CustomCheckDescriptor {
  name: string;
  params: Record<string, unknown>;
}

export interface TableSchemaDescriptor {
  /** Our id: `scdl/subventions`, `bal`, `decp`, or a registered custom id. */
  id: string;
  /** Version as we report it, without a `v` prefix (e.g. `1.1.6`). */
  version: string;
  title: string;
  description?: string;
  /** Official schema URL (for `dct:conformsTo`), when there is one. */
  url?: string;
  fields: FieldDescriptor[];
  missingValues?: string[];
  primaryKey?: string | string[];
  custom_checks?: CustomCheckDescriptor[];
  /** Columns holding coordinates, when the schema is geographic (→ GeoJSON output). */
  geo?: { longitude: string; latitude: string };
  /**
   * Codes of a fixed number of digits that the official schema gives no pattern (a French postal
   * code): a number that lost its leading zero in a spreadsheet gets it back (`1000` → `01000`).
   */
  zeroPadded?: Record<string, number>;
  /** Extra accepted header spellings per field name (beyond case/accent/space/_/- folding). */
  aliases?: Record<string, string[]>;
  /** Preferred CSV delimiter of the official format (BAL uses `;`). Output is always `,` unless stated. */
  outputDelimiter?: string;
}

/** What a report tells of a column: the schema's words for it, and a value that passes its checks. */
export interface FieldHelp {
  title?: string;
  description?: string;
  /** The schema's example, only when it passes the field's own checks. */
  example?: string;
  /** Where the file has the column: its letter, as a spreadsheet shows it (report). */
  column?: string;
  /** The file's own heading for it, when it is not the field's name (read by title or alias). */
  heading?: string;
}

export type Severity = 'error' | 'warning';

/** One finding of validation or reading, with a stable English code and a French message. */
export interface ValidationIssue {
  code: string;
  severity: Severity;
  /** 1-based line of the record in the source table, header = 1 (absent for file-level issues). */
  row?: number;
  /** Field name (schema name when known, else the source header). */
  column?: string;
  value?: string;
  message: string;
}

/** A cell as read from the source: text, or null for an empty/absent cell. */
export type Cell = string | null;

/** Typed, normalized value of a cell after validation. */
export type Value = string | number | boolean | null;
