import fc from 'fast-check';
import {
  candidatesHash,
  candidatesLines,
  canonicaliseCandidates,
  canonicaliseEntropy,
  compareUtf8,
  deriveSeedHex,
  entropyLines,
  generateServerSeed,
  LotteryInputError,
  normaliseEntropy,
  seedCommitment,
  seedMaterial,
  sha256Hex,
} from '../../src/lottery/algorithm/index.js';
import { randomBytes } from 'node:crypto';

const ZERO_HASH = '0'.repeat(64);

describe('server seed and commitment', () => {
  it('generates 64 lowercase hex characters from 32 CSPRNG bytes', () => {
    const seed = generateServerSeed((n) => new Uint8Array(randomBytes(n)));
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
  });

  it('encodes the bytes it is given in order', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(generateServerSeed(() => bytes)).toBe('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  });

  it('refuses a random source that returns the wrong length', () => {
    expect(() => generateServerSeed(() => new Uint8Array(31))).toThrow(LotteryInputError);
  });

  it('commits to the SHA-256 of the 64 ASCII characters, not of the 32 bytes', () => {
    const seed = 'ab'.repeat(32);
    expect(seedCommitment(seed)).toBe(sha256Hex(seed));
    expect(seedCommitment(seed)).not.toBe(sha256Hex(new Uint8Array(32).fill(0xab)));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses an upper-case or short seed', () => {
    expect(() => seedCommitment('AB'.repeat(32))).toThrow(LotteryInputError);
    expect(() => seedCommitment('ab')).toThrow(LotteryInputError);
  });
});

describe('candidates', () => {
  it('sorts by UTF-8 bytes, not by UTF-16 units or locale', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 units.
    const sorted = canonicaliseCandidates([
      { uscc: '😀', weight: 1 },
      { uscc: 'Ａ', weight: 1 },
      { uscc: 'b', weight: 1 },
      { uscc: 'B', weight: 1 },
      { uscc: 'a', weight: 1 },
    ]).map((candidate) => candidate.uscc);
    expect(sorted).toEqual(['B', 'a', 'b', 'Ａ', '😀']);
  });

  it('compares strings exactly as their UTF-8 bytes compare', () => {
    const encoder = new TextEncoder();
    const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(encoder.encode(a)), Buffer.from(encoder.encode(b)));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        return Math.sign(compareUtf8(a, b)) === byteCompare(a, b);
      }),
    );
  });

  it('hashes the lines uscc:weight\\n in canonical order', () => {
    const candidates = canonicaliseCandidates([
      { uscc: 'B2', weight: 3 },
      { uscc: 'A1', weight: 1 },
    ]);
    expect(candidatesLines(candidates)).toBe('A1:1\nB2:3\n');
    expect(candidatesHash(candidates)).toBe(sha256Hex('A1:1\nB2:3\n'));
  });

  it.each([
    ['an empty uscc', [{ uscc: '', weight: 1 }], 'invalid_candidate'],
    ['a colon in the uscc', [{ uscc: 'A:1', weight: 1 }], 'invalid_candidate'],
    ['a newline in the uscc', [{ uscc: 'A\n1', weight: 1 }], 'invalid_candidate'],
    ['a zero weight', [{ uscc: 'A', weight: 0 }], 'invalid_candidate'],
    ['a fractional weight', [{ uscc: 'A', weight: 1.5 }], 'invalid_candidate'],
    ['a weight above 2^53', [{ uscc: 'A', weight: 2 ** 53 }], 'invalid_candidate'],
    ['a repeated uscc', [{ uscc: 'A', weight: 1 }, { uscc: 'A', weight: 2 }], 'duplicate_uscc'],
    ['a total weight of 2^32', [{ uscc: 'A', weight: 2 ** 31 }, { uscc: 'B', weight: 2 ** 31 }], 'total_weight_too_large'],
  ])('rejects %s', (_case, candidates, code) => {
    expect(() => canonicaliseCandidates(candidates)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts a total weight of exactly 2^32 − 1', () => {
    expect(canonicaliseCandidates([{ uscc: 'A', weight: 2 ** 31 }, { uscc: 'B', weight: 2 ** 31 - 1 }])).toHaveLength(2);
  });
});

describe('entropy', () => {
  it('normalises to NFC and counts code points after normalising', () => {
    expect(normaliseEntropy('e\u0301')).toBe('é');
    expect(normaliseEntropy('😀'.repeat(64))).toHaveLength(128);
    expect(() => normaliseEntropy('😀'.repeat(65))).toThrow(LotteryInputError);
    expect(normaliseEntropy('e\u0301'.repeat(64))).toBe('é'.repeat(64));
  });

  it('refuses line breaks', () => {
    expect(() => normaliseEntropy('a\nb')).toThrow(LotteryInputError);
    expect(() => normaliseEntropy('a\rb')).toThrow(LotteryInputError);
  });

  it('lists entropy in candidate order, skipping candidates that gave none', () => {
    const candidates = canonicaliseCandidates([
      { uscc: 'C', weight: 1 },
      { uscc: 'A', weight: 1 },
      { uscc: 'B', weight: 1 },
    ]);
    const entropy = canonicaliseEntropy(candidates, { C: '第三', A: 'first', B: '' });
    expect(entropy).toEqual({ A: 'first', C: '第三' });
    expect(entropyLines(candidates, entropy)).toBe('A:first\nC:第三\n');
  });

  it('refuses entropy from someone who is not a candidate', () => {
    expect(() => canonicaliseEntropy([{ uscc: 'A', weight: 1 }], { Z: 'x' })).toThrow(expect.objectContaining({ code: 'unknown_entropy_uscc' }));
  });
});

describe('seed', () => {
  const inputs = {
    lotteryId: 'LOT-1',
    candidatesHash: ZERO_HASH,
    serverSeed: 'ab'.repeat(32),
    external: '',
    entropyLines: 'A:一\n',
  };

  it('hashes the UTF-8 of the exact §7 step 4 string', () => {
    const material = `lottery-v1\nLOT-1\n${ZERO_HASH}\n${'ab'.repeat(32)}\n\nA:一\n`;
    expect(seedMaterial(inputs)).toBe(material);
    expect(deriveSeedHex(inputs)).toBe(sha256Hex(new TextEncoder().encode(material)));
  });

  it.each([
    ['a newline in lotteryId', { lotteryId: 'a\nb' }],
    ['an empty lotteryId', { lotteryId: '' }],
    ['a newline in external', { external: 'x\ny' }],
    ['an upper-case candidatesHash', { candidatesHash: 'A'.repeat(64) }],
    ['a short serverSeed', { serverSeed: 'ab' }],
  ])('refuses %s', (_case, change) => {
    expect(() => deriveSeedHex({ ...inputs, ...change })).toThrow(LotteryInputError);
  });
});
