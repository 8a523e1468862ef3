/**
 * UUID shape checks without a regex (one charCode pass; BAL files carry up to four UUIDs per
 * row): what `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/` and its
 * case-insensitive and version-4 variants accept (tested against them).
 */

/** 1: 0-9 a-f, 2: A-F, 0: anything else (ASCII). */
const HEX_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) HEX_KIND[c] = 1;
for (let c = 97; c <= 102; c++) HEX_KIND[c] = 1;
for (let c = 65; c <= 70; c++) HEX_KIND[c] = 2;

export const NOT_UUID = 0;
export const LOWER_UUID = 1;
export const UPPER_UUID = 2;

/**
 * Whether `s` is a UUID (8-4-4-4-12 hexadecimal digits): NOT_UUID, LOWER_UUID, or UPPER_UUID
 * when some digit is an upper-case letter. `v4`: also version 4 with the RFC 4122 variant.
 */
export function uuidKind(s: string, v4 = false): 0 | 1 | 2 {
  if (s.length !== 36) return NOT_UUID;
  let kind: 1 | 2 = LOWER_UUID;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return NOT_UUID; // -
      continue;
    }
    const k = c < 128 ? HEX_KIND[c] : 0;
    if (k === 0) return NOT_UUID;
    if (k === 2) kind = UPPER_UUID;
  }
  if (v4) {
    if (s.charCodeAt(14) !== 52) return NOT_UUID; // 4
    const variant = s.charCodeAt(19) | 0x20; // lower case
    if (variant !== 56 && variant !== 57 && variant !== 97 && variant !== 98) return NOT_UUID; // 8 9 a b
  }
  return kind;
}
