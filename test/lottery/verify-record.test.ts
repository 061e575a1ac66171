import fc from 'fast-check';
import { verifyLotteryRecord, type LotteryV1Record, type MismatchCheck } from '../../src/lottery/algorithm/index.js';
import { clone, drandRecord, manualRecord, noSourceRecord } from './support/records.js';

const honest = drandRecord();

function mismatchOf(record: unknown) {
  const result = verifyLotteryRecord(record);
  if (result.ok) throw new Error('expected a mismatch');
  return result.mismatch;
}

function edited(edit: (record: LotteryV1Record) => void): LotteryV1Record {
  const copy = clone(honest);
  edit(copy);
  return copy;
}

type Mutation = readonly [name: string, mutate: (record: LotteryV1Record) => void];
const mutation = (name: string, mutate: (record: LotteryV1Record) => void): Mutation => [name, mutate];

const otherHex = (value: string) => (value[0] === '0' ? '1' : '0') + value.slice(1);

describe('verifyLotteryRecord on lottery-v1 records', () => {
  it.each([
    ['a drand source', drandRecord()],
    ['a manual source', manualRecord()],
    ['no external source', noSourceRecord()],
  ])('accepts an honest record with %s', (_case, record) => {
    expect(verifyLotteryRecord(record)).toEqual({ ok: true });
    expect(verifyLotteryRecord(clone(record))).toEqual({ ok: true });
  });

  it('marks only the none-source record as weak', () => {
    expect([drandRecord().weakSource, manualRecord().weakSource, noSourceRecord().weakSource]).toEqual([false, false, true]);
  });

  it('names commitment when the revealed server seed does not match the commitment', () => {
    const record = edited((r) => (r.serverSeed = otherHex(r.serverSeed)));
    expect(mismatchOf(record)).toMatchObject({ check: 'commitment', field: 'seedCommitment', actual: honest.seedCommitment });
  });

  it('names commitment when the commitment is dated after the registration closed', () => {
    expect(mismatchOf(edited((r) => (r.commitmentPublishedAt = '2025-08-16T00:00:00Z')))).toMatchObject({
      check: 'commitment',
      field: 'commitmentPublishedAt',
    });
  });

  it('names candidatesHash when a weight changes', () => {
    const record = edited((r) => (r.candidates[1]!.weight += 1));
    expect(mismatchOf(record)).toMatchObject({ check: 'candidatesHash', field: 'candidatesHash', actual: honest.candidatesHash });
  });

  it('names candidatesHash when the candidates are out of byte order', () => {
    const record = edited((r) => r.candidates.reverse());
    expect(mismatchOf(record)).toMatchObject({ check: 'candidatesHash', position: 1 });
  });

  it('names entropy when a stored entropy value is not NFC or belongs to no candidate', () => {
    expect(mismatchOf(edited((r) => (r.entropy[r.candidates[0]!.uscc] = 'Cafe\u0301'))).check).toBe('entropy');
    expect(mismatchOf(edited((r) => (r.entropy['NOT-A-CANDIDATE'] = 'x'))).check).toBe('entropy');
    expect(mismatchOf(edited((r) => (r.entropy[r.candidates[0]!.uscc] = ''))).check).toBe('entropy');
  });

  it('names seed when seedHex or an input behind it changes', () => {
    expect(mismatchOf(edited((r) => (r.seedHex = otherHex(r.seedHex))))).toMatchObject({ check: 'seed', field: 'seedHex' });
    expect(mismatchOf(edited((r) => (r.lotteryId += 'X')))).toMatchObject({ check: 'seed', field: 'seedHex' });
    expect(mismatchOf(edited((r) => (r.entropy['91330102MA2CFJ3T9W'] = '改过的')))).toMatchObject({ check: 'seed', field: 'seedHex' });
  });

  it('names seed when the drand beacon does not verify or is not the value used', () => {
    expect(mismatchOf(edited((r) => (r.external.value = otherHex(r.external.value))))).toMatchObject({ check: 'seed', field: 'external.value' });
    expect(mismatchOf(edited((r) => (r.external.beacon!.signature = otherHex(r.external.beacon!.signature))))).toMatchObject({
      check: 'seed',
      field: 'external.beacon',
    });
    const otherRound = edited((r) => {
      if (r.external.declaration.kind === 'drand') r.external.declaration.round += 1;
    });
    expect(mismatchOf(otherRound)).toMatchObject({ check: 'seed', field: 'external.beacon.round' });
  });

  it('names seed when the drand round was already public at commitment time', () => {
    const record = edited((r) => {
      r.commitmentPublishedAt = '2025-08-18T12:20:00.000Z';
      delete r.registrationClosedAt;
    });
    expect(mismatchOf(record)).toMatchObject({ check: 'seed', field: 'external.declaration.round' });
  });

  it('names seed when the weak-source flag contradicts the declaration', () => {
    expect(mismatchOf(edited((r) => (r.weakSource = true)))).toMatchObject({ check: 'seed', field: 'weakSource' });
  });

  it('names order with the first differing position', () => {
    const record = edited((r) => ([r.order[3], r.order[4]] = [r.order[4]!, r.order[3]!]));
    expect(mismatchOf(record)).toMatchObject({ check: 'order', position: 3, expected: honest.order[3], actual: honest.order[4] });
    expect(mismatchOf(edited((r) => r.order.pop()))).toMatchObject({ check: 'order', position: honest.order.length - 1, actual: null });
  });

  it('names winners when the winner list is not the head of the order', () => {
    expect(mismatchOf(edited((r) => (r.winners = [r.order[1]!, r.order[0]!])))).toMatchObject({ check: 'winners', position: 0 });
    expect(mismatchOf(edited((r) => (r.winnerCount = 3)))).toMatchObject({ check: 'winners', position: 2, actual: null });
  });

  it('reports the first mismatch in contract order when several fields are wrong', () => {
    const record = edited((r) => {
      r.order.reverse();
      r.seedHex = otherHex(r.seedHex);
      r.candidates[0]!.weight += 1;
    });
    expect(mismatchOf(record).check).toBe('candidatesHash');
  });

  it('rejects any single-field alteration of an honest record', () => {
    const n = honest.candidates.length;
    const index = fc.nat({ max: n - 1 });
    const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
    const mutations: fc.Arbitrary<Mutation> = fc.oneof(
      fc.string({ minLength: 1 }).map((s) => mutation('lotteryId', (r) => (r.lotteryId += s))),
      fc.tuple(index, fc.stringMatching(/^[0-9A-Z]{18}$/)).map(([i, id]) => mutation('uscc', (r) => (r.candidates[i]!.uscc = r.candidates[i]!.uscc === id ? `${id}0` : id))),
      fc.tuple(index, fc.integer({ min: 1, max: 1000 })).map(([i, d]) => mutation('weight', (r) => (r.candidates[i]!.weight += d))),
      index.map((i) => mutation('drop candidate', (r) => r.candidates.splice(i, 1))),
      hex64.map((h) => mutation('candidatesHash', (r) => (r.candidatesHash = h === r.candidatesHash ? otherHex(h) : h))),
      hex64.map((h) => mutation('seedCommitment', (r) => (r.seedCommitment = h === r.seedCommitment ? otherHex(h) : h))),
      hex64.map((h) => mutation('serverSeed', (r) => (r.serverSeed = h === r.serverSeed ? otherHex(h) : h))),
      fc.tuple(index, fc.string({ minLength: 1, maxLength: 10 })).map(([i, s]) =>
        mutation('entropy', (r) => {
          const id = r.candidates[i]!.uscc;
          r.entropy[id] = (r.entropy[id] ?? '') + s;
        }),
      ),
      fc.constantFrom(...Object.keys(honest.entropy)).map((id) => mutation('remove entropy', (r) => delete r.entropy[id])),
      hex64.map((h) => mutation('external.value', (r) => (r.external.value = h === r.external.value ? otherHex(h) : h))),
      fc.nat({ max: 383 }).map((bit) =>
        mutation('beacon signature bit', (r) => {
          const sig = r.external.beacon!.signature;
          const at = Math.floor(bit / 4);
          r.external.beacon!.signature = sig.slice(0, at) + (parseInt(sig[at]!, 16) ^ (1 << bit % 4)).toString(16) + sig.slice(at + 1);
        }),
      ),
      fc.integer({ min: 1, max: 100 }).map((d) => mutation('beacon round', (r) => (r.external.beacon!.round += d))),
      fc.constant(mutation('weakSource', (r) => (r.weakSource = !r.weakSource))),
      fc.constant(mutation('external kind none', (r) => (r.external.declaration = { kind: 'none' }))),
      hex64.map((h) => mutation('seedHex', (r) => (r.seedHex = h === r.seedHex ? otherHex(h) : h))),
      fc.tuple(index, index).filter(([i, j]) => i !== j).map(([i, j]) => mutation('swap order', (r) => ([r.order[i], r.order[j]] = [r.order[j]!, r.order[i]!]))),
      index.map((i) => mutation('drop from order', (r) => r.order.splice(i, 1))),
      fc.integer({ min: 0, max: n }).filter((k) => k !== honest.winnerCount).map((k) => mutation('winnerCount', (r) => (r.winnerCount = k))),
      index.map((i) => mutation('winners', (r) => (r.winners = r.winners[0] === r.order[i] ? [r.order[(i + 1) % n]!] : [r.order[i]!]))),
      fc.constantFrom('rfc3797', 'lottery-v2').map((a) => mutation('algorithm', (r) => ((r as { algorithm: string }).algorithm = a))),
    );
    fc.assert(
      fc.property(mutations, ([, mutate]) => {
        const record = clone(honest);
        mutate(record);
        expect(verifyLotteryRecord(record).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyLotteryRecord on malformed input', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'record'],
    ['an array', [honest]],
    ['an empty object', {}],
    ['an unknown algorithm', { ...honest, algorithm: 'lottery-v9' }],
    ['a weight written as a string', { ...clone(honest), candidates: [{ uscc: 'A', weight: '1' }] }],
    ['a negative weight', { ...clone(honest), candidates: [{ uscc: 'A', weight: -1 }] }],
    ['a missing seedHex', { ...clone(honest), seedHex: undefined }],
    ['an upper-case server seed', { ...clone(honest), serverSeed: honest.serverSeed.toUpperCase() }],
    ['a date that is not a date', { ...clone(honest), drawnAt: '2025-02-30T25:00:00Z' }],
    ['an unknown external source kind', { ...clone(honest), external: { declaration: { kind: 'oracle' }, value: '' } }],
    ['order as a string', { ...clone(honest), order: 'A,B,C' }],
  ])('answers format for %s instead of throwing', (_case, input) => {
    expect(mismatchOf(input).check).toBe('format');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = verifyLotteryRecord(value);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any part of a real record is replaced by arbitrary JSON', () => {
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      paths.push(path);
      if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    };
    walk(honest, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((path) => path.length > 0)), fc.jsonValue(), (path, replacement) => {
        const record = clone(honest) as unknown as Record<string, unknown>;
        let parent: Record<string, unknown> = record;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        parent[path[path.length - 1]!] = replacement;
        const result = verifyLotteryRecord(record);
        if (!result.ok) expect(checks).toContain(result.mismatch.check);
      }),
      { numRuns: 500 },
    );
  });
});

const checks: MismatchCheck[] = ['format', 'commitment', 'candidatesHash', 'entropy', 'seed', 'order', 'winners'];
