import { aPublishedService } from '../catalog/builders.js';
import { aFirm, loggedInAs, logIn, post, withToken, type LoggedIn } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { projectTerms, publishedProject } from '../projects/support.js';

// The TestClock starts on Wednesday 2026-11-25 09:00 Shanghai.
export const DURING_SUBMISSIONS = '2026-11-28T09:00:00+08:00';
export const AT_OPENING = '2026-12-01T17:00:00+08:00';

/** A published service item with a 30-working-day time limit, an owner and `count` qualified firms. */
export async function aComparisonScene(platform: TestPlatform, count = 3) {
  const service = await aPublishedService(platform, { timeLimitDays: 30 });
  const owner = await withToken(platform, await loggedInAs(platform, 'owner'));
  const firms: (LoggedIn & { firmId: number })[] = [];
  for (let i = 0; i < count; i += 1) {
    const firm = await aFirm(platform, { admitted: true, qualifiedFor: [service.code] });
    firms.push({ ...(await withToken(platform, await logIn(platform, firm.account))), firmId: firm.firmId });
  }
  return { service, owner, firms };
}

export const comparisonTerms = (serviceCode: string, weights: Record<string, number>, overrides: Record<string, unknown> = {}) =>
  projectTerms(serviceCode, { method: 'comparison', title: '文三路综合整治工程环境影响评价比选', options: { weights }, ...overrides });

/** Publishes a comparison project and registers every firm. */
export async function aComparisonProject(owner: LoggedIn, firms: LoggedIn[], serviceCode: string, weights: Record<string, number>) {
  const project = await publishedProject(owner, comparisonTerms(serviceCode, weights));
  for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
  return project;
}

/** A sealed proposal: amount in fen, promised working days, plan text. */
export const propose = (firm: LoggedIn, projectId: number, amountFen: number, promisedDays: number, plan = '组建项目组，按期提交成果。') =>
  post(firm, `/api/v1/projects/${projectId}/submissions`, { amountFen, promisedDays, plan });

export { post };
