/** `a`, `a et b`, `a, b et c`; with `more` left unnamed: `a, b et 3 autres`. */
export function frenchList(items: readonly string[], more = 0): string {
  const all = more > 0 ? [...items, `${more} autre${more > 1 ? 's' : ''}`] : items;
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} et ${all[all.length - 1]}`;
}
