import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';

export { bytesToHex, utf8ToBytes };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** SHA-256 of the UTF-8 bytes of `text` (or of raw bytes), as lowercase hex. */
export function sha256Hex(input: string | Uint8Array): string {
  return bytesToHex(sha256(typeof input === 'string' ? utf8ToBytes(input) : input));
}

export function isLowerHex(value: string, length: number): boolean {
  return value.length === length && /^[0-9a-f]*$/.test(value);
}

/** UTF-8 encoding silently replaces lone surrogates, so two different strings could hash alike. */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export function hasLineBreak(value: string): boolean {
  return LINE_BREAK.test(value);
}

export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/**
 * Orders two well-formed strings as their UTF-8 bytes would order. UTF-16 code units already
 * agree with code point (= UTF-8 byte) order except when a surrogate meets U+E000–U+FFFF, so
 * those two ranges are swapped before comparing.
 */
export function compareUtf8(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
