/**
 * Node.js options of the standardize function, beyond the platform's (lib/constructs/
 * socle-function.ts puts them in its NODE_OPTIONS; `npm run bench` runs our path with them,
 * so the figures are those of the deployed configuration).
 *
 * `--max-semi-space-size=8`: V8's young generation may grow to 2 × 16 MB by default.
 * Standardizing allocates short-lived cells at a steady rate, and every page of young
 * generation touched for the first time is a page fault, costly in a microVM (14 µs per
 * 4 KiB page on the development VM, printed by `npm run bench`). Capped at 8 MB, a
 * 100,000-row BAL took 6–11% less time (medians of 6 interleaved runs, twice), with ~22k page
 * faults instead of ~27k and a lower peak RSS; 1M subventions rows showed no change, on 1
 * thread or 2. 4 MB and 2 MB were slower (more objects promoted), and so was a young
 * generation fixed at 8 MB from the start (`--min-semi-space-size`: all faults at once).
 */
export const STANDARDIZE_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=8'];
