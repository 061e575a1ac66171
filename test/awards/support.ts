import request from 'supertest';
import type { LoggedIn } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

/** When the inquiry of `aProjectInPublicity` opens, and when its publicity (3 working days) ends. */
export const OPENED_AT = '2026-12-01T17:00:00+08:00';
export const PUBLICITY_ENDS_AT = '2026-12-04T17:00:00+08:00';
/** The winner's deadline to accept: 5 working days after the publicity ended. */
export const FIRST_RESPOND_BY = '2026-12-11T17:00:00+08:00';

/** Quotes in fen: firms[0] is cheapest and wins, the others follow in this order. */
export const QUOTES = [11_000_000, 12_000_000, 13_000_000, 13_500_000];

/**
 * An inquiry project (询价) driven through registration, sealed quotes and the opening, now in
 * publicity. `winner` is firms[0]; `alternates` are the rest in ranking order.
 * The clock stands at OPENED_AT.
 */
export async function aProjectInPublicity(platform: TestPlatform, options: { firmCount?: number; winners?: number } = {}) {
  const scene = await aSelectionScene(platform, options.firmCount ?? 3);
  const { service, owner, firms } = scene;
  const project = await publishedProject(owner, projectTerms(service.code, { winners: options.winners ?? 1 }));
  for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
  platform.clock.set('2026-11-28T09:00:00+08:00');
  for (const [i, firm] of firms.entries()) {
    await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: QUOTES[i] ?? 14_000_000 + i, promisedDays: 20 + i }).expect(201);
  }
  platform.clock.set(OPENED_AT);
  const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
  if (opened.body.status !== 'publicity') throw new Error(`expected publicity, got ${opened.body.status}`);
  return { scene, projectId: project.id as number, winner: firms[0]!, alternates: firms.slice(1) };
}

/**
 * The same project after publicity, with the winner's acceptance on record: the project is
 * `awarded` and the award accepted. The clock stands one hour after publicity ended.
 */
export async function anAcceptedAward(platform: TestPlatform, options: { firmCount?: number } = {}) {
  const { scene, projectId, winner, alternates } = await aProjectInPublicity(platform, options);
  platform.clock.set(PUBLICITY_ENDS_AT);
  platform.clock.advance(60 * 60 * 1000);
  const accepted = await post(winner, `/api/v1/projects/${projectId}/award/accept`);
  if (accepted.status !== 200) throw new Error(`accept failed ${accepted.status} ${accepted.text}`);
  return { scene, projectId, winner: winner as LoggedIn & { firmId: number }, alternates, awardId: accepted.body.id as number };
}
