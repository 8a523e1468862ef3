/**
 * Just enough ZIP for spreadsheets, with zip-bomb protection. The archive is buffered
 * (bounded by the 100 MB upload limit); what we guard is inflation:
 * 1. before inflating anything, the central directory's declared sizes of the entries we
 *    need must fit `maxInflatedBytes` and no entry > 10 MB may declare a ratio > 200:1;
 * 2. while inflating, an entry may not produce more than it declared nor the total more
 *    than the budget (declared sizes can lie).
 */
import { Inflate } from 'fflate';
import { TableReadError, formatBytes } from './errors';

export const DEFAULT_MAX_INFLATED_BYTES = 200 * 1024 * 1024;
const MAX_RATIO = 200;
const RATIO_MIN_SIZE = 10 * 1024 * 1024;
const INFLATE_STEP = 64 * 1024;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function invalidZip(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible (archive ZIP invalide : ${detail}).`);
}

function tooLarge(detail: string): TableReadError {
  return new TableReadError(
    'zip-too-large',
    `Le classeur est refusé : une fois décompressé il dépasserait la taille autorisée (${detail}).`,
  );
}

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);
}

/** Read the central directory (ZIP64 sizes and offsets included). */
export function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalidZip('répertoire central introuvable');
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && dv.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = Number(dv.getBigUint64(eocd - 12, true));
    if (z64 + 56 > n || dv.getUint32(z64, true) !== 0x06064b50) throw invalidZip('ZIP64 invalide');
    count = Number(dv.getBigUint64(z64 + 32, true));
    cdOffset = Number(dv.getBigUint64(z64 + 48, true));
  }
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || dv.getUint32(p, true) !== 0x02014b50) throw invalidZip('entrée du répertoire central');
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let uncompressedSize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = Number(dv.getBigUint64(q, true));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(dv.getBigUint64(q, true));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(dv.getBigUint64(q, true));
      }
      e += 4 + size;
    }
    entries.set(name, { name, method, compressedSize, uncompressedSize, localOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** Refuse before inflating: declared total over budget, or an absurd ratio on a big entry. */
export function checkZipBudget(entries: ZipEntry[], maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > RATIO_MIN_SIZE && e.uncompressedSize > MAX_RATIO * Math.max(1, e.compressedSize)) {
      throw tooLarge(`${e.name} : ${formatBytes(e.uncompressedSize)} pour ${formatBytes(e.compressedSize)} compressés`);
    }
  }
  if (total > maxInflatedBytes) throw tooLarge(`${formatBytes(total)} déclarés, limite ${formatBytes(maxInflatedBytes)}`);
}

/** Shared across the entries of one workbook. */
export interface InflateBudget {
  remaining: number;
  limit: number;
}

/**
 * Inflate one entry step by step (64 KB of input per step; less to look at the start of an
 * entry without inflating much of it), enforcing sizes as it goes.
 */
export function* inflateEntry(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget, step = INFLATE_STEP): Generator<Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = entry.localOffset;
  if (lo + 30 > bytes.length || dv.getUint32(lo, true) !== 0x04034b50) throw invalidZip(`en-tête local de ${entry.name}`);
  const start = lo + 30 + dv.getUint16(lo + 26, true) + dv.getUint16(lo + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw invalidZip(`${entry.name} tronqué`);
  let produced = 0;
  const account = (len: number): void => {
    produced += len;
    budget.remaining -= len;
    if (produced > entry.uncompressedSize) throw tooLarge(`${entry.name} produit plus que sa taille déclarée`);
    if (budget.remaining < 0) throw tooLarge(`limite ${formatBytes(budget.limit)}`);
  };
  if (entry.method === 0) {
    for (let p = start; p < end; p += step) {
      const chunk = bytes.subarray(p, Math.min(end, p + step));
      account(chunk.length);
      yield chunk;
    }
    return;
  }
  if (entry.method !== 8) throw invalidZip(`méthode de compression ${entry.method} non prise en charge`);
  const out: Uint8Array[] = [];
  const inflater = new Inflate((chunk) => {
    account(chunk.length);
    out.push(chunk);
  });
  for (let p = start; p < end; p += step) {
    const last = p + step >= end;
    try {
      inflater.push(bytes.subarray(p, Math.min(end, p + step)), last);
    } catch (e) {
      if (e instanceof TableReadError) throw e;
      throw invalidZip(`${entry.name} : données compressées corrompues`);
    }
    for (const c of out) yield c;
    out.length = 0;
  }
}

/** Whole entry as text (small parts: workbook, rels, styles, shared strings). */
export function readEntryText(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget): string {
  const decoder = new TextDecoder();
  let s = '';
  for (const chunk of inflateEntry(bytes, entry, budget)) s += decoder.decode(chunk, { stream: true });
  return s + decoder.decode();
}
