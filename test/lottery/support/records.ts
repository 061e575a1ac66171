import {
  createLotteryV1Record,
  createRfc3797Record,
  declareDrandRound,
  externalFromBeacon,
  externalFromManualFigure,
  NO_EXTERNAL_SOURCE,
  seedCommitment,
  type ExternalSourceValue,
  type LotteryCandidate,
  type LotteryV1Record,
  type Rfc3797Record,
} from '../../../src/lottery/algorithm/index.js';
import { recordedBeacon, rfc3797Vectors } from './vectors.js';

/** Real quicknet round 20905307, published 2025-08-18T12:14:45Z. */
export const DRAND_ROUND = 20905307;

export const CANDIDATES: LotteryCandidate[] = [
  { uscc: '91330100MA2H0K8X3R', weight: 1, name: '杭州明镜工程咨询有限公司' },
  { uscc: '91330106MA28LQ5K1B', weight: 3, name: '浙江衡平造价事务所有限公司' },
  { uscc: '91330102MA2CFJ3T9W', weight: 2, name: '杭州远山测绘有限公司' },
  { uscc: '91330105MA2KX0AC6N', weight: 1, name: '浙江正则环评技术有限公司' },
  { uscc: '91330108MA27WQ4H2E', weight: 2, name: '杭州启明项目管理有限公司' },
  { uscc: '91330110MA2GJ7PR5Y', weight: 1, name: '浙江同衡建筑设计有限公司' },
];

export const SERVER_SEED = '3f1c0a9be2d84c7f96a15e0b7d2c48e1a90f6b3c5d7e8f10213243546576879a';

const ENTROPY = { '91330102MA2CFJ3T9W': '远山测绘 2025', '91330108MA27WQ4H2E': 'lucky-7' };

function v1Record(external: ExternalSourceValue): LotteryV1Record {
  return createLotteryV1Record({
    lotteryId: 'LOT-2025-0815-01',
    candidates: CANDIDATES,
    serverSeed: SERVER_SEED,
    seedCommitment: seedCommitment(SERVER_SEED),
    commitmentPublishedAt: '2025-08-01T02:00:00.000Z',
    registrationClosedAt: '2025-08-15T09:00:00.000Z',
    entropy: ENTROPY,
    external,
    winners: 2,
    drawnAt: '2025-08-18T12:30:00.000Z',
  });
}

export function drandRecord(): LotteryV1Record {
  return v1Record(externalFromBeacon(declareDrandRound(DRAND_ROUND), recordedBeacon(DRAND_ROUND)));
}

export function noSourceRecord(): LotteryV1Record {
  return v1Record(NO_EXTERNAL_SOURCE);
}

export function manualRecord(): LotteryV1Record {
  return v1Record(
    externalFromManualFigure({ kind: 'manual', description: '中国福利彩票3D 第2025218期开奖号码' }, '3 8 1', 'https://www.cwl.gov.cn/'),
  );
}

/** The RFC 3797 §6 example as a record: uscc "01"…"25" keeps the RFC's numbering in byte order. */
export function rfc3797ExampleRecord(): Rfc3797Record {
  const vectors = rfc3797Vectors();
  return createRfc3797Record({
    lotteryId: 'RFC3797-EXAMPLE',
    candidates: vectors.names_in_order.map(({ number, name }) => ({ uscc: String(number).padStart(2, '0'), weight: 1, name })),
    sourcesDeclaration: 'RFC 3797 §6: three hypothetical lottery results, in this order',
    sourcesDeclaredAt: '2004-05-01T00:00:00Z',
    sources: vectors.sources.values.map(({ raw }) => ({ numbers: raw })),
    winners: 10,
    drawnAt: '2004-06-01T00:00:00Z',
  });
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
