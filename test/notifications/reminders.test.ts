import { sql } from 'drizzle-orm';
import { loggedInAs, withToken } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import { aPlatformWithJobs, rows } from './support.js';
import { aProjectInPublicity } from '../awards/support.js';

const remindersOf = (platform: TestPlatform, userId: number, kind: string) =>
  rows<{ subject: string; dedupe_key: string }>(platform, sql`select subject, dedupe_key from notifications where user_id = ${userId} and kind = ${kind} order by id`);

describe('deadline reminders', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await aPlatformWithJobs();
  });
  afterEach(() => platform.close());

  it('reminds registrants and the owner 24 h and 2 h before registration closes, exactly once each', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code)); // registration closes 2026-11-27 17:00
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const firmUser = firms[0]!.account.user.id;
    const unregistered = firms[1]!.account.user.id;

    await platform.sweeper.runOnce(); // schedules the reminder job for the first lead
    platform.clock.set('2026-11-26T16:59:59+08:00');
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    expect(await remindersOf(platform, firmUser, 'reminder.registration_close')).toEqual([]);

    platform.clock.set('2026-11-26T17:00:00+08:00');
    await platform.jobs.runDue(); // the job alone, at the exact second
    expect(await remindersOf(platform, firmUser, 'reminder.registration_close')).toHaveLength(1);
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    const first = await remindersOf(platform, firmUser, 'reminder.registration_close');
    expect(first).toHaveLength(1);
    expect(first[0]!.subject).toContain('24 小时');
    expect(await remindersOf(platform, owner.account.user.id, 'reminder.registration_close')).toHaveLength(1);
    expect(await remindersOf(platform, unregistered, 'reminder.registration_close')).toEqual([]);

    platform.clock.set('2026-11-27T14:59:59+08:00');
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    expect(await remindersOf(platform, firmUser, 'reminder.registration_close')).toHaveLength(1);
    platform.clock.set('2026-11-27T15:00:00+08:00');
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    const both = await remindersOf(platform, firmUser, 'reminder.registration_close');
    expect(both.map((r) => r.subject)).toEqual([expect.stringContaining('24 小时'), expect.stringContaining('2 小时')]);
    // and each went out through the outbox
    const outbox = await rows(platform, sql`select * from notification_outbox where user_id = ${firmUser}`);
    expect(outbox).toHaveLength(2);
  });

  it('reminds every registrant before submission closes, whether it has quoted or not (who quoted is sealed)', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code)); // submissions close 2026-12-01 17:00
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:00+08:00');
    await platform.sweeper.runOnce();
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    platform.clock.set('2026-11-30T17:00:00+08:00');
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    expect(await remindersOf(platform, firms[0]!.account.user.id, 'reminder.submission_close')).toHaveLength(1);
    expect(await remindersOf(platform, firms[1]!.account.user.id, 'reminder.submission_close')).toHaveLength(1);
    expect(await remindersOf(platform, firms[2]!.account.user.id, 'reminder.submission_close')).toHaveLength(1);
  });

  it("reminds an offered firm before the award offer's answer deadline (respondBy)", async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, projectTerms(service.code));
    const respondBy = '2026-11-30T17:00:00+08:00';
    await platform.database.db.execute(sql`insert into awards (project_id, firm_id, rank, status, offered_at, respond_by)
      values (${project.id}, ${firms[0]!.firmId}, 1, 'offered', ${'2026-11-25T09:00:00+08:00'}, ${respondBy})`);
    platform.clock.set('2026-11-29T16:59:59+08:00');
    await platform.sweeper.runOnce();
    expect(await remindersOf(platform, firms[0]!.account.user.id, 'reminder.award_response')).toEqual([]);
    platform.clock.set('2026-11-29T17:00:00+08:00');
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    expect(await remindersOf(platform, firms[0]!.account.user.id, 'reminder.award_response')).toHaveLength(1);
    expect(await remindersOf(platform, owner.account.user.id, 'reminder.award_response')).toEqual([]);
  });

  it('reminds the firm before delivery of a signed contract is due, until it delivers', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, projectTerms(service.code));
    const firmId = firms[0]!.firmId;
    const db = platform.database.db;
    const [award] = await rows<{ id: number }>(platform, sql`insert into awards (project_id, firm_id, rank, status, offered_at, respond_by, responded_at)
      values (${project.id}, ${firmId}, 1, 'accepted', ${'2026-11-25T09:00:00+08:00'}, ${'2026-11-26T17:00:00+08:00'}, ${'2026-11-25T10:00:00+08:00'}) returning id`);
    const [file] = await rows<{ id: number }>(platform, sql`insert into stored_files (sha256, size_bytes, media_type, filename, uploaded_by, organization_id, purpose, created_at, content)
      values (${'0'.repeat(64)}, 1, 'application/pdf', 'contract.pdf', ${owner.account.user.id}, ${owner.account.user.organizationId}, 'contract', now(), decode('00', 'hex')) returning id`);
    await db.execute(sql`insert into contracts (project_id, award_id, firm_id, amount_fen, signed_on, promised_days, file_id, recorded_by, recorded_at)
      values (${project.id}, ${award!.id}, ${firmId}, 10000000, '2026-11-25', 3, ${file!.id}, ${owner.account.user.id}, now())`);
    // 3 working days after Wed 11-25: Mon 11-30, due 17:00; the 24 h lead is Sun 11-29 17:00
    platform.clock.set('2026-11-29T16:59:59+08:00');
    await platform.sweeper.runOnce();
    expect(await remindersOf(platform, firms[0]!.account.user.id, 'reminder.delivery_due')).toEqual([]);
    platform.clock.set('2026-11-29T17:00:00+08:00');
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    const sent = await remindersOf(platform, firms[0]!.account.user.id, 'reminder.delivery_due');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toContain('服务成果交付期限');
    // delivered: the 2 h lead finds no open deadline
    await db.execute(sql`update contracts set delivered_at = ${'2026-11-30T10:00:00+08:00'}, delivered_by = ${firms[0]!.account.user.id}, delivery_note = '成果已提交' where award_id = ${award!.id}`);
    platform.clock.set('2026-11-30T15:00:00+08:00');
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    expect(await remindersOf(platform, firms[0]!.account.user.id, 'reminder.delivery_due')).toHaveLength(1);
  });

  it('reminds staff before a publicity period ends with an objection they have not decided', async () => {
    const { projectId, alternates } = await aProjectInPublicity(platform);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: '中选机构报价明显低于成本，请核查其成本构成。' }).expect(201);
    // publicity ends 2026-12-04 17:00; the 24 h lead is 12-03 17:00
    platform.clock.set('2026-12-03T16:59:59+08:00');
    await platform.sweeper.runOnce();
    expect(await remindersOf(platform, staff.account.user.id, 'reminder.objection_decision')).toEqual([]);
    platform.clock.set('2026-12-03T17:00:00+08:00');
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
    expect(await remindersOf(platform, staff.account.user.id, 'reminder.objection_decision')).toHaveLength(1);
    expect(await remindersOf(platform, alternates[0]!.account.user.id, 'reminder.objection_decision')).toEqual([]);
  });

  it('sends only the latest-due lead after a late sweep', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, projectTerms(service.code));
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T16:00:00+08:00'); // the sweeper was down through the 24 h lead
    await platform.sweeper.runOnce();
    const sent = await remindersOf(platform, firms[0]!.account.user.id, 'reminder.registration_close');
    expect(sent.map((r) => r.subject)).toEqual([expect.stringContaining('2 小时')]);
  });
});

describe('the deadline dashboard (电子监察)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await aPlatformWithJobs();
  });
  afterEach(() => platform.close());

  it('lists deadlines within 2 working days as near, and unanswered questions past their limit as overdue, with who must act', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code)); // Wed 11-25; registration closes Fri 11-27 17:00
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    await post(firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '是否需要现场踏勘？' }).expect(201);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const ownerName = (await staff.agent.get(`/api/v1/projects/${project.id}`).expect(200)).body.ownerName;

    const near = await staff.agent.get('/api/v1/monitoring/deadlines?state=near').expect(200);
    expect(near.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual(['question_answer', 'registration_close']);
    expect(near.body.items.find((i: { kind: string }) => i.kind === 'question_answer')).toMatchObject({
      projectId: project.id, at: '2026-11-27T17:00:00.000+08:00', mustAct: [{ organizationId: owner.account.user.organizationId, name: ownerName }],
    });
    // submissions close Tue 12-01: 4 working days away, not near
    expect(near.body.items.some((i: { kind: string }) => i.kind === 'submission_close')).toBe(false);
    expect((await staff.agent.get('/api/v1/monitoring/deadlines?state=overdue').expect(200)).body.items).toEqual([]);

    platform.clock.set('2026-11-27T17:00:00+08:00');
    await platform.sweeper.runOnce(); // registration closes: no longer a pending deadline
    const overdue = await staff.agent.get('/api/v1/monitoring/deadlines?state=overdue').expect(200);
    expect(overdue.body.items).toEqual([expect.objectContaining({ kind: 'question_answer', projectId: project.id, hoursLeft: 0 })]);
    const nearNow = await staff.agent.get('/api/v1/monitoring/deadlines?state=near').expect(200);
    expect(nearNow.body.items.map((i: { kind: string }) => i.kind)).toEqual(['submission_close']); // Fri → Tue is 2 working days

    const page = await staff.agent.get('/staff/deadlines?state=overdue').expect(200);
    expect(page.text).toContain('答疑回复期限');
    expect(page.text).toContain(ownerName);
    await owner.agent.get('/api/v1/monitoring/deadlines').expect(403);
    await firms[0]!.agent.get('/staff/deadlines').expect(403);
  });
});
