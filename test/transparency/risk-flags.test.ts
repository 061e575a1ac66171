import { eq } from 'drizzle-orm';
import request from 'supertest';
import { awards } from '../../src/awards/tables.js';
import { evenlySpaced } from '../../src/transparency/risk-flags.js';
import { loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { result, rows } from './rows.js';

describe('integrity risk flags', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeEach(async () => {
    platform = await createTestPlatform();
    platform.clock.set('2026-11-20T09:00:00+08:00');
    staff = await withToken(platform, await loggedInAs(platform, 'staff'));
  });
  afterEach(() => platform.close());

  const flags = async (rule?: string) => (await staff.agent.get('/api/v1/risk-flags').query(rule ? { rule } : {}).expect(200)).body.items as { rule: string; threshold: string; projectIds: number[]; firmIds: number[]; evidence: Record<string, unknown> }[];
  const published = '2026-11-10T10:00:00+08:00';

  /** Three firms with distinct contacts quoting 70 %, 85 % and 93 % of the budget: nothing to flag. */
  async function cleanScene() {
    const r = rows(platform);
    const owner = await r.org('owner');
    const firms = [await r.org('agency'), await r.org('agency'), await r.org('agency')];
    const user = await r.user(firms[0]!.id);
    return { r, owner, firms, user };
  }

  it('raises nothing on a clean project', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const project = await r.project(owner.id, user.id, { method: 'inquiry', status: 'publicity', budgetFen: 100_000, result: result(published, [{ firmId: firms[0]!.id, amountFen: 70_000 }, { firmId: firms[1]!.id, amountFen: 85_000 }, { firmId: firms[2]!.id, amountFen: 93_000 }]) });
    for (const firm of firms) await r.registration(project.id, firm.id);
    expect(await flags()).toEqual([]);
  });

  it('flags a single valid bidder, quotes at the ceiling and evenly spaced quotes, naming rule and evidence', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const single = await r.project(owner.id, user.id, { method: 'inquiry', status: 'awarded', result: result(published, [{ firmId: firms[0]!.id, amountFen: 60_000 }]) });
    // 98 000 is exactly 2 % under the ceiling; 97 999 would not be
    const ceiling = await r.project(owner.id, user.id, { method: 'inquiry', status: 'publicity', budgetFen: 100_000, result: result(published, [{ firmId: firms[0]!.id, amountFen: 98_000 }, { firmId: firms[1]!.id, amountFen: 99_500 }]) });
    const below = await r.project(owner.id, user.id, { method: 'inquiry', status: 'publicity', budgetFen: 100_000, result: result(published, [{ firmId: firms[0]!.id, amountFen: 97_999 }, { firmId: firms[1]!.id, amountFen: 99_500 }]) });
    const spaced = await r.project(owner.id, user.id, { method: 'inquiry', status: 'failed', budgetFen: 100_000, result: result(published, [{ firmId: firms[0]!.id, amountFen: 80_000 }, { firmId: firms[1]!.id, amountFen: 85_000 }, { firmId: firms[2]!.id, amountFen: 90_040 }]) });

    const singles = await flags('single_valid_bidder');
    expect(singles).toEqual([expect.objectContaining({ rule: 'single_valid_bidder', threshold: expect.stringContaining('1 valid quote'), projectIds: [single.id], firmIds: [firms[0]!.id] })]);
    const ceilings = await flags('quotes_near_ceiling');
    expect(ceilings.map((flag) => flag.projectIds)).toEqual([[ceiling.id]]);
    expect(ceilings[0]!.evidence).toMatchObject({ budgetFen: 100_000, quotes: [expect.objectContaining({ amountFen: 98_000 }), expect.objectContaining({ amountFen: 99_500 })] });
    expect(below.id).not.toBe(ceiling.id);
    const evenly = await flags('evenly_spaced_quotes');
    // gaps 5000 and 5040: 40 ≤ 1 % of the mean gap 5020
    expect(evenly).toEqual([expect.objectContaining({ projectIds: [spaced.id], evidence: expect.objectContaining({ gapsFen: [5_000, 5_040] }) })]);
    expect(evenlySpaced([80_000, 85_000, 90_060])).toBeUndefined();
    expect(evenlySpaced([1_000, 2_000])).toBeUndefined();
    expect(evenlySpaced([5_000, 5_000, 5_000])).toBeUndefined();
  });

  it('flags an owner–firm pair winning three times in twelve months, not twice or long ago', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const wins = [];
    for (const when of ['2026-03-01T10:00:00+08:00', '2026-07-01T10:00:00+08:00', '2026-11-01T10:00:00+08:00']) {
      wins.push(await r.project(owner.id, user.id, { method: 'lottery', status: 'awarded', result: result(when, [{ firmId: firms[0]!.id }]) }));
    }
    // the second firm won twice recently and once more than a year ago
    for (const when of ['2025-10-01T10:00:00+08:00', '2026-06-01T10:00:00+08:00', '2026-10-01T10:00:00+08:00']) {
      await r.project(owner.id, user.id, { method: 'lottery', status: 'completed', result: result(when, [{ firmId: firms[1]!.id }]) });
    }
    const repeat = await flags('repeat_owner_firm_wins');
    expect(repeat).toEqual([expect.objectContaining({ firmIds: [firms[0]!.id], projectIds: wins.map((p) => p.id), evidence: expect.objectContaining({ ownerId: owner.id, wins: 3 }) })]);
  });

  it('flags registrants sharing a legal representative, a phone or an e-mail on the same project', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const twin = await r.org('agency', { legalRepresentative: firms[0]!.legalRepresentative, contactPhone: `+86 ${firms[0]!.contactPhone}`, email: firms[0]!.email!.toUpperCase() });
    const project = await r.project(owner.id, user.id, { method: 'lottery', status: 'registering' });
    for (const firm of [firms[0]!, firms[1]!, twin]) await r.registration(project.id, firm.id);
    // the same pair on another project, but one of them withdrew
    const other = await r.project(owner.id, user.id, { method: 'lottery', status: 'registering' });
    await r.registration(other.id, firms[0]!.id);
    await r.registration(other.id, twin.id, 'withdrawn');
    const shared = await flags('shared_contacts');
    expect(shared.map((flag) => flag.evidence.attribute).sort()).toEqual(['contact_phone', 'email', 'legal_representative']);
    for (const flag of shared) {
      expect(flag.projectIds).toEqual([project.id]);
      expect([...flag.firmIds].sort((a, b) => a - b)).toEqual([firms[0]!.id, twin.id]);
    }
  });

  it('flags a firm declining or letting lapse two awards within a year', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const db = platform.database.db;
    const projects = [];
    for (let i = 0; i < 3; i += 1) projects.push(await r.project(owner.id, user.id, { method: 'lottery', status: 'awarded' }));
    await db.insert(awards).values({ projectId: projects[0]!.id, firmId: firms[0]!.id, rank: 1, status: 'declined', respondedAt: new Date('2026-09-01T10:00:00+08:00') });
    await db.insert(awards).values({ projectId: projects[1]!.id, firmId: firms[0]!.id, rank: 1, status: 'lapsed', respondBy: new Date('2026-10-01T10:00:00+08:00') });
    await db.insert(awards).values({ projectId: projects[2]!.id, firmId: firms[1]!.id, rank: 1, status: 'declined', respondedAt: new Date('2026-10-01T10:00:00+08:00') });
    const declines = await flags('repeated_declines');
    expect(declines).toEqual([expect.objectContaining({ firmIds: [firms[0]!.id], evidence: expect.objectContaining({ declines: 2 }) })]);
    await db.update(awards).set({ status: 'accepted' }).where(eq(awards.projectId, projects[1]!.id));
    expect(await flags('repeated_declines')).toEqual([]);
  });

  it('is for staff only, validates the rule, and lists flags on a filtered staff page', async () => {
    const { r, owner, firms, user } = await cleanScene();
    const single = await r.project(owner.id, user.id, { method: 'inquiry', status: 'awarded', title: '单一<报价>项目', result: result(published, [{ firmId: firms[0]!.id, amountFen: 60_000 }]) });
    await request(platform.app).get('/api/v1/risk-flags').expect(401);
    const agency = await loggedInAs(platform, 'agency');
    await agency.agent.get('/api/v1/risk-flags').expect(403);
    await staff.agent.get('/api/v1/risk-flags').query({ rule: 'made_up' }).expect(400);
    const page = await staff.agent.get('/staff/risk-flags').query({ rule: 'single_valid_bidder' }).expect(200);
    expect(page.text).toContain('data-rule="single_valid_bidder"');
    expect(page.text).toContain(`href="/projects/${single.id}"`);
    expect(page.text).toContain('单一&lt;报价&gt;项目');
    const other = await staff.agent.get('/staff/risk-flags').query({ rule: 'repeated_declines' }).expect(200);
    expect(other.text).not.toContain('data-rule="single_valid_bidder"');
    await agency.agent.get('/staff/risk-flags').expect(403);
  });
});
