/** `a`, `a et b`, `a, b et c`; with `more` left unnamed: `a, b et 3 autres`. */
export function frenchList(items: readonly string[], more = 0): string {
  const all = more > 0 ? [...items, `${more} autre${more > 1 ? 's' : ''}`] : items;
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} et ${all[all.length - 1]}`;
}

/**
 * Rows where something was seen, for one message: all counted, the first `max` kept in
 * order, listed as `2, 4 et 7` or `2, 3, 4, 5, 6 et 3 autres`.
 */
export class ListedRows {
  readonly rows: number[] = [];
  count = 0;

  constructor(private readonly max = 5) {}

  add(row: number): void {
    if (this.count++ < this.max) this.rows.push(row);
  }

  /** The rows kept, with how many more there are. */
  text(): string {
    return frenchList(this.rows.map(String), this.count - this.rows.length);
  }
}
