/**
 * Errors that stop reading a table. Codes are English and stable (the report and the API
 * expose them); messages are French, for the publisher.
 */
export type TableReadErrorCode =
  | 'unknown-format'
  | 'empty-file'
  | 'header-only'
  | 'invalid-encoding'
  | 'row-too-large'
  | 'zip-too-large'
  | 'invalid-zip'
  | 'unterminated-quote'
  | 'invalid-json'
  | 'invalid-json-shape'
  | 'invalid-spreadsheet'
  | 'encrypted-file';

export class TableReadError extends Error {
  readonly code: TableReadErrorCode;
  /** 1-based line (CSV) or row (spreadsheet) or element index + 1 (JSON), header = 1. */
  readonly row?: number;
  /** The format sniffed before the error, when there was one (the report names it). */
  format?: string;
  /** Rejected upload: a client error, safe to show. */
  readonly status = 422;
  readonly expose = true;

  constructor(code: TableReadErrorCode, message: string, row?: number) {
    super(message);
    this.name = 'TableReadError';
    this.code = code;
    if (row !== undefined) this.row = row;
  }
}

/** `encrypted-file`: a workbook saved with a password to open it (.xlsx, .ods, .xls alike). */
export const ENCRYPTED_FILE_MESSAGE =
  'Le classeur est protégé par un mot de passe : il ne peut pas être lu. Enregistrez-le sans mot de passe (« Enregistrer sous », en décochant « Enregistrer avec mot de passe », ou en retirant le mot de passe dans les options), puis déposez-le à nouveau.';

export function isTableReadError(e: unknown): e is TableReadError {
  return e instanceof TableReadError;
}

/** Human size for messages: `1,5 Mo`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} octets`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace('.', ',')} Ko`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1).replace('.', ',')} Go`;
}
