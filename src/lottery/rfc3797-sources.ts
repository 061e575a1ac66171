import { LotteryInputError, rfc3797Key, type Rfc3797Source } from './algorithm/index.js';

const NUMBER_TOKEN = /^\d+(?:\.\d+)?$/;

/**
 * Staff type an RFC 3797 draw's public results as one line, the sources in their announced order
 * separated by "/", e.g. "9319 / 2 5 12 8 10 / 9 18 26 34 41 45". A source of decimal numbers
 * (separated by spaces or commas) is numeric; anything else is a text source.
 */
export function parseRfc3797Sources(figure: string): Rfc3797Source[] {
  const parts = figure.split('/').map((part) => part.trim());
  if (parts.some((part) => part.length === 0)) {
    throw new LotteryInputError('invalid_rfc3797_source', 'write the results as "source 1 / source 2 / …", none of them empty');
  }
  const sources = parts.map((part): Rfc3797Source => {
    const tokens = part.split(/[\s,，]+/).filter(Boolean);
    if (!tokens.every((token) => NUMBER_TOKEN.test(token))) return { text: part };
    return { numbers: tokens.map((token) => (/^\d+$/.test(token) && Number.isSafeInteger(Number(token)) ? Number(token) : token)) };
  });
  rfc3797Key(sources); // throws a LotteryInputError naming the bad source
  return sources;
}
