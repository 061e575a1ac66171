import type { Executor } from '../platform/db/index.js';
import { activeEntriesOf } from '../blacklist/repository.js';
import { summariesOf } from '../credit/service.js';
import { gradeAtLeast } from '../credit/score.js';
import type { Clock } from '../platform/clock.js';
import { isoShanghai, shanghaiDate } from '../platform/time.js';
import * as repository from './repository.js';

export type CreditGrade = 'AAA' | 'AA' | 'A' | 'B' | 'C';

export interface EligibilityQuestion {
  firmId: number;
  serviceCode: string;
  minGrade?: CreditGrade;
}

/** One failed rule, named so a refusal can say exactly why. */
export interface RuleFailure {
  rule: string;
  message: string;
}

export interface EligibilityContext {
  db: Executor;
  clock: Clock;
  question: EligibilityQuestion;
  firm: repository.FirmRow;
}

/** Later features (blacklist, credit, conflict avoidance) add rules; each returns its failures. */
export type EligibilityRule = (context: EligibilityContext) => Promise<RuleFailure[]>;

export interface EligibilityAnswer {
  eligible: boolean;
  failures: RuleFailure[];
}

const firmStatusRule: EligibilityRule = async ({ firm }) => {
  if (firm.status === 'suspended') return [{ rule: 'firm_suspended', message: 'The firm is suspended' }];
  if (firm.status !== 'admitted') {
    return [{ rule: 'firm_not_admitted', message: `The firm is not admitted (status: ${firm.status})` }];
  }
  return [];
};

const qualificationRule: EligibilityRule = async ({ db, clock, question, firm }) => {
  const today = shanghaiDate(clock.now());
  const qualifications = (await repository.qualificationsOf(db, [firm.id])).filter(
    (qualification) => qualification.serviceCode === question.serviceCode,
  );
  if (qualifications.length === 0) {
    return [{ rule: 'qualification_missing', message: `No qualification for service ${question.serviceCode}` }];
  }
  const verified = qualifications.filter((qualification) => qualification.status === 'verified');
  if (verified.length === 0) {
    return [{ rule: 'qualification_unverified', message: `The qualification for ${question.serviceCode} is not verified by staff` }];
  }
  if (!verified.some((qualification) => qualification.validUntil >= today)) {
    const latest = verified.map((qualification) => qualification.validUntil).sort().at(-1);
    return [{ rule: 'qualification_expired', message: `The qualification for ${question.serviceCode} expired on ${latest}` }];
  }
  return [];
};

const debtorRule: EligibilityRule = async ({ db, firm }) => {
  const matches = (await repository.debtorMatches(db, [firm])).get(firm.id) ?? [];
  return matches.map((entry) => ({
    rule: 'dishonest_debtor',
    message: `Listed as a dishonest judgment debtor (${entry.court}, case ${entry.caseNumber})`,
  }));
};

/** An entry counts from the second it becomes active until the second it expires or is revoked. */
const blacklistRule: EligibilityRule = async ({ db, clock, firm }) => {
  const entries = await activeEntriesOf(db, [firm.id], clock.now());
  return entries.map((entry) => ({
    rule: 'blacklisted',
    message: `On the blacklist (entry ${entry.id}) ${entry.endsAt ? `until ${isoShanghai(entry.endsAt)}` : 'indefinitely'}: ${entry.reason}`,
  }));
};

const creditGradeRule: EligibilityRule = async ({ db, clock, question, firm }) => {
  if (!question.minGrade) return [];
  const summary = (await summariesOf(db, [firm.id], clock.now())).get(firm.id)!;
  return gradeAtLeast(summary.grade, question.minGrade)
    ? []
    : [{ rule: 'credit_grade_too_low', message: `Credit grade ${summary.grade} is below the minimum ${question.minGrade}` }];
};

export const BASE_RULES: readonly EligibilityRule[] = [firmStatusRule, qualificationRule, debtorRule, blacklistRule, creditGradeRule];

/**
 * May firm F take part in a project for service S with minimum grade G now? Every rule runs,
 * so the answer lists all that failed, not just the first.
 */
export async function checkEligibility(
  db: Executor,
  clock: Clock,
  question: EligibilityQuestion,
  extraRules: readonly EligibilityRule[] = [],
): Promise<EligibilityAnswer> {
  const firm = await repository.findFirm(db, question.firmId);
  if (!firm) return { eligible: false, failures: [{ rule: 'firm_not_found', message: 'No such firm' }] };
  const failures: RuleFailure[] = [];
  for (const rule of [...BASE_RULES, ...extraRules]) {
    failures.push(...(await rule({ db, clock, question, firm })));
  }
  return { eligible: failures.length === 0, failures };
}
