import type { LotteryRecord } from '../algorithm/index.js';

/**
 * JSON for <script type="application/json" id="lottery-record">. Escaping "<" keeps a uscc or
 * name containing "</script>" from ending the element early; U+2028/2029 are escaped for old parsers.
 */
export function recordScriptJson(record: LotteryRecord): string {
  return JSON.stringify(record)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
