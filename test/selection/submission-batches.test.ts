import request from 'supertest';
import { sql } from 'drizzle-orm';
import { publishEntry } from '../../src/blacklist/service.js';
import { queryRows } from '../../src/platform/db/index.js';
import { mySubmission, submitSealed } from '../../src/selection/submissions.js';
import { aFirm, aStaffUser, currentUserOf } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

/**
 * Submissions that arrive together are committed together (group commit). Whatever shares a
 * batch, each request gets its own answer: a refusal never sinks the others, two quotes of one
 * firm keep their order, and a retry with the same Idempotency-Key stores one submission.
 */
describe('sealed submissions committed in batches', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('answers each request of a mixed batch on its own and opens every accepted quote', async () => {
    platform.clock.set('2026-11-25T09:00:00+08:00');
    const { service, owner, firms } = await aSelectionScene(platform, 5);
    const outsider = await aFirm(platform, { admitted: true, qualifiedFor: [service.code] });
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await publishEntry(platform, await aStaffUser(platform), { firmId: firms[2]!.firmId, reason: '提供虚假材料', basis: '《政府投资项目中介服务管理办法》第二十条', evidence: '核查记录' });

    const as = (firm: (typeof firms)[number]) => currentUserOf(firm.account);
    const submit = (user: ReturnType<typeof as>, amountFen: number, key?: string) =>
      submitSealed(platform, user, project.id, { amountFen, promisedDays: 20 }, key).then(
        (result) => ({ status: result.replayed ? 'replayed' : 'accepted', receipt: result.receipt }),
        (error: { status: number; code: string }) => ({ status: error.status, code: error.code }),
      );
    // submitted in one tick: the first two go alone (two batches may run at once), the rest together
    const answers = await Promise.all([
      submit(as(firms[0]!), 11_000_000),
      submit(currentUserOf(outsider.account), 11_500_000),
      submit(as(firms[1]!), 15_000_001),
      submit(as(firms[2]!), 12_000_000),
      submit(as(firms[3]!), 13_000_000),
      submit(as(firms[3]!), 12_500_000),
      submit(as(firms[4]!), 14_000_000, 'retry-1'),
      submit(as(firms[4]!), 14_000_000, 'retry-1'),
    ]);
    expect(answers.map((answer) => ('code' in answer ? `${answer.status} ${answer.code}` : answer.status))).toEqual([
      'accepted',
      '403 forbidden',
      '400 above_budget',
      '422 not_eligible',
      'accepted',
      'accepted',
      'accepted',
      'replayed',
    ]);
    const receipts = answers.map((answer) => ('receipt' in answer ? answer.receipt : undefined));
    expect(receipts[7]).toEqual(receipts[6]);
    expect(receipts[5]!.submissionId).not.toBe(receipts[4]!.submissionId);
    expect((await mySubmission(platform, as(firms[3]!), project.id)).content.amountFen).toBe(12_500_000);

    // two batches may commit in either order on the server: compare what was stored, not its order
    const stored = await queryRows<{ id: number; firm_id: number; status: string }>(platform.database.db, sql`select id, firm_id, status from submissions where project_id = ${project.id}`);
    const byId = (ids: number[]) => [...ids].sort((a, b) => a - b);
    expect(byId(stored.map((row) => row.id))).toEqual(byId([receipts[0], receipts[4], receipts[5], receipts[6]].map((receipt) => receipt!.submissionId)));
    const statusOf = (id: number) => stored.find((row) => row.id === id)!.status;
    expect([0, 4, 5, 6].map((i) => statusOf(receipts[i]!.submissionId))).toEqual(['current', 'replaced', 'current', 'current']);
    const events = await queryRows<{ entity_id: string }>(platform.database.db, sql`select entity_id from sealed_audit_entries where action = 'submission.received' and project_id = ${project.id}`);
    expect(byId(events.map((event) => Number(event.entity_id)))).toEqual(byId(stored.map((row) => row.id)));

    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    expect(opened.body.tampered).toEqual([]);
    expect(opened.body.ranking.map((entry: { firmId: number; amountFen: number; receiptHash: string }) => [entry.firmId, entry.amountFen, entry.receiptHash])).toEqual([
      [firms[0]!.firmId, 11_000_000, receipts[0]!.receiptHash],
      [firms[3]!.firmId, 12_500_000, receipts[5]!.receiptHash],
      [firms[4]!.firmId, 14_000_000, receipts[6]!.receiptHash],
    ]);
    const page = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(page.body.status).toBe('publicity');
  });
});
