import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { notify, MAX_SEND_ATTEMPTS, RETRY_BASE_MS } from '../../src/notifications/service.js';
import { loggedInAs, withToken } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import { aPlatformWithJobs, rows } from './support.js';

type Delivery = { id: number; channel: string; status: string; attempts: number; last_error: string | null; address: string | null };

async function aProjectWithAQuestion(platform: TestPlatform) {
  const scene = await aSelectionScene(platform, 1);
  const project = await publishedProject(scene.owner, projectTerms(scene.service.code));
  const asked = await post(scene.firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '是否需要现场踏勘？' });
  return { ...scene, project, asked };
}

describe('notifications through the default outbox sender', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await aPlatformWithJobs();
  });
  afterEach(() => platform.close());

  it('writes the in-app notification and delivers to the outbox after commit', async () => {
    const { owner, asked } = await aProjectWithAQuestion(platform);
    expect(asked.status).toBe(201);
    const pending = await rows<Delivery>(platform, sql`select * from notification_deliveries`);
    expect(pending.map((d) => [d.channel, d.status])).toEqual([['outbox', 'pending']]);

    await platform.jobs.runDue();
    const [delivery] = await rows<Delivery>(platform, sql`select * from notification_deliveries`);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1 });

    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const outbox = await staff.agent.get('/api/v1/notifications/outbox').expect(200);
    expect(outbox.body.total).toBe(1);
    expect(outbox.body.items[0]).toMatchObject({ userId: owner.account.user.id, subject: expect.stringContaining('收到新的问题') });
    await owner.agent.get('/api/v1/notifications/outbox').expect(403);
    const page = await staff.agent.get('/staff/outbox').expect(200);
    expect(page.text).toContain('收到新的问题');

    // the sweeper finds nothing left to send, and the outbox does not get a second copy
    await platform.sweeper.runOnce();
    expect((await staff.agent.get('/api/v1/notifications/outbox').expect(200)).body.total).toBe(1);
  });

  it('lists my notifications with the unread count, and marks one read (only mine)', async () => {
    const { owner, firms } = await aProjectWithAQuestion(platform);
    const mine = await owner.agent.get('/api/v1/notifications/mine').expect(200);
    expect(mine.body).toMatchObject({ total: 1, unread: 1 });
    const id = mine.body.items[0].id;
    await post(firms[0]!, `/api/v1/notifications/${id}/read`).expect(404);
    const read = await post(owner, `/api/v1/notifications/${id}/read`).expect(200);
    expect(read.body.readAt).toBe('2026-11-25T09:00:00.000+08:00');
    expect((await owner.agent.get('/api/v1/notifications/mine').expect(200)).body.unread).toBe(0);
    await request(platform.app).get('/api/v1/notifications/mine').expect(401);
  });

  it('shows the unread count in the page header', async () => {
    const scene = await aSelectionScene(platform, 1);
    const project = await publishedProject(scene.owner, projectTerms(scene.service.code));
    const ownerSession = await loggedInAs(platform, 'owner');
    // a fresh owner session of another organisation sees no badge; the project owner's org users do
    const browser = request.agent(platform.app);
    const login = await browser.post('/api/v1/auth/login').send({ username: scene.owner.account.username, password: scene.owner.account.password }).expect(200);
    await post(scene.firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '请问服务期限？' }).expect(201);
    const html = (await browser.get('/notifications').expect(200)).text;
    expect(html).toMatch(/class="badge">1 条未读</);
    expect(html).toContain('请问服务期限？');
    expect(login.body.csrfToken).toBeTruthy();
    const other = (await ownerSession.agent.get('/projects').expect(200)).text;
    expect(other).not.toContain('class="badge"');
  });

  it('sends nothing when the caller rolls back', async () => {
    const owner = await loggedInAs(platform, 'owner');
    await expect(
      platform.database.transaction(async (tx) => {
        await notify(tx, platform, { userIds: [owner.account.user.id], kind: 'test', subject: '不应发送', body: '回滚' });
        throw new Error('the command failed');
      }),
    ).rejects.toThrow('the command failed');
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    platform.clock.advance(60 * 60 * 1000);
    await platform.jobs.runDue();
    expect(await rows(platform, sql`select * from notifications`)).toEqual([]);
    expect(await rows(platform, sql`select * from notification_outbox`)).toEqual([]);
  });

  it('lets a user set a valid mainland mobile number, which the outbox shows as the address', async () => {
    const owner = await loggedInAs(platform, 'owner');
    await owner.agent.put('/api/v1/notifications/mobile').set('X-CSRF-Token', owner.csrfToken).send({ mobile: '12345678901' }).expect(400);
    await owner.agent.put('/api/v1/notifications/mobile').set('X-CSRF-Token', owner.csrfToken).send({ mobile: '1381234567' }).expect(400);
    await owner.agent.put('/api/v1/notifications/mobile').set('X-CSRF-Token', owner.csrfToken).send({ mobile: '13812345678' }).expect(200);
    expect((await owner.agent.get('/api/v1/notifications/mobile').expect(200)).body).toEqual({ mobile: '13812345678' });
    await platform.database.transaction((tx) => notify(tx, platform, { userIds: [owner.account.user.id], kind: 'test', subject: '提醒', body: '内容' }));
    await platform.jobs.runDue();
    const [row] = await rows<{ address: string }>(platform, sql`select address from notification_outbox`);
    expect(row!.address).toBe('13812345678');
    const form = await owner.agent.post('/notifications/mobile').type('form').send({ _csrf: owner.csrfToken, mobile: '110' }).expect(400);
    expect(form.text).toContain('请输入 11 位中国大陆手机号码');
  });
});

describe('a failing sender', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await aPlatformWithJobs({ NOTIFY_SENDERS: 'smtp', SMTP_URL: 'smtp://127.0.0.1:9', SMTP_FROM: 'noreply@zjcs.example.cn' });
  });
  afterEach(() => platform.close());

  it('is retried with backoff and marked failed after the last attempt, while the command succeeded', async () => {
    const scene = await aSelectionScene(platform, 1);
    await platform.database.db.execute(sql`update organizations set email = 'owner@example.cn' where id = ${scene.owner.account.user.organizationId}`);
    const project = await publishedProject(scene.owner, projectTerms(scene.service.code));
    await post(scene.firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '是否需要现场踏勘？' }).expect(201);

    const attempts: number[] = [];
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt += 1) {
      await platform.jobs.runDue();
      const [delivery] = await rows<Delivery>(platform, sql`select * from notification_deliveries`);
      attempts.push(delivery!.attempts);
      expect(delivery!.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(delivery!.status).toBe(attempt < MAX_SEND_ATTEMPTS ? 'pending' : 'failed');
      if (attempt < MAX_SEND_ATTEMPTS) {
        // not before its backoff: one second early nothing happens
        platform.clock.advance(RETRY_BASE_MS * 2 ** (attempt - 1) - 1000);
        await platform.jobs.runDue();
        await platform.sweeper.runOnce();
        expect((await rows<Delivery>(platform, sql`select * from notification_deliveries`))[0]!.attempts).toBe(attempt);
        platform.clock.advance(1000);
      }
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    platform.clock.advance(60 * 60 * 1000);
    await platform.jobs.runDue();
    await platform.sweeper.runOnce();
    const [final] = await rows<Delivery>(platform, sql`select * from notification_deliveries`);
    expect(final).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS, address: 'owner@example.cn' });

    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const outbox = await staff.agent.get('/api/v1/notifications/outbox').expect(200);
    expect(outbox.body.unsent).toEqual([expect.objectContaining({ channel: 'smtp', status: 'failed', attempts: 5 })]);
    // the in-app notification is there regardless
    expect((await scene.owner.agent.get('/api/v1/notifications/mine').expect(200)).body.total).toBe(1);
  });

  it('skips a recipient without an e-mail address instead of retrying', async () => {
    const owner = await loggedInAs(platform, 'owner');
    await platform.database.transaction((tx) => notify(tx, platform, { userIds: [owner.account.user.id], kind: 'test', subject: 's', body: 'b' }));
    await platform.jobs.runDue();
    const [delivery] = await rows<Delivery>(platform, sql`select * from notification_deliveries`);
    expect(delivery).toMatchObject({ status: 'skipped', attempts: 0, last_error: 'no e-mail address' });
  });
});

describe('the SMS gateway sender', () => {
  it('posts {mobile, text} as JSON to the gateway, next to the outbox copy', async () => {
    const received: { path: string; type: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(data) });
        res.writeHead(received.length === 1 ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const platform = await aPlatformWithJobs({ NOTIFY_SENDERS: 'outbox,sms', SMS_GATEWAY_URL: `http://127.0.0.1:${port}/sms` });
    try {
      const owner = await loggedInAs(platform, 'owner');
      await owner.agent.put('/api/v1/notifications/mobile').set('X-CSRF-Token', owner.csrfToken).send({ mobile: '13912345678' }).expect(200);
      await platform.database.transaction((tx) => notify(tx, platform, { userIds: [owner.account.user.id], kind: 'test', subject: '办件提醒', body: '报名明天截止' }));
      await platform.jobs.runDue();
      let sms = (await rows<Delivery>(platform, sql`select * from notification_deliveries where channel = 'sms'`))[0]!;
      expect(sms).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMS gateway answered 503' });
      platform.clock.advance(RETRY_BASE_MS);
      await platform.jobs.runDue();
      sms = (await rows<Delivery>(platform, sql`select * from notification_deliveries where channel = 'sms'`))[0]!;
      expect(sms).toMatchObject({ status: 'sent', attempts: 2 });
      expect(received[1]).toEqual({ path: '/sms', type: 'application/json', body: { mobile: '13912345678', text: '办件提醒\n报名明天截止' } });
      expect(await rows(platform, sql`select * from notification_outbox`)).toHaveLength(1);
    } finally {
      await platform.close();
      server.close();
    }
  });
});
