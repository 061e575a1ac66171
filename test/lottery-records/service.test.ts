import { sql } from 'drizzle-orm';
import { findAuditEvents } from '../../src/audit/service.js';
import {
  RecordedDrandClient,
  timeOfRound,
  verifyLotteryRecord,
  type DrandBeacon,
  type LotteryRecord,
} from '../../src/lottery/algorithm/index.js';
import { lotteryDemo } from '../../src/lottery/demo.js';
import {
  commitLottery,
  drawLottery,
  enterManualExternal,
  fixCandidates,
  getLottery,
  invalidateLottery,
  listLotteries,
  recordHash,
  setWitnesses,
} from '../../src/lottery/service.js';
import { queryRows } from '../../src/platform/db/index.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { recordedBeacon, rfc3797Vectors } from '../lottery/support/vectors.js';
import { aLottery, firms, LotteryBuilder, STAFF } from './support.js';

/** A real quicknet round, published 2026-08-07T02:39:48Z. */
const ROUND = 31089008;

describe('lottery records (service)', () => {
  // One database for the file (a fresh PGlite per test costs seconds); each test makes its own lotteries.
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  beforeEach(() => platform.clock.set('2026-11-25T09:00:00+08:00'));
  afterAll(() => platform.close());

  const db = () => platform.database.db;
  const trail = async (id: string) =>
    (await findAuditEvents(db(), { entityType: 'lottery', entityId: id }, { offset: 0, limit: 100 })).items.reverse();
  const storedSeed = async (id: string) =>
    (await queryRows<{ server_seed: string }>(db(), sql`select server_seed from lotteries where id = ${id}`))[0]!.server_seed;

  describe('commit → candidates → draw', () => {
    it('draws a record that verifies, with an audit event for each step and the seed revealed only at the draw', async () => {
      const seed = 'ab'.repeat(32);
      const committed = await commitLottery(
        platform,
        STAFF,
        { algorithm: 'lottery-v1', winners: 2, external: { kind: 'none' }, subject: { entityType: 'project', entityId: '12' } },
        { randomBytes: () => new Uint8Array(32).fill(0xab) },
      );
      expect(committed.lotteryId).toMatch(/^LOT-2026-\d{6}$/);
      expect(committed).toMatchObject({ status: 'committed', record: null, subject: { entityType: 'project', entityId: '12' } });
      expect(await storedSeed(committed.lotteryId)).toBe(seed);
      expect(JSON.stringify(committed)).not.toContain(seed);

      const candidates = firms(10);
      const fixed = await fixCandidates(platform, STAFF, committed.lotteryId, candidates, { [candidates[3]!.uscc]: 'Cafe\u0301 7' });
      expect(fixed).toMatchObject({ status: 'awaiting_external', candidateCount: 10, candidatesHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(JSON.stringify(fixed)).not.toContain(seed);

      platform.clock.advance(60_000);
      const record = await drawLottery(platform, STAFF, committed.lotteryId);
      expect(verifyLotteryRecord(record)).toEqual({ ok: true });
      expect(record).toMatchObject({ algorithm: 'lottery-v1', serverSeed: seed, weakSource: true, winnerCount: 2 });
      expect(record.algorithm === 'lottery-v1' && record.entropy).toEqual({ [candidates[3]!.uscc]: 'Café 7' });

      const stored = await getLottery(db(), committed.lotteryId);
      expect(stored.status).toBe('drawn');
      expect(stored.record).toEqual(record);

      const events = await trail(committed.lotteryId);
      expect(events.map((event) => event.action)).toEqual(['lottery.committed', 'lottery.candidates_fixed', 'lottery.drawn']);
      expect(events[0]!.data).toMatchObject({ seedCommitment: committed.seedCommitment });
      expect(JSON.stringify(events.slice(0, 2))).not.toContain(seed);
      expect(events[1]!.data).toMatchObject({ candidatesHash: fixed.candidatesHash, candidateCount: 10, entropyCount: 1 });
      expect(events[2]!.data).toMatchObject({ seedHex: (record as { seedHex: string }).seedHex, order: record.order, recordHash: recordHash(record) });
    });

    it('numbers lotteries LOT-<year>-<six digits> from one sequence', async () => {
      const first = await commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'none' } });
      const second = await commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'none' } });
      expect(first.lotteryId).toMatch(/^LOT-2026-\d{6}$/);
      expect(Number(second.lotteryId.slice(9))).toBe(Number(first.lotteryId.slice(9)) + 1);
    });

    it('lets the candidates change before the external value is known, auditing the replaced hash', async () => {
      const id = await aLottery().withSource({ kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' }).build(platform);
      const before = await getLottery(db(), id);
      const after = await fixCandidates(platform, STAFF, id, firms(9));
      expect(after).toMatchObject({ status: 'awaiting_external', candidateCount: 9 });
      const events = await trail(id);
      expect(events.at(-1)).toMatchObject({ action: 'lottery.candidates_fixed', data: { replacedCandidatesHash: before.candidatesHash } });
    });

    it('refuses invalid candidates and entropy with 400 and the algorithm’s code', async () => {
      const { lotteryId } = await commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'none' } });
      const [a, b] = firms(2);
      await expect(fixCandidates(platform, STAFF, lotteryId, [a!, { ...a!, name: 'again' }])).rejects.toMatchObject({ status: 400, code: 'duplicate_uscc' });
      await expect(fixCandidates(platform, STAFF, lotteryId, [a!, b!], { '91000000000000000X': 'x' })).rejects.toMatchObject({
        status: 400,
        code: 'unknown_entropy_uscc',
      });
      await expect(fixCandidates(platform, STAFF, lotteryId, [a!, b!], { [a!.uscc]: '长'.repeat(65) })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_entropy',
      });
      await expect(fixCandidates(platform, STAFF, lotteryId, [])).rejects.toMatchObject({ status: 400, code: 'no_candidates' });
      await expect(fixCandidates(platform, STAFF, lotteryId, [{ ...a!, weight: 0 }])).rejects.toMatchObject({ status: 400, code: 'invalid_candidate' });
      expect((await getLottery(db(), lotteryId)).status).toBe('committed');
    });

    it('refuses to draw before the candidates are fixed (409)', async () => {
      const { lotteryId } = await commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'none' } });
      await expect(drawLottery(platform, STAFF, lotteryId)).rejects.toMatchObject({ status: 409, code: 'candidates_not_fixed' });
      await expect(drawLottery(platform, STAFF, 'LOT-2026-999999')).rejects.toMatchObject({ status: 404 });
    });

    it('names up to three witnesses before the draw, audited', async () => {
      const id = await aLottery().build(platform);
      await expect(setWitnesses(platform, STAFF, id, ['a', 'b', 'c', 'd'])).rejects.toMatchObject({ status: 400, code: 'too_many_witnesses' });
      const named = await setWitnesses(platform, STAFF, id, ['监督员 王敏', ' 公证员 李建华 ']);
      expect(named.witnesses).toEqual(['监督员 王敏', '公证员 李建华']);
      expect((await trail(id)).at(-1)).toMatchObject({ action: 'lottery.witnesses_set', data: { witnesses: named.witnesses } });
    });
  });

  describe('a drawn record is immutable', () => {
    it('refuses a second draw and any change with 409, and the database refuses an UPDATE', async () => {
      const id = await aLottery().drawn(platform);
      const record = (await getLottery(db(), id)).record!;
      await expect(drawLottery(platform, STAFF, id)).rejects.toMatchObject({ status: 409, code: 'lottery_already_drawn' });
      await expect(fixCandidates(platform, STAFF, id, firms(3))).rejects.toMatchObject({ status: 409, code: 'lottery_drawn' });
      await expect(setWitnesses(platform, STAFF, id, ['x'])).rejects.toMatchObject({ status: 409, code: 'lottery_drawn' });
      await expect(db().execute(sql`update lotteries set draw_order = '[]'::jsonb where id = ${id}`)).rejects.toThrow();
      await expect(db().execute(sql`delete from lotteries where id = ${id}`)).rejects.toThrow();
      expect((await getLottery(db(), id)).record).toEqual(record);
    });

    it('can be invalidated by staff, keeping the record exactly as drawn', async () => {
      const id = await aLottery().drawn(platform);
      const record = (await getLottery(db(), id)).record!;
      platform.clock.advance(3_600_000);
      const invalidated = await invalidateLottery(platform, STAFF, id, '候选名单中有一家单位已被列入黑名单');
      expect(invalidated).toMatchObject({ status: 'invalidated', invalidation: { reason: '候选名单中有一家单位已被列入黑名单' } });
      expect(invalidated.record).toEqual(record);
      expect(verifyLotteryRecord(invalidated.record)).toEqual({ ok: true });
      expect((await trail(id)).at(-1)).toMatchObject({ action: 'lottery.invalidated', data: { previousStatus: 'drawn', cause: 'staff' } });
      await expect(invalidateLottery(platform, STAFF, id, 'again')).rejects.toMatchObject({ status: 409, code: 'lottery_invalidated' });
      await expect(db().execute(sql`update lotteries set invalidation_reason = 'edited' where id = ${id}`)).rejects.toThrow();
    });
  });

  describe('manual external source', () => {
    const source = { kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' } as const;

    it('waits (409) until staff enter the declared figure, then draws with it and its reference', async () => {
      const id = await aLottery().withSource(source).build(platform);
      await expect(drawLottery(platform, STAFF, id)).rejects.toMatchObject({ status: 409, code: 'external_value_missing' });
      await expect(enterManualExternal(platform, STAFF, id, '3 8 1', '  ')).rejects.toMatchObject({ status: 400, code: 'reference_required' });
      await enterManualExternal(platform, STAFF, id, '3 8 1', 'https://www.cwl.gov.cn/');
      const record = await drawLottery(platform, STAFF, id);
      expect(record).toMatchObject({
        weakSource: false,
        external: { declaration: source, value: '3 8 1', reference: 'https://www.cwl.gov.cn/' },
      });
      expect(verifyLotteryRecord(record)).toEqual({ ok: true });
      expect((await trail(id)).map((event) => event.action)).toContain('lottery.external_entered');
    });

    it('refuses a figure before the candidates are fixed, and for a lottery without a manual source', async () => {
      const { lotteryId } = await commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: source });
      await expect(enterManualExternal(platform, STAFF, lotteryId, '3 8 1', 'ref')).rejects.toMatchObject({ status: 409, code: 'candidates_not_fixed' });
      const none = await aLottery().build(platform);
      await expect(enterManualExternal(platform, STAFF, none, '3 8 1', 'ref')).rejects.toMatchObject({ status: 409, code: 'external_not_manual' });
    });

    it('invalidates the draw when the candidates change after the figure is known', async () => {
      const id = await aLottery().withSource(source).withFigure('3 8 1').build(platform);
      const result = await fixCandidates(platform, STAFF, id, firms(9));
      expect(result.status).toBe('invalidated');
      expect(result.invalidation?.reason).toContain('after the external value was known');
      expect(result.candidateCount).toBe(10);
      expect((await trail(id)).at(-1)).toMatchObject({
        action: 'lottery.invalidated',
        data: { cause: 'inputs_changed_after_external', previousStatus: 'awaiting_external' },
      });
      await expect(drawLottery(platform, STAFF, id)).rejects.toMatchObject({ status: 409, code: 'lottery_invalidated' });
    });

    it('invalidates the draw when the entropy changes after the figure is known', async () => {
      const candidates = firms(10);
      const id = await aLottery().withSource(source).withCandidates(candidates).withFigure('3 8 1').build(platform);
      const result = await fixCandidates(platform, STAFF, id, candidates, { [candidates[0]!.uscc]: 'late entropy' });
      expect(result.status).toBe('invalidated');
    });

    it('invalidates the draw when a different figure is entered; the same figure again is a 409', async () => {
      const id = await aLottery().withSource(source).withFigure('3 8 1').build(platform);
      await expect(enterManualExternal(platform, STAFF, id, '3 8 1', 'ref')).rejects.toMatchObject({ status: 409, code: 'external_already_entered' });
      const result = await enterManualExternal(platform, STAFF, id, '3 8 2', 'ref');
      expect(result.status).toBe('invalidated');
    });
  });

  describe('drand external source', () => {
    const beacon = (): DrandBeacon => recordedBeacon(ROUND);
    const published = timeOfRound(ROUND);

    async function committedForRound(): Promise<string> {
      platform.clock.set(new Date(published - 6 * 86_400_000));
      const id = await aLottery().withSource({ kind: 'drand', round: ROUND }).build(platform);
      return id;
    }

    it('refuses to declare a round that is already public', async () => {
      platform.clock.set(new Date(published + 1000));
      await expect(
        commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'drand', round: ROUND } }),
      ).rejects.toMatchObject({ status: 400, code: 'drand_round_not_future' });
      await expect(commitLottery(platform, STAFF, { algorithm: 'lottery-v1', winners: 1, external: { kind: 'drand' } })).rejects.toMatchObject({
        status: 400,
        code: 'drand_round_missing',
      });
    });

    it('declares the first round after a given time', async () => {
      platform.clock.set(new Date(published - 86_400_000));
      const committed = await commitLottery(platform, STAFF, {
        algorithm: 'lottery-v1',
        winners: 1,
        external: { kind: 'drand', after: new Date(published - 1000) },
      });
      expect(committed.external.declaration).toMatchObject({ kind: 'drand', round: ROUND });
      expect(Date.parse(committed.external.roundPublishedAt!)).toBe(published);
    });

    it('waits for its round by the clock, then draws with the verified beacon', async () => {
      const id = await committedForRound();
      const client = new RecordedDrandClient([beacon()]);
      platform.clock.set(new Date(published - 1000));
      await expect(drawLottery(platform, STAFF, id, { drandClient: client })).rejects.toMatchObject({ status: 409, code: 'drand_round_pending' });
      platform.clock.set(new Date(published));
      const record = (await drawLottery(platform, STAFF, id, { drandClient: client })) as LotteryRecord & { external: { beacon: DrandBeacon } };
      expect(record.external).toMatchObject({ value: beacon().randomness, beacon: beacon() });
      expect(verifyLotteryRecord(record)).toEqual({ ok: true });
      expect((await getLottery(db(), id)).record).toEqual(record);
    });

    it('waits (409) while the relay does not serve the round yet', async () => {
      const id = await committedForRound();
      platform.clock.set(new Date(published + 3000));
      await expect(drawLottery(platform, STAFF, id, { drandClient: new RecordedDrandClient([]) })).rejects.toMatchObject({
        status: 409,
        code: 'drand_round_unavailable',
      });
    });

    it('refuses a tampered beacon with 422 and a clear error, and draws nothing', async () => {
      const id = await committedForRound();
      platform.clock.set(new Date(published + 3000));
      const real = beacon();
      const flipped = real.signature.slice(0, 10) + (real.signature[10] === '0' ? '1' : '0') + real.signature.slice(11);
      const tampered = new RecordedDrandClient([{ ...real, signature: flipped }]);
      await expect(drawLottery(platform, STAFF, id, { drandClient: tampered })).rejects.toMatchObject({
        status: 422,
        code: 'drand_beacon_invalid',
        message: expect.stringContaining(`drand round ${ROUND}`),
      });
      const otherRound = new RecordedDrandClient([{ ...recordedBeacon(20905307), round: ROUND }]);
      await expect(drawLottery(platform, STAFF, id, { drandClient: otherRound })).rejects.toMatchObject({ status: 422 });
      expect((await getLottery(db(), id)).status).toBe('awaiting_external');
    });

    it('invalidates the draw when the candidates change after the round was published', async () => {
      const id = await committedForRound();
      platform.clock.set(new Date(published + 60_000));
      const result = await fixCandidates(platform, STAFF, id, firms(8));
      expect(result.status).toBe('invalidated');
      expect(result.invalidation?.reason).toContain(`drand round ${ROUND}`);
    });
  });

  describe('rfc3797', () => {
    it('reproduces the RFC’s worked example from the figure staff enter', async () => {
      const vectors = rfc3797Vectors();
      const candidates = vectors.names_in_order.map(({ number, name }) => ({ uscc: String(number).padStart(2, '0'), weight: 1, name }));
      const id = await new LotteryBuilder()
        .withAlgorithm('rfc3797')
        .withWinners(5)
        .withSource({ kind: 'manual', description: 'RFC 3797 §6: three lottery results, in this order' })
        .withCandidates(candidates)
        .withFigure('9319 / 2 5 12 8 10 / 9 18 26 34 41 45')
        .drawn(platform);
      const record = (await getLottery(db(), id)).record!;
      expect(record.algorithm === 'rfc3797' && record.key).toBe(vectors.key_string);
      const names = new Map(candidates.map((candidate) => [candidate.uscc, candidate.name]));
      expect(record.order.slice(0, 10).map((uscc) => names.get(uscc))).toEqual(vectors.selection_order_first_10);
      expect(verifyLotteryRecord(record)).toEqual({ ok: true });
    });

    it('needs manual sources, unit weights and no entropy', async () => {
      await expect(commitLottery(platform, STAFF, { algorithm: 'rfc3797', winners: 1, external: { kind: 'none' } })).rejects.toMatchObject({
        status: 400,
        code: 'rfc3797_needs_manual_sources',
      });
      const { lotteryId } = await commitLottery(platform, STAFF, {
        algorithm: 'rfc3797',
        winners: 1,
        external: { kind: 'manual', description: 'two results' },
      });
      await expect(fixCandidates(platform, STAFF, lotteryId, firms(4, [1, 2]))).rejects.toMatchObject({ status: 400, code: 'rfc3797_weighted_candidates' });
      const plain = firms(4);
      await expect(fixCandidates(platform, STAFF, lotteryId, plain, { [plain[0]!.uscc]: 'x' })).rejects.toMatchObject({ status: 400, code: 'rfc3797_entropy' });
      await fixCandidates(platform, STAFF, lotteryId, plain);
      await expect(enterManualExternal(platform, STAFF, lotteryId, '1 2 / ', 'ref')).rejects.toMatchObject({ status: 400, code: 'invalid_rfc3797_source' });
    });
  });

  it('lists lotteries newest first, paginated', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      platform.clock.advance(60_000);
      ids.push(await aLottery().build(platform));
    }
    const page = await listLotteries(db(), { page: 1, pageSize: 2 });
    expect(page).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.items.map((item) => item.lotteryId)).toEqual([ids[2], ids[1]]);
  });

  it('loads demo draws that all verify', async () => {
    const fresh = await createTestPlatform();
    try {
      await lotteryDemo.load(fresh);
      const { items } = await listLotteries(fresh.database.db, { page: 1, pageSize: 20 });
      expect(items.map((item) => item.status).sort()).toEqual(['committed', 'drawn', 'drawn', 'drawn']);
      for (const item of items.filter((entry) => entry.status === 'drawn')) {
        const { record } = await getLottery(fresh.database.db, item.lotteryId);
        expect(verifyLotteryRecord(record)).toEqual({ ok: true });
      }
      expect(items.map((item) => item.algorithm)).toContain('rfc3797');
    } finally {
      await fresh.close();
    }
  });
});
