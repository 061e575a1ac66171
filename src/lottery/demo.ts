import { completeUscc } from '../auth/uscc.js';
import type { DemoLoader } from '../platform/demo.js';
import type { PlatformDeps } from '../platform/deps.js';
import { DAY } from '../platform/clock.js';
import type { LotteryCandidate } from './algorithm/index.js';
import { commitLottery, drawLottery, enterManualExternal, fixCandidates, setWitnesses } from './service.js';

const ACTOR = 'system:demo';

/** Hangzhou-area firms; the 18th character of each code is computed (GB 32100-2015). */
export const DEMO_FIRMS: readonly { name: string; uscc: string }[] = [
  ['杭州明镜工程咨询有限公司', '91330100MA2H0K8X3'],
  ['浙江衡平造价事务所有限公司', '91330106MA28LQ5K1'],
  ['杭州远山测绘有限公司', '91330102MA2CFJ3T9'],
  ['浙江正则环评技术有限公司', '91330105MA2KX0AC6'],
  ['杭州启明项目管理有限公司', '91330108MA27WQ4H2'],
  ['浙江同衡建筑设计有限公司', '91330110MA2GJ7PR5'],
  ['杭州恒信资产评估有限公司', '91330103MA2B7N6D4'],
  ['浙江天衡会计师事务所有限公司', '91330104MA28F2G7X'],
  ['杭州安和安全技术咨询有限公司', '91330109MA2J3LX8K'],
  ['浙江中誉工程检测有限公司', '91330111MA2DP1W6E'],
].map(([name, first17]) => ({ name: name!, uscc: completeUscc(first17!) }));

const firms = (count: number, weights: readonly number[] = []): LotteryCandidate[] =>
  DEMO_FIRMS.slice(0, count).map((firm, index) => ({ ...firm, weight: weights[index] ?? 1 }));

/**
 * A few real draws so the public pages have something to show: a 10-firm draw on a published
 * welfare-lottery figure, a credit-weighted draw without external source, an RFC 3797 draw, and
 * one still waiting for its drand round.
 */
export const lotteryDemo: DemoLoader = {
  name: 'lottery',
  async load(deps: PlatformDeps) {
    await manualDraw(deps);
    await weightedDraw(deps);
    await rfc3797Draw(deps);
    await commitLottery(deps, ACTOR, {
      algorithm: 'lottery-v1',
      winners: 1,
      external: { kind: 'drand', after: new Date(deps.clock.now().getTime() + 7 * DAY) },
    });
  },
};

async function manualDraw(deps: PlatformDeps): Promise<void> {
  const { lotteryId } = await commitLottery(deps, ACTOR, {
    algorithm: 'lottery-v1',
    winners: 1,
    external: { kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' },
  });
  const candidates = firms(10);
  await fixCandidates(deps, ACTOR, lotteryId, candidates, {
    [candidates[0]!.uscc]: '明镜 2026',
    [candidates[2]!.uscc]: '远山测绘',
    [candidates[7]!.uscc]: 'lucky-7',
  });
  await setWitnesses(deps, ACTOR, lotteryId, ['市公共资源交易监督管理办公室 王敏', '公证员 李建华']);
  await enterManualExternal(deps, ACTOR, lotteryId, '5 0 7', 'https://www.cwl.gov.cn/');
  await drawLottery(deps, ACTOR, lotteryId);
}

async function weightedDraw(deps: PlatformDeps): Promise<void> {
  const { lotteryId } = await commitLottery(deps, ACTOR, { algorithm: 'lottery-v1', winners: 2, external: { kind: 'none' } });
  // Credit grades A, B, C weigh 3, 2, 1.
  await fixCandidates(deps, ACTOR, lotteryId, firms(8, [3, 2, 1, 3, 2, 2, 1, 3]), {});
  await drawLottery(deps, ACTOR, lotteryId);
}

async function rfc3797Draw(deps: PlatformDeps): Promise<void> {
  const { lotteryId } = await commitLottery(deps, ACTOR, {
    algorithm: 'rfc3797',
    winners: 3,
    external: { kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码 / 中国体育彩票排列5 第26318期开奖号码，按此顺序' },
  });
  await fixCandidates(deps, ACTOR, lotteryId, firms(10), {});
  await enterManualExternal(deps, ACTOR, lotteryId, '5 0 7 / 3 9 1 4 6', 'https://www.cwl.gov.cn/ ; https://www.lottery.gov.cn/');
  await drawLottery(deps, ACTOR, lotteryId);
}
