import request from 'supertest';
import { WorkingCalendar } from '../../src/platform/calendar/calendar.js';
import { findProject } from '../../src/projects/repository.js';
import { aPublishedService } from '../catalog/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from './support.js';

const instant = (value: string | null) => (value ? new Date(value).getTime() : null);

describe('project terms: drafts, publication checks, working-day deadlines and discount quotes', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('edits a draft; only its owner may; a published project is no longer a draft (409)', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const draft = await post(owner, '/api/v1/projects', projectTerms(service.code)).expect(201);
    expect(draft.body.status).toBe('draft');
    await request(platform.app).get(`/api/v1/projects/${draft.body.id}`).expect(404); // drafts are private
    const edited = await owner.agent.put(`/api/v1/projects/${draft.body.id}`).send(projectTerms(service.code, { title: '修改后的项目名称', budgetFen: 12_000_000 })).expect(200);
    expect(edited.body).toMatchObject({ title: '修改后的项目名称', budgetFen: 12_000_000, status: 'draft' });
    const mine = await owner.agent.get('/api/v1/projects?mine=true').expect(200);
    expect(mine.body.items.map((p: { id: number }) => p.id)).toContain(draft.body.id);
    await post(owner, `/api/v1/projects/${draft.body.id}/publish`).expect(200);
    await post(owner, `/api/v1/projects/${draft.body.id}/publish`).expect(409);
    const refused = await owner.agent.put(`/api/v1/projects/${draft.body.id}`).send(projectTerms(service.code)).expect(409);
    expect(refused.body.code).toBe('not_a_draft');
  });

  it('refuses a budget above a guided fee standard with 400 naming budgetFen', async () => {
    const { owner } = await aSelectionScene(platform, 0);
    const guided = await aPublishedService(platform, { fee: { mode: 'guided', minFen: 100_000, maxFen: 5_000_000, basis: '浙价服〔2026〕1号' } });
    const refused = await post(owner, '/api/v1/projects', projectTerms(guided.code, { budgetFen: 5_000_001 })).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'budgetFen' })]);
    const below = await post(owner, '/api/v1/projects', projectTerms(guided.code, { budgetFen: 99_999 })).expect(400);
    expect(below.body.errors).toEqual([expect.objectContaining({ path: 'budgetFen' })]);
    const draft = await post(owner, '/api/v1/projects', projectTerms(guided.code, { budgetFen: 5_000_000 })).expect(201);
    const edit = await owner.agent.put(`/api/v1/projects/${draft.body.id}`).send(projectTerms(guided.code, { budgetFen: 6_000_000 })).expect(400);
    expect(edit.body.errors).toEqual([expect.objectContaining({ path: 'budgetFen' })]);
  });

  it('refuses inconsistent terms, each naming its field', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const cases: [Record<string, unknown>, string][] = [
      [{ serviceCode: 'NO-SUCH' }, 'serviceCode'],
      [{ quoteMode: 'discount' }, 'quoteBaseFen'],
      [{ quoteMode: 'discount', quoteBaseFen: 16_000_000 }, 'quoteBaseFen'],
      [{ submissionCloses: undefined }, 'submissionCloses'],
      [{ method: 'lottery' }, 'submissionCloses'],
    ];
    for (const [overrides, path] of cases) {
      const refused = await post(owner, '/api/v1/projects', projectTerms(service.code, overrides)).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path })]);
    }
  });

  it('resolves {workingDays} deadlines at publication to 17:00 Shanghai on the working calendar (submissions count from registration close)', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    platform.clock.set('2026-11-26T10:30:00+08:00'); // a Thursday
    const project = await publishedProject(owner, projectTerms(service.code, { registrationCloses: { workingDays: 2 }, submissionCloses: { workingDays: 5 } }));
    // registration: Thu 26 → Fri 27 (1), Mon 30 (2); the submission period counts on from registration close:
    // Mon 30 → Tue 1 (1) … Fri 4 (4), Mon 7 Dec (5)
    expect(instant(project.registrationClosesAt)).toBe(instant('2026-11-30T17:00:00+08:00'));
    expect(instant(project.submissionClosesAt)).toBe(instant('2026-12-07T17:00:00+08:00'));
    const calendar = new WorkingCalendar(platform.database.db);
    const registrationDay = await calendar.addWorkingDays('2026-11-26', 2);
    expect(instant(project.registrationClosesAt)).toBe(instant(`${registrationDay}T17:00:00+08:00`));
    expect(instant(project.submissionClosesAt)).toBe(instant(`${await calendar.addWorkingDays(registrationDay, 5)}T17:00:00+08:00`));
  });

  it('counts working days from publication, not from the draft', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const draft = await post(owner, '/api/v1/projects', projectTerms(service.code, { registrationCloses: { workingDays: 1 }, submissionCloses: { workingDays: 3 } })).expect(201);
    platform.clock.set('2026-12-04T09:00:00+08:00'); // a Friday
    const published = await post(owner, `/api/v1/projects/${draft.body.id}/publish`).expect(200);
    expect(instant(published.body.registrationClosesAt)).toBe(instant('2026-12-07T17:00:00+08:00'));
    expect(instant(published.body.submissionClosesAt)).toBe(instant('2026-12-10T17:00:00+08:00'));
  });

  it('ranks discount quotes (下浮率) on the resulting amount', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code, { quoteMode: 'discount', quoteBaseFen: 12_000_000 }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(400);
    expect(refused.body.code).toBe('discount_expected');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { discountRateBp: 1000 }).expect(201); // 10 % off → 10 800 000
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { discountRateBp: 2500 }).expect(201); // 25 % off → 9 000 000
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { discountRateBp: 1234 }).expect(201); // 12.34 % off → 10 519 200
    const mine = await firms[1]!.agent.get(`/api/v1/projects/${project.id}/submissions/mine`).expect(200);
    expect(mine.body.content.discountRateBp).toBe(2500);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.result.ranking.map((r: { firmId: number; amountFen: number; discountRateBp: number }) => [r.firmId, r.amountFen, r.discountRateBp])).toEqual([
      [firms[1]!.firmId, 9_000_000, 2500],
      [firms[2]!.firmId, 10_519_200, 1234],
      [firms[0]!.firmId, 10_800_000, 1000],
    ]);
    expect(opened.body.result.winners).toEqual([firms[1]!.firmId]);
  });
});

describe('deadlines without a read: the job and the sweeper', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  const storedStatus = async (id: number) => (await findProject(platform.database.db, id))!.status;

  it('settles the project at each deadline from the job queue alone', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T16:59:59.999+08:00');
    await platform.jobs.runDue();
    expect(await storedStatus(project.id)).toBe('registering');
    platform.clock.set('2026-11-27T17:00:00+08:00');
    expect(await platform.jobs.runDue()).toBeGreaterThanOrEqual(1);
    expect(await storedStatus(project.id)).toBe('submitting');
    platform.clock.set('2026-11-28T09:00:00+08:00');
    for (const [i, firm] of firms.entries()) await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 + i }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    await platform.jobs.runDue();
    const stored = (await findProject(platform.database.db, project.id))!;
    expect(stored.status).toBe('publicity');
    expect((stored.result as { winners: number[] }).winners).toEqual([firms[0]!.firmId]);
  });

  it('lets the sweeper settle every overdue project, and nothing else', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const closing = await publishedProject(owner, projectTerms(service.code));
    const failing = await publishedProject(owner, projectTerms(service.code, { title: '无人报名的项目' }));
    const later = await publishedProject(owner, projectTerms(service.code, { title: '尚未截止的项目', registrationCloses: '2026-12-10T17:00:00+08:00', submissionCloses: '2026-12-15T17:00:00+08:00' }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${closing.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:01+08:00');
    const done = await platform.sweeper.runOnce();
    expect(done['due-projects']).toBe(2);
    expect(await storedStatus(closing.id)).toBe('submitting');
    expect(await storedStatus(failing.id)).toBe('failed');
    expect(await storedStatus(later.id)).toBe('registering');
    expect((await platform.sweeper.runOnce())['due-projects']).toBe(0);
  });
});
