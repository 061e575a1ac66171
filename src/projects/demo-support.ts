import { findUserByUsername } from '../auth/repository.js';
import { TestClock } from '../platform/clock.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { CurrentUser } from '../platform/http/access.js';
import { addCalendarDays, shanghaiDate, shanghaiInstant } from '../platform/time.js';
import { settleProject } from '../selection/settle.js';
import { submitSealed } from '../selection/submissions.js';
import { registerForProject } from './registration.js';
import { projectTermsSchema } from './schemas.js';
import { createProject, publishProject } from './service.js';

/** A demo account acting as itself (the demo accounts loader created it). */
export async function demoUser(deps: PlatformDeps, username: string, role: CurrentUser['role']): Promise<CurrentUser | undefined> {
  const row = await findUserByUsername(deps.database.db, username);
  return row ? { id: row.id, username: row.username, role, organizationId: row.organizationId, displayName: row.displayName, via: 'session' } : undefined;
}

/** The demo owner and the demo firms `firmNN` by number, or undefined if any is missing. */
export async function demoCast(deps: PlatformDeps, numbers: number[]) {
  const owner = await demoUser(deps, 'demo-owner', 'owner');
  const users = await Promise.all(numbers.map((n) => demoUser(deps, `firm${String(n).padStart(2, '0')}`, 'agency')));
  if (!owner || users.some((user) => !user?.organizationId)) return undefined;
  return { owner, firm: new Map(numbers.map((n, i) => [n, users[i]!])) };
}

/** An instant `days` calendar days from today (Shanghai), at `time`. */
export function demoDays(deps: PlatformDeps) {
  const today = shanghaiDate(deps.clock.now());
  return (days: number, time: string) => shanghaiInstant(addCalendarDays(today, days), time);
}

/**
 * An inquiry run on its own clock in the past: published, registered and quoted, and opened
 * `openedDaysAgo` days ago at 17:00 — so now in publicity, or past it. Returns its clock and
 * deps to carry it further.
 */
export async function anOpenedDemoInquiry(
  deps: PlatformDeps,
  cast: NonNullable<Awaited<ReturnType<typeof demoCast>>>,
  openedDaysAgo: number,
  input: { serviceCode: string; title: string; description: string; budgetFen: number },
  quotes: { firm: number; yuan: number; promisedDays: number; plan: string }[],
) {
  const at = demoDays(deps);
  const clock = new TestClock(at(-openedDaysAgo - 6, '09:30'));
  const run = { ...deps, clock } as PlatformDeps;
  const draft = await createProject(run, cast.owner, projectTermsSchema.parse({
    ...input, method: 'inquiry', winners: 1, minRespondents: 3,
    registrationCloses: at(-openedDaysAgo - 3, '17:00').toISOString(), submissionCloses: at(-openedDaysAgo, '17:00').toISOString(),
  }));
  const project = await publishProject(run, cast.owner, draft.id);
  clock.set(at(-openedDaysAgo - 5, '10:00'));
  for (const quote of quotes) await registerForProject(run, cast.firm.get(quote.firm)!, project.id);
  clock.set(at(-openedDaysAgo - 2, '14:00'));
  for (const quote of quotes) {
    await submitSealed(run, cast.firm.get(quote.firm)!, project.id, { amountFen: quote.yuan * 100, promisedDays: quote.promisedDays, plan: quote.plan });
  }
  clock.set(new Date(at(-openedDaysAgo, '17:00').getTime() + 1000));
  const settled = await settleProject(run, project.id);
  return { id: project.id, clock, run, settled };
}
