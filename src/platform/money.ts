/** Money is integer fen (分) everywhere; only pages show yuan. */
export function formatFen(fen: number, symbol = '¥'): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const yuan = Math.floor(absolute / 100).toLocaleString('en-US');
  const cents = String(absolute % 100).padStart(2, '0');
  return `${sign}${symbol}${yuan}.${cents}`;
}

/** Parses a yuan amount typed into a form ("15000", "15,000.5") to fen without float error. */
export function parseYuanToFen(input: string): number | undefined {
  const cleaned = input.trim().replace(/[,，\s]/g, '').replace(/^[¥￥]/, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
