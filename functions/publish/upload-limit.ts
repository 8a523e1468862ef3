import { formatBytes } from '../domain/standardize/read/errors';

/** `104 857 601 octets`: the exact count, grouped by thousands with a narrow no-break space as French writes it. */
export function exactBytes(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+$)/g, '\u202f')} octets`;
}

/**
 * Why an upload is refused for its size. Both sizes rounded (`1,5 Mo`), unless they round to the
 * same figure: « 100,0 Mo pour une limite de 100,0 Mo » would contradict itself, so the exact
 * byte counts are given instead.
 */
export function fileTooLargeMessage(size: number, limit: number): string {
  let [given, allowed] = [formatBytes(size), formatBytes(limit)];
  if (given === allowed) [given, allowed] = [exactBytes(size), exactBytes(limit)];
  return `Fichier trop volumineux : ${given} pour une limite de ${allowed}.`;
}
