import {
  bigEndianRemainder,
  LotteryInputError,
  rfc3797Digest,
  rfc3797Key,
  rfc3797Select,
  rfc3797SourceKey,
  rfc3797TextSource,
  runRfc3797Lottery,
  verifyLotteryRecord,
} from '../../src/lottery/algorithm/index.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { clone, rfc3797ExampleRecord } from './support/records.js';
import { rfc3797Vectors } from './support/vectors.js';

const example = rfc3797Vectors();
const sources = example.sources.values.map(({ raw }) => ({ numbers: raw }));
const names = example.names_in_order.map(({ name }) => name);

describe('RFC 3797 §6 worked example', () => {
  it('builds the key string from the three sources, each sorted', () => {
    expect(rfc3797Key(sources)).toBe(example.key_string);
    expect(example.key_string).toBe('9319./2.5.8.10.12./9.18.26.34.41.45./');
  });

  it.each(example.md5_table.map((row) => [row.index, row]))('reproduces MD5 row %i', (index, row) => {
    const digest = rfc3797Digest(example.key_string, index - 1);
    expect(bytesToHex(digest).toUpperCase()).toBe(row.hex_md5);
    expect(bigEndianRemainder(digest, row.div)).toBe(row.remainder_0_based);
    expect(BigInt(`0x${row.hex_md5}`) % BigInt(row.div)).toBe(BigInt(row.remainder_0_based));
  });

  it('selects Lee, Doc, Mary, Charity, Kasczynski … in the RFC order', () => {
    const { selected, rows } = rfc3797Select(names, example.key_string, 16);
    expect(selected).toEqual(example.selection_order_all_16_rows);
    expect(selected.slice(0, 10)).toEqual(example.selection_order_first_10);
    expect(rows.map((row) => [row.index, row.md5Hex, row.remaining, row.poolIndex + 1])).toEqual(
      example.md5_table.map((row) => [row.index, row.hex_md5, row.div, row.selected_number]),
    );
  });

  it('gives the same first picks whatever the number selected (the draw is a prefix)', () => {
    expect(rfc3797Select(names, example.key_string, 3).selected).toEqual(['Lee', 'Doc', 'Mary']);
  });

  it('runs as a lottery over candidates numbered in uscc order, and its record verifies', () => {
    const record = rfc3797ExampleRecord();
    const byNumber = new Map(example.names_in_order.map(({ number, name }) => [String(number).padStart(2, '0'), name]));
    expect(record.key).toBe(example.key_string);
    expect(record.winners.map((uscc) => byNumber.get(uscc))).toEqual(example.selection_order_first_10);
    expect(record.order.slice(0, 16).map((uscc) => byNumber.get(uscc))).toEqual(example.selection_order_all_16_rows);
    expect(record.order).toHaveLength(25);
    expect(verifyLotteryRecord(record)).toEqual({ ok: true });
  });

  it('names the seed check when the key or a source is altered', () => {
    const record = rfc3797ExampleRecord();
    const wrongKey = { ...clone(record), key: '9319./2.5.8.10.12./9.18.26.34.41.46./' };
    expect(verifyLotteryRecord(wrongKey)).toMatchObject({ ok: false, mismatch: { check: 'seed', field: 'key' } });
    const wrongSource = clone(record);
    wrongSource.sources[2] = { numbers: [9, 18, 26, 34, 41, 46] };
    expect(verifyLotteryRecord(wrongSource)).toMatchObject({ ok: false, mismatch: { check: 'seed' } });
  });

  it('names the first differing position when the order is altered', () => {
    const record = clone(rfc3797ExampleRecord());
    [record.order[4], record.order[5]] = [record.order[5]!, record.order[4]!];
    expect(verifyLotteryRecord(record)).toMatchObject({ ok: false, mismatch: { check: 'order', position: 4, expected: '25', actual: '23' } });
  });
});

describe('RFC 3797 source canonicalisation (§4)', () => {
  it('writes integers without leading zeros, each followed by a period, sorted numerically', () => {
    expect(rfc3797SourceKey({ numbers: [10, 9, '007', 100] })).toBe('7.9.10.100./');
    expect(rfc3797SourceKey({ numbers: [0] })).toBe('0./');
  });

  it('writes decimals with the period between whole and fraction and no trailing fraction zeros', () => {
    expect(rfc3797SourceKey({ numbers: ['12.50', '0.25', '3.0', 1.5] })).toBe('0.251.53.12.5/');
  });

  it('reduces a text result to upper-case ASCII letters and digits', () => {
    expect(rfc3797TextSource('W 4-1')).toBe('W41');
    expect(rfc3797SourceKey({ text: 'Mažňák' })).toBe('MAZNAK/');
  });

  it.each([
    ['a negative number', { numbers: [-1] }],
    ['an exponent', { numbers: [1e21] }],
    ['a malformed decimal', { numbers: ['1.2.3'] }],
    ['an empty source', { numbers: [] }],
    ['text with no ASCII letters or digits', { text: '双色球' }],
  ])('refuses %s', (_case, source) => {
    expect(() => rfc3797Key([source])).toThrow(LotteryInputError);
  });

  it('refuses weighted candidates, since RFC 3797 is unweighted', () => {
    expect(() =>
      runRfc3797Lottery({ lotteryId: 'L', candidates: [{ uscc: 'A', weight: 2 }], sources: [{ numbers: [1] }], winners: 1 }),
    ).toThrow(expect.objectContaining({ code: 'rfc3797_weighted_candidates' }));
  });
});
