/** Case- and accent-insensitive form of a text: « Délibérations » → `deliberations`. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a search query, folded; punctuation separates words. */
export function searchTerms(q: string): string[] {
  return foldText(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}
