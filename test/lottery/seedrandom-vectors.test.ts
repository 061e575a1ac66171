import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { createDrawRng } from '../../src/lottery/algorithm/index.js';
import { seedrandomVectors } from './support/vectors.js';

describe('seedrandom 3.0.5 pinned by the shared vectors', () => {
  const { vectors, interleaved_hello: interleaved } = seedrandomVectors();

  it.each(vectors.map((vector) => [vector.seed, vector]))('reproduces every listed output for seed %s', (_seed, vector) => {
    const take = (read: (rng: seedrandom.PRNG) => number, count: number) => {
      const rng = seedrandom(vector.seed);
      return Array.from({ length: count }, () => read(rng));
    };
    expect(take((rng) => rng(), vector.rng.length)).toEqual(vector.rng);
    expect(take((rng) => rng.int32() >>> 0, vector.int32_unsigned.length)).toEqual(vector.int32_unsigned);
    expect(take((rng) => rng.int32(), vector.int32_signed.length)).toEqual(vector.int32_signed);
    expect(take((rng) => rng.quick(), vector.quick.length)).toEqual(vector.quick);
    expect(take((rng) => rng.double(), vector.double.length)).toEqual(vector.double);
  });

  it('keeps one stream when rng() and int32() interleave', () => {
    const rng = seedrandom('hello.');
    expect([rng(), rng.int32() >>> 0, rng(), rng.int32() >>> 0]).toEqual(interleaved.values);
  });

  it('gives the draw the same int32 stream as seedrandom(seedString)', () => {
    const vector = vectors[1]!;
    const rng = createDrawRng(vector.seed);
    expect(Array.from({ length: 5 }, () => rng.int32() >>> 0)).toEqual(vector.int32_unsigned);
  });

  it("matches STACK.md's seedrandom('test') check", () => {
    const rng = createDrawRng('test');
    expect([rng.int32() >>> 0, rng.int32() >>> 0, rng.int32() >>> 0]).toEqual([3746081446, 1181085031, 53988066]);
  });

  it('equals plain RC4-drop[256] keyed by the seed’s ASCII bytes, read 4 bytes big-endian (as docs/lottery.md says)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (seedHex) => {
        const next = rc4Drop256([...seedHex].map((char) => char.charCodeAt(0)));
        const rng = createDrawRng(seedHex);
        for (let i = 0; i < 8; i += 1) {
          const expected = ((next() << 24) | (next() << 16) | (next() << 8) | next()) >>> 0;
          expect(rng.int32() >>> 0).toBe(expected);
        }
      }),
      { numRuns: 50 },
    );
  });
});

/** Textbook RC4 with the first 256 keystream bytes discarded; written independently of seedrandom. */
function rc4Drop256(key: readonly number[]): () => number {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i += 1) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  let x = 0;
  let y = 0;
  const next = () => {
    x = (x + 1) & 255;
    y = (y + s[x]!) & 255;
    [s[x], s[y]] = [s[y]!, s[x]!];
    return s[(s[x]! + s[y]!) & 255]!;
  };
  for (let dropped = 0; dropped < 256; dropped += 1) next();
  return next;
}
