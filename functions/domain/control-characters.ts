/**
 * Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: invisible,
 * and a NUL or an ANSI escape in a title, a file name or a schema's name ends up in
 * catalogue.csv, the DCAT export and a reuser's terminal.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
