import fc from 'fast-check';
import { runLotteryV1, type LotteryV1Input } from '../../src/lottery/algorithm/index.js';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const uscc = fc.stringMatching(/^[0-9A-Z]{18}$/);
const entropyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((text) => !/[\n\r\u0085\u2028\u2029]/.test(text));

const lotteryInput: fc.Arbitrary<LotteryV1Input> = fc
  .record({
    lotteryId: fc.stringMatching(/^[A-Z0-9-]{1,20}$/),
    usccs: fc.uniqueArray(uscc, { minLength: 2, maxLength: 40 }),
    weights: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 40, maxLength: 40 }),
    serverSeed: hex64,
    external: fc.oneof(fc.constant(''), hex64),
    entropyTexts: fc.array(fc.option(entropyText), { minLength: 40, maxLength: 40 }),
    winners: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ lotteryId, usccs, weights, serverSeed, external, entropyTexts, winners }) => {
    const entropy: Record<string, string> = {};
    usccs.forEach((id, i) => {
      const text = entropyTexts[i];
      if (text !== null && text !== undefined) entropy[id] = text;
    });
    return {
      lotteryId,
      candidates: usccs.map((id, i) => ({ uscc: id, weight: weights[i]! })),
      serverSeed,
      external,
      entropy,
      winners,
    };
  });

describe('runLotteryV1', () => {
  it('gives the same seed and order for the same inputs, whatever order candidates arrive in', () => {
    fc.assert(
      fc.property(lotteryInput, (input) => {
        const first = runLotteryV1(input);
        const again = runLotteryV1({ ...input, candidates: [...input.candidates].reverse() });
        expect(again.seedHex).toBe(first.seedHex);
        expect(again.order).toEqual(first.order);
        expect(first.winners).toEqual(first.order.slice(0, input.winners));
        expect(first.alternates).toEqual(first.order.slice(input.winners));
      }),
      { numRuns: 100 },
    );
  });

  it("changes seedHex when one candidate's uscc changes", () => {
    fc.assert(
      fc.property(lotteryInput, fc.nat(), uscc, (input, pick, replacement) => {
        const index = pick % input.candidates.length;
        fc.pre(!input.candidates.some((candidate) => candidate.uscc === replacement));
        const candidates = input.candidates.map((candidate, i) => (i === index ? { ...candidate, uscc: replacement } : candidate));
        const entropy = { ...input.entropy };
        delete entropy[input.candidates[index]!.uscc];
        const changed = runLotteryV1({ ...input, candidates, entropy });
        expect(changed.seedHex).not.toBe(runLotteryV1({ ...input, entropy }).seedHex);
      }),
      { numRuns: 100 },
    );
  });

  it("changes seedHex when one candidate's weight changes", () => {
    fc.assert(
      fc.property(lotteryInput, fc.nat(), fc.integer({ min: 1, max: 50 }), (input, pick, delta) => {
        const index = pick % input.candidates.length;
        const candidates = input.candidates.map((candidate, i) => (i === index ? { ...candidate, weight: candidate.weight + delta } : candidate));
        expect(runLotteryV1({ ...input, candidates }).seedHex).not.toBe(runLotteryV1(input).seedHex);
      }),
      { numRuns: 100 },
    );
  });

  it("changes seedHex when one candidate's entropy changes, appears or disappears", () => {
    fc.assert(
      fc.property(lotteryInput, fc.nat(), fc.option(entropyText), (input, pick, replacement) => {
        const target = input.candidates[pick % input.candidates.length]!.uscc;
        const entropy = { ...input.entropy };
        if (replacement === null) delete entropy[target];
        else entropy[target] = replacement;
        fc.pre(entropy[target]?.normalize('NFC') !== input.entropy[target]?.normalize('NFC'));
        expect(runLotteryV1({ ...input, entropy }).seedHex).not.toBe(runLotteryV1(input).seedHex);
      }),
      { numRuns: 100 },
    );
  });

  it('changes seedHex when the server seed or the external value changes', () => {
    fc.assert(
      fc.property(lotteryInput, hex64, (input, other) => {
        fc.pre(other !== input.serverSeed && other !== input.external);
        const base = runLotteryV1(input).seedHex;
        expect(runLotteryV1({ ...input, serverSeed: other }).seedHex).not.toBe(base);
        expect(runLotteryV1({ ...input, external: other }).seedHex).not.toBe(base);
      }),
      { numRuns: 100 },
    );
  });

  it('treats entropy typed in NFD the same as its NFC form', () => {
    const base = { lotteryId: 'L', candidates: [{ uscc: 'A', weight: 1 }, { uscc: 'B', weight: 1 }], serverSeed: '1'.repeat(64), external: '', winners: 1 };
    expect(runLotteryV1({ ...base, entropy: { A: 'Café' } }).seedHex).toBe(runLotteryV1({ ...base, entropy: { A: 'Cafe\u0301' } }).seedHex);
  });

  it('makes everyone a winner when there are fewer candidates than places', () => {
    const result = runLotteryV1({ lotteryId: 'L', candidates: [{ uscc: 'A', weight: 1 }], serverSeed: '1'.repeat(64), external: '', entropy: {}, winners: 3 });
    expect(result.winners).toEqual(['A']);
    expect(result.alternates).toEqual([]);
  });
});
