import request from 'supertest';
import { DEMO_LOADERS } from '../../src/domains.js';
import { loadDemoDataIfEmpty } from '../../src/platform/demo.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

interface ListedProject {
  id: number;
  title: string;
  method: string;
  status: string;
}

/**
 * The demo data set exactly as a first `npm start` loads it (every loader, in registry order),
 * loaded once for the whole file: each feature checks the states it promises to show.
 */
describe('the demo data set', () => {
  let platform: TestPlatform;
  let projects: ListedProject[];
  const projectTitled = (title: string) => projects.find((p) => p.title === title)!;

  beforeAll(async () => {
    platform = await createTestPlatform();
    const loaded = await loadDemoDataIfEmpty(platform, DEMO_LOADERS);
    expect(loaded.loaded).toBe(true);
    const list = await request(platform.app).get('/api/v1/projects?pageSize=100').expect(200);
    projects = list.body.items;
  }, 600_000);
  afterAll(() => platform.close());

  it('shows every selection method, in the states each can reach', () => {
    const statesOf = (method: string) => new Set(projects.filter((p) => p.method === method).map((p) => p.status));
    expect([...statesOf('inquiry')]).toEqual(expect.arrayContaining(['registering', 'submitting', 'publicity', 'failed', 'cancelled']));
    expect([...statesOf('lottery')]).toEqual(expect.arrayContaining(['registering', 'drawing', 'choosing', 'publicity', 'failed', 'cancelled']));
    expect([...statesOf('lottery_inquiry')].length).toBeGreaterThanOrEqual(3);
    expect(statesOf('direct').size).toBeGreaterThanOrEqual(1);
    expect([...statesOf('comparison')]).toEqual(expect.arrayContaining(['evaluating', 'publicity']));
    expect([...statesOf('bidding')]).toEqual(expect.arrayContaining(['submitting', 'publicity']));
    const after = new Set(projects.map((p) => p.status));
    for (const status of ['awarded', 'contracted', 'delivered', 'completed']) expect(after).toContain(status);
  });

  it('has a credit-shortlisted, credit-weighted draw waiting for the owner’s choice', async () => {
    const choosing = projects.find((p) => p.status === 'choosing')!;
    const project = (await request(platform.app).get(`/api/v1/projects/${choosing.id}`).expect(200)).body;
    expect(project.result.shortlist).toHaveLength(3);
    const record = (await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200)).body;
    expect(record.candidates.length).toBeGreaterThanOrEqual(4);
    expect(record.candidates.every((c: { weight: number }) => c.weight > 1)).toBe(true);
  });

  it('has one comparison awaiting evaluation and one evaluated and in publicity', async () => {
    const comparisons = projects.filter((p) => p.method === 'comparison');
    expect(comparisons.map((p) => p.status).sort()).toEqual(['evaluating', 'publicity']);
    const evaluated = comparisons.find((p) => p.status === 'publicity')!;
    const table = await request(platform.app).get(`/api/v1/projects/${evaluated.id}/comparison`).expect(200);
    expect(table.body.rows.map((row: { rank: number }) => row.rank)).toEqual([1, 2, 3]);
    const listPage = await request(platform.app).get('/projects?status=evaluating').expect(200);
    expect(listPage.text).toContain('评审中');
  });

  it('shows a result in publicity with a pending objection, a pending offer, and an alternate holding the offer', async () => {
    const state = async (title: string) => (await request(platform.app).get(`/api/v1/projects/${projectTitled(title).id}/award`).expect(200)).body;
    expect(await state('城南垃圾焚烧发电厂扩建职业病危害预评价')).toMatchObject({ status: 'publicity', objections: [{ status: 'pending' }] });
    const pending = await state('城西综合交通枢纽地震安全性评价');
    expect(pending.status).toBe('awarded');
    expect(pending.offers.map((o: { status: string }) => o.status)).toEqual(['offered']);
    const passedOn = await state('钱江新城二期地下综合体地震安全性评价');
    expect(passedOn.offers.map((o: { status: string; rank: number }) => [o.status, o.rank])).toEqual([['declined', 1], ['offered', 2]]);
  });

  it('has projects contracted, delivered and completed, one of them overdue, with ratings', async () => {
    const withStatus = (status: string) => projects.filter((p) => p.status === status);
    expect(withStatus('contracted')).toHaveLength(1);
    expect(withStatus('delivered')).toHaveLength(1);
    const completed = withStatus('completed');
    expect(completed).toHaveLength(2);
    const overdue = [];
    for (const project of completed) {
      const [contract] = (await request(platform.app).get(`/api/v1/projects/${project.id}/contracts`).expect(200)).body.items;
      expect(contract.rating).not.toBeNull();
      overdue.push(contract.timer.overdue);
    }
    expect(overdue.sort()).toEqual([false, true]);
    const page = await request(platform.app).get(`/projects/${completed[0]!.id}`).expect(200);
    expect(page.text).toContain('id="contracts"');
  });

  it('has answered, unanswered and late-answered questions, and notifications in the outbox', async () => {
    const questions = [];
    for (const project of projects) {
      questions.push(...(await request(platform.app).get(`/api/v1/projects/${project.id}/questions`).expect(200)).body.items);
    }
    expect(questions.some((q) => q.answer && q.answeredOnTime)).toBe(true);
    expect(questions.some((q) => q.answer && q.answeredOnTime === false)).toBe(true);
    expect(questions.some((q) => !q.answer)).toBe(true);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const outbox = await staff.agent.get('/api/v1/notifications/outbox').expect(200);
    expect(outbox.body.total).toBeGreaterThanOrEqual(3);
  });

  // last: it moves the clock
  it('holds a finished auction with its published log, one taking initial bids, and one about to open', async () => {
    const bidding = projects.filter((p) => p.method === 'bidding');
    expect(bidding.map((p) => p.status).sort()).toEqual(['publicity', 'submitting', 'submitting']);
    const finished = bidding.find((p) => p.status === 'publicity')!;
    const project = (await request(platform.app).get(`/api/v1/projects/${finished.id}`).expect(200)).body;
    expect(project.result.kind).toBe('auction');
    expect(project.result.log.map((e: { outcome: string }) => e.outcome)).toEqual(['bid', 'bid', 'pass', 'bid', 'bid', 'timeout']);
    expect(project.result.ranking[0]).toMatchObject({ amountFen: 8_600_000 });
    const page = await request(platform.app).get(`/projects/${finished.id}/auction`).expect(200);
    expect(page.text).toContain(project.result.ranking[0].name);
    const soon = bidding.find((p) => p.title.includes('竞价演示'))!;
    platform.clock.advance(5 * 60_000);
    const live = (await request(platform.app).get(`/api/v1/projects/${soon.id}/auction`).expect(200)).body;
    expect(live).toMatchObject({ phase: 'running', turnSeconds: 600, rounds: 10, current: { round: 1, turn: 1 } });
  });
});
