/**
 * Format detection from content, never from the file name: communes rename files freely.
 * For ZIP-based spreadsheets the central directory is read when the whole archive is given
 * (what `openTable` does); with only a head, local headers are inspected.
 */
import { CompoundFile, isCompoundFile } from './cfb';
import { looksLikeHtml } from './html';
import { isZip, readEntryText, readZipDirectory } from './zip';

export type SniffedFormat = 'csv' | 'xlsx' | 'ods' | 'xls' | 'json' | 'html' | 'unknown' | 'empty';

export interface SniffResult {
  format: SniffedFormat;
  /** Why it is `unknown`, for the French message: `pdf`, `png`, `zip`, `ole-other`…; `ole`: a compound file known from its head only; `utf-16le`/`utf-16be`: text to decode first. */
  detail?: string;
}

const ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet';

const MAGIC: [string, number[]][] = [
  ['pdf', [0x25, 0x50, 0x44, 0x46]],
  ['png', [0x89, 0x50, 0x4e, 0x47]],
  ['gzip', [0x1f, 0x8b]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf]],
  ['rar', [0x52, 0x61, 0x72, 0x21]],
];

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return b.length >= sig.length && sig.every((x, i) => b[i] === x);
}

/**
 * An .ods saved with a password: its parts are encrypted, and META-INF/manifest.xml (never
 * encrypted) says so with `manifest:encryption-data`. Read within a small budget.
 */
function encryptedOds(bytes: Uint8Array): boolean {
  try {
    const manifest = readZipDirectory(bytes).get('META-INF/manifest.xml');
    if (!manifest || manifest.uncompressedSize > MANIFEST_BYTES) return false;
    return readEntryText(bytes, manifest, { remaining: MANIFEST_BYTES, limit: MANIFEST_BYTES }).includes('encryption-data');
  } catch {
    return false;
  }
}

const MANIFEST_BYTES = 1024 * 1024;
/**
 * An OLE2 compound file (cfb.ts) by the streams it holds: `Workbook` (or Excel 95's `Book`,
 * which xls.ts refuses with its own message) is an .xls; `EncryptionInfo`/`EncryptedPackage`
 * an .xlsx encrypted with a password, which Excel wraps in the same container; anything else
 * another Office document (Word, Outlook). Its directory may lie anywhere in the file: with
 * only the head, `ole` (openTable reads the whole file, then asks again).
 */
function sniffOle(bytes: Uint8Array): SniffResult {
  let file: CompoundFile;
  try {
    file = new CompoundFile(bytes);
    // Stream names compare without case, as the container's own directory does (xls.ts reads `WORKBOOK` too).
    if (file.has('EncryptionInfo') || file.has('EncryptedPackage')) return { format: 'unknown', detail: 'encrypted' };
    if (file.has('Workbook') || file.has('Book')) return { format: 'xls' };
  } catch {
    return { format: 'unknown', detail: 'ole' };
  }
  return { format: 'unknown', detail: 'ole-other' };
}

function sniffZip(bytes: Uint8Array): SniffResult {
  const sniffed = sniffZipFormat(bytes);
  return sniffed.format === 'ods' && encryptedOds(bytes) ? { format: 'unknown', detail: 'encrypted' } : sniffed;
}

function sniffZipFormat(bytes: Uint8Array): SniffResult {
  const latin = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString('latin1');
  if (latin.startsWith('mimetype', 30) && latin.startsWith(ODS_MIME, 38)) return { format: 'ods' };
  try {
    const entries = readZipDirectory(bytes);
    if (entries.has('xl/workbook.xml')) return { format: 'xlsx' };
    const mime = entries.get('mimetype');
    if (mime && mime.method === 0) {
      const start = mime.localOffset + 30 + 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint16(mime.localOffset + 28, true);
      const text = Buffer.from(bytes.subarray(start, start + mime.compressedSize)).toString('latin1');
      if (text === ODS_MIME) return { format: 'ods' };
    }
    if (entries.has('content.xml')) return { format: 'ods' };
  } catch {
    // Only the head, or a damaged archive: fall back to names in local headers.
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes('xl/workbook.xml')) return { format: 'xlsx' };
  }
  return { format: 'unknown', detail: 'zip' };
}

/**
 * UTF-16 text: a byte order mark (what Excel's « Texte Unicode » writes), or none but the
 * zero byte of Latin characters on the same side of their pairs, half of them at least.
 */
function utf16Order(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  const n = Math.min(bytes.length, 8192) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  // A few characters have a zero on the other side (U+2700, U+0100, half of an emoji's surrogate pair).
  const pairs = n / 2;
  const few = Math.max(2, pairs * 0.05);
  if (oddZeros >= pairs * 0.5 && evenZeros <= few) return 'utf-16le';
  if (evenZeros >= pairs * 0.5 && oddZeros <= few) return 'utf-16be';
  return undefined;
}

/** Detect the format of an upload from its first bytes (or all of them for ZIPs). */
export function sniffFormat(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) return { format: 'empty' };
  if (isZip(bytes)) return sniffZip(bytes);
  if (isCompoundFile(bytes)) return sniffOle(bytes);
  for (const [detail, sig] of MAGIC) if (startsWith(bytes, sig)) return { format: 'unknown', detail };
  const utf16 = utf16Order(bytes);
  if (utf16) return { format: 'unknown', detail: utf16 };
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  let printable = 0;
  for (let k = i; k < n; k++) {
    const b = bytes[k];
    if (b === 0) return { format: 'unknown', detail: 'binary' };
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
    else printable++;
  }
  if (printable === 0) return { format: i === 3 || n > 0 ? 'empty' : 'empty' };
  if (control / (control + printable) > 0.05) return { format: 'unknown', detail: 'binary' };
  while (i < n && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
  if (i === n && n === bytes.length) return { format: 'empty' };
  if (bytes[i] === 0x5b || bytes[i] === 0x7b) return { format: 'json' };
  if (bytes[i] === 0x3c) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + i, n - i).toString('latin1');
    // Excel's « Feuille de calcul XML 2003 », which some applications still export.
    if (text.startsWith('<?xml') && text.includes('urn:schemas-microsoft-com:office:spreadsheet')) return { format: 'unknown', detail: 'spreadsheetml' };
    if (looksLikeHtml(text)) return { format: 'html' };
  }
  return { format: 'csv' };
}
