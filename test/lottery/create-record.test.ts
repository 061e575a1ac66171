import {
  createLotteryV1Record,
  declareDrandRound,
  DrandVerificationError,
  externalFromBeacon,
  externalFromManualFigure,
  LotteryInputError,
  NO_EXTERNAL_SOURCE,
  seedCommitment,
  type LotteryV1RecordInput,
} from '../../src/lottery/algorithm/index.js';
import { CANDIDATES, DRAND_ROUND, SERVER_SEED } from './support/records.js';
import { recordedBeacon } from './support/vectors.js';

const input: LotteryV1RecordInput = {
  lotteryId: 'LOT-CREATE-1',
  candidates: CANDIDATES,
  serverSeed: SERVER_SEED,
  seedCommitment: seedCommitment(SERVER_SEED),
  commitmentPublishedAt: '2025-08-01T02:00:00Z',
  registrationClosedAt: '2025-08-15T09:00:00Z',
  entropy: { [CANDIDATES[0]!.uscc]: ' spaced ' },
  external: NO_EXTERNAL_SOURCE,
  winners: 3,
  drawnAt: '2025-08-18T12:30:00Z',
};

describe('createLotteryV1Record', () => {
  it('stores candidates in canonical order, entropy as given once normalised, and the three winners', () => {
    const record = createLotteryV1Record(input);
    expect(record.candidates.map((candidate) => candidate.uscc)).toEqual(CANDIDATES.map((candidate) => candidate.uscc).sort());
    expect(record.entropy).toEqual({ [CANDIDATES[0]!.uscc]: ' spaced ' });
    expect(record.winners).toEqual(record.order.slice(0, 3));
    expect(record.weakSource).toBe(true);
  });

  it('refuses a server seed that does not match the published commitment', () => {
    expect(() => createLotteryV1Record({ ...input, seedCommitment: seedCommitment('0'.repeat(64)) })).toThrow(
      expect.objectContaining({ code: 'commitment_mismatch' }),
    );
  });

  it('refuses a drand round that was already public when the seed was committed', () => {
    const external = externalFromBeacon(declareDrandRound(DRAND_ROUND), recordedBeacon(DRAND_ROUND));
    expect(() => createLotteryV1Record({ ...input, external, commitmentPublishedAt: '2025-08-18T12:20:00Z', registrationClosedAt: '2025-08-18T12:21:00Z' })).toThrow(
      expect.objectContaining({ code: 'record_does_not_verify' }),
    );
  });

  it('refuses a manual source whose figure is empty or spans lines', () => {
    const declaration = { kind: 'manual' as const, description: '福彩3D 第2025218期' };
    expect(() => externalFromManualFigure(declaration, '')).toThrow(LotteryInputError);
    expect(() => externalFromManualFigure(declaration, '3\n8')).toThrow(LotteryInputError);
  });
});

describe('externalFromBeacon', () => {
  it('takes the randomness of a verified beacon as the external value', () => {
    const beacon = recordedBeacon(DRAND_ROUND);
    expect(externalFromBeacon(declareDrandRound(DRAND_ROUND), beacon)).toEqual({
      declaration: { kind: 'drand', chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971', round: DRAND_ROUND },
      value: beacon.randomness,
      beacon,
    });
  });

  it('refuses a beacon for another round or one whose signature does not verify', () => {
    const beacon = recordedBeacon(DRAND_ROUND);
    expect(() => externalFromBeacon(declareDrandRound(DRAND_ROUND + 1), beacon)).toThrow(LotteryInputError);
    const forged = { ...recordedBeacon(1000), round: DRAND_ROUND };
    expect(() => externalFromBeacon(declareDrandRound(DRAND_ROUND), forged)).toThrow(DrandVerificationError);
  });
});
