import type { Executor } from '../platform/db/index.js';
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

/** The same question for several firms at once (one project's registrants or quotes). */
export interface EligibilityBatchQuestion {
  firmIds: number[];
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
  question: Omit<EligibilityBatchQuestion, 'firmIds'>;
  firms: repository.EligibilityFacts[];
}

/**
 * A rule loads what it needs for every firm of the batch in one query, then judges each firm
 * from that. Later features (credit, conflict avoidance, load) add rules.
 */
export type EligibilityRule = (context: EligibilityContext) => Promise<(firm: repository.EligibilityFacts) => RuleFailure[]>;

/** A rule of the registry itself: it judges from the facts loaded with the firm, no query of its own. */
type FactRule = (firm: repository.EligibilityFacts, context: Pick<EligibilityContext, 'clock' | 'question'>) => RuleFailure[];

export interface EligibilityAnswer {
  eligible: boolean;
  failures: RuleFailure[];
}

const firmStatusRule: FactRule = (firm) => {
  if (firm.status === 'suspended') return [{ rule: 'firm_suspended', message: 'The firm is suspended' }];
  if (firm.status !== 'admitted') {
    return [{ rule: 'firm_not_admitted', message: `The firm is not admitted (status: ${firm.status})` }];
  }
  return [];
};

const qualificationRule: FactRule = ({ qualifications }, { clock, question }) => {
  if (qualifications.length === 0) {
    return [{ rule: 'qualification_missing', message: `No qualification for service ${question.serviceCode}` }];
  }
  const verified = qualifications.filter((qualification) => qualification.status === 'verified');
  if (verified.length === 0) {
    return [{ rule: 'qualification_unverified', message: `The qualification for ${question.serviceCode} is not verified by staff` }];
  }
  const today = shanghaiDate(clock.now());
  if (!verified.some((qualification) => qualification.validUntil >= today)) {
    const latest = verified.map((qualification) => qualification.validUntil).sort().at(-1);
    return [{ rule: 'qualification_expired', message: `The qualification for ${question.serviceCode} expired on ${latest}` }];
  }
  return [];
};

const debtorRule: FactRule = ({ debtorEntries }) =>
  debtorEntries.map((entry) => ({ rule: 'dishonest_debtor', message: `Listed as a dishonest judgment debtor (${entry.court}, case ${entry.caseNumber})` }));

/** An entry counts from the second it becomes active until the second it expires or is revoked. */
const blacklistRule: FactRule = ({ blacklistEntries }) =>
  blacklistEntries.map((entry) => ({
    rule: 'blacklisted',
    message: `On the blacklist (entry ${entry.id}) ${entry.endsAt ? `until ${isoShanghai(new Date(entry.endsAt))}` : 'indefinitely'}: ${entry.reason}`,
  }));

const creditGradeRule: EligibilityRule = async ({ db, clock, question, firms }) => {
  const minGrade = question.minGrade;
  if (!minGrade) return () => [];
  const summaries = await summariesOf(db, firms.map((firm) => firm.id), clock.now());
  return (firm) => {
    const { grade } = summaries.get(firm.id)!;
    return gradeAtLeast(grade, minGrade) ? [] : [{ rule: 'credit_grade_too_low', message: `Credit grade ${grade} is below the minimum ${minGrade}` }];
  };
};

const FACT_RULES: readonly FactRule[] = [firmStatusRule, qualificationRule, debtorRule, blacklistRule];

/**
 * May each firm take part in a project for service S with minimum grade G now? Every rule runs,
 * so each answer lists all that failed, not just the first. Each rule costs one query for the
 * whole batch, not one per firm.
 */
export async function checkEligibilityOfMany(
  db: Executor,
  clock: Clock,
  question: EligibilityBatchQuestion,
  extraRules: readonly EligibilityRule[] = [],
): Promise<Map<number, EligibilityAnswer>> {
  const firmIds = [...new Set(question.firmIds)];
  const firms = await repository.eligibilityFacts(db, firmIds, question.serviceCode, clock.now());
  const judges = FACT_RULES.map((rule) => (firm: repository.EligibilityFacts) => rule(firm, { clock, question }));
  for (const rule of [creditGradeRule, ...extraRules]) judges.push(await rule({ db, clock, question, firms }));
  const answers = new Map<number, EligibilityAnswer>();
  for (const firmId of firmIds) {
    const firm = firms.find((candidate) => candidate.id === firmId);
    const failures = firm ? judges.flatMap((judge) => judge(firm)) : [{ rule: 'firm_not_found', message: 'No such firm' }];
    answers.set(firmId, { eligible: failures.length === 0, failures });
  }
  return answers;
}

/** The same question for one firm. */
export async function checkEligibility(
  db: Executor,
  clock: Clock,
  question: EligibilityQuestion,
  extraRules: readonly EligibilityRule[] = [],
): Promise<EligibilityAnswer> {
  const { firmId, ...rest } = question;
  return (await checkEligibilityOfMany(db, clock, { ...rest, firmIds: [firmId] }, extraRules)).get(firmId)!;
}
