import { aPublishedService } from '../catalog/builders.js';
import { aFirm, loggedInAs, logIn, withToken, type LoggedIn } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';

/** A published service, an owner and `firmCount` admitted, qualified firms, all logged in. */
export async function aSelectionScene(platform: TestPlatform, firmCount = 3) {
  const service = await aPublishedService(platform);
  const owner = await withToken(platform, await loggedInAs(platform, 'owner'));
  const firms: (LoggedIn & { firmId: number })[] = [];
  for (let i = 0; i < firmCount; i += 1) {
    const firm = await aFirm(platform, { admitted: true, qualifiedFor: [service.code] });
    firms.push({ ...(await withToken(platform, await logIn(platform, firm.account))), firmId: firm.firmId });
  }
  return { service, owner, firms };
}

export function projectTerms(serviceCode: string, overrides: Record<string, unknown> = {}) {
  return {
    serviceCode,
    title: '某某道路改建工程环境影响评价',
    description: '编制环境影响报告表。',
    budgetFen: 15_000_000,
    method: 'inquiry',
    registrationCloses: '2026-11-27T17:00:00+08:00',
    submissionCloses: '2026-12-01T17:00:00+08:00',
    ...overrides,
  };
}

export async function publishedProject(owner: LoggedIn, terms: Record<string, unknown>) {
  const created = await owner.agent.post('/api/v1/projects').set('X-CSRF-Token', owner.csrfToken).send(terms);
  if (created.status !== 201) throw new Error(`create failed ${created.status} ${created.text}`);
  const published = await owner.agent.post(`/api/v1/projects/${created.body.id}/publish`).set('X-CSRF-Token', owner.csrfToken);
  if (published.status !== 200) throw new Error(`publish failed ${published.status} ${published.text}`);
  return published.body as { id: number; lotteryId: string | null; tieBreakLotteryId: string | null; registrationClosesAt: string; submissionClosesAt: string | null };
}

export { post } from '../support/builders.js';
