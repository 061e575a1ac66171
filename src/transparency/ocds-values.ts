/** Identifiers and money in OCDS form; the ocid prefix is the OCDS_PREFIX setting (docs/ocds.md). */

/** Yuan as a JSON number whose decimal text is exactly the fen amount / 100 (exact below 10^13 fen). */
export function yuanFromFen(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return Number(`${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`);
}

export const value = (fen: number) => ({ amount: yuanFromFen(fen), currency: 'CNY' });
export const ocidOf = (prefix: string, projectId: number) => `${prefix}${projectId}`;
export const partyId = (uscc: string) => `CN-USCC-${uscc}`;
