import { completeUscc } from '../../src/auth/uscc.js';
import type { LotteryCandidate } from '../../src/lottery/algorithm/index.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import {
  commitLottery,
  drawLottery,
  enterManualExternal,
  fixCandidates,
  type CommitLotteryInput,
  type ExternalSourceInput,
} from '../../src/lottery/service.js';

export const STAFF = 'user:7';

/** `count` firms with valid codes 91330100MA2KCH0nn + check character; weights cycle through `weights`. */
export function firms(count: number, weights: readonly number[] = [1]): LotteryCandidate[] {
  return Array.from({ length: count }, (_, index) => ({
    uscc: completeUscc(`91330100MA2KCH0${String(index).padStart(2, '0')}`),
    weight: weights[index % weights.length]!,
    name: `测试中介机构${index + 1}号有限公司`,
  }));
}

/** Fluent builder for a lottery in any state: aLottery().withSource(...).fixed(firms(10)).drawn(deps). */
export class LotteryBuilder {
  private input: CommitLotteryInput = { algorithm: 'lottery-v1', winners: 2, external: { kind: 'none' } };
  private candidates: LotteryCandidate[] | undefined;
  private entropy: Record<string, string> = {};
  private figure: { value: string; reference: string } | undefined;

  withAlgorithm(algorithm: CommitLotteryInput['algorithm']): this {
    this.input = { ...this.input, algorithm };
    return this;
  }

  withWinners(winners: number): this {
    this.input = { ...this.input, winners };
    return this;
  }

  withSource(external: ExternalSourceInput): this {
    this.input = { ...this.input, external };
    return this;
  }

  withCandidates(candidates: LotteryCandidate[], entropy: Record<string, string> = {}): this {
    this.candidates = candidates;
    this.entropy = entropy;
    return this;
  }

  withFigure(value: string, reference = 'https://www.cwl.gov.cn/'): this {
    this.figure = { value, reference };
    return this;
  }

  /** Commits, and fixes candidates and enters the figure when given. */
  async build(deps: PlatformDeps): Promise<string> {
    const { lotteryId } = await commitLottery(deps, STAFF, this.input);
    if (this.candidates) await fixCandidates(deps, STAFF, lotteryId, this.candidates, this.entropy);
    if (this.figure) await enterManualExternal(deps, STAFF, lotteryId, this.figure.value, this.figure.reference);
    return lotteryId;
  }

  async drawn(deps: PlatformDeps): Promise<string> {
    const id = await this.build(deps);
    await drawLottery(deps, STAFF, id);
    return id;
  }
}

export const aLottery = () => new LotteryBuilder().withCandidates(firms(10));
