import request from 'supertest';
import { loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

describe('questions and clarifications (答疑澄清)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  async function scene() {
    const s = await aSelectionScene(platform, 3);
    const project = await publishedProject(s.owner, projectTerms(s.service.code)); // Wed 11-25 09:00; registration closes Fri 11-27 17:00
    return { ...s, project };
  }

  it('lets a firm ask and only the project owner answer, once', async () => {
    const { owner, firms, project } = await scene();
    const asked = await post(firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '是否需要现场踏勘？' }).expect(201);
    expect(asked.body).toMatchObject({ answerDueAt: '2026-11-27T17:00:00.000+08:00', answer: null, answeredOnTime: null });
    const id = asked.body.id;

    await post(owner, `/api/v1/projects/${project.id}/questions`, { text: '业主自问？' }).expect(403);
    await post(firms[1]!, `/api/v1/questions/${id}/answer`, { text: '我来答' }).expect(403);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(staff, `/api/v1/questions/${id}/answer`, { text: '工作人员代答' }).expect(403);
    const otherOwner = await withToken(platform, await loggedInAs(platform, 'owner'));
    await post(otherOwner, `/api/v1/questions/${id}/answer`, { text: '别的业主' }).expect(403);
    await request(platform.app).post(`/api/v1/questions/${id}/answer`).send({ text: '匿名' }).expect(401);
    await post(owner, `/api/v1/questions/${id}/answer`, { text: '' }).expect(400);
    await post(owner, '/api/v1/questions/999999/answer', { text: '不存在' }).expect(404);

    const answered = await post(owner, `/api/v1/questions/${id}/answer`, { text: '需要，统一安排在周五上午。' }).expect(200);
    expect(answered.body).toMatchObject({ answer: '需要，统一安排在周五上午。', answeredOnTime: true });
    const again = await post(owner, `/api/v1/questions/${id}/answer`, { text: '再答一次' }).expect(409);
    expect(again.body.type).toContain('already-answered');

    // the owner was told of the question; the firms registered (and the asker) of the answer
    expect((await owner.agent.get('/api/v1/notifications/mine').expect(200)).body.items[0].kind).toBe('question.asked');
    const askerInbox = await firms[0]!.agent.get('/api/v1/notifications/mine').expect(200);
    expect(askerInbox.body.items.map((n: { kind: string }) => n.kind)).toEqual(['question.answered']);
  });

  it('never shows who asked, in the API or on the project page', async () => {
    const { owner, firms, project } = await scene();
    await post(firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '成果需要几份纸质版？' }).expect(201);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const firm = (await staff.agent.get(`/api/v1/firms/${firms[0]!.firmId}`).expect(200)).body;
    expect(firm.name).toBeTruthy();

    const responses = [
      await request(platform.app).get(`/api/v1/projects/${project.id}/questions`).expect(200),
      await firms[1]!.agent.get(`/api/v1/projects/${project.id}/questions`).expect(200),
      await owner.agent.get(`/api/v1/projects/${project.id}/questions`).expect(200),
      await request(platform.app).get(`/projects/${project.id}`).expect(200),
      await firms[1]!.agent.get(`/projects/${project.id}`).expect(200),
      await request(platform.app).get(`/api/v1/owners/${owner.account.user.organizationId}/question-stats`).expect(200),
    ];
    expect(responses[0]!.body.items).toHaveLength(1);
    expect(responses[3]!.text).toContain('成果需要几份纸质版？');
    for (const response of responses) {
      expect(response.text).not.toContain(firm.name);
      expect(response.text).not.toContain(firm.uscc);
      expect(response.text).not.toMatch(/firmId|askedBy|"firm"/);
    }
    await post(owner, `/api/v1/questions/${responses[0]!.body.items[0].id}/answer`, { text: '两份。' }).expect(200);
    const after = await request(platform.app).get(`/api/v1/projects/${project.id}/questions`).expect(200);
    expect(after.text).not.toContain(firm.name);
    expect(after.text).not.toMatch(/firmId|askedBy|answeredBy/);
  });

  it('takes questions until the submission deadline, then refuses with 409', async () => {
    const { owner, firms, project } = await scene();
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T16:59:59+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '报名期间的问题' }).expect(201);
    platform.clock.set('2026-11-27T17:00:00+08:00'); // registration closed; submitting until Tue 12-01 17:00
    await post(firms[0]!, `/api/v1/projects/${project.id}/questions`, { text: '报价期间的问题' }).expect(201);
    platform.clock.set('2026-12-01T16:59:59+08:00');
    await post(firms[1]!, `/api/v1/projects/${project.id}/questions`, { text: '最后一秒的问题' }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const late = await post(firms[1]!, `/api/v1/projects/${project.id}/questions`, { text: '截止后的问题' }).expect(409);
    expect(late.body.type).toContain('questions-closed');
    // the owner may still answer late; it is recorded as late
    const list = await request(platform.app).get(`/api/v1/projects/${project.id}/questions`).expect(200);
    expect(list.body.open).toBe(false);
    const lateAnswer = await post(owner, `/api/v1/questions/${list.body.items[0].id}/answer`, { text: '迟到的答复' }).expect(200);
    expect(lateAnswer.body.answeredOnTime).toBe(false);
  });

  it('computes the reply rate and the on-time reply rate over answered or overdue questions', async () => {
    const { owner, firms, project } = await scene();
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const ask = async (firm: number, text: string) => (await post(firms[firm]!, `/api/v1/projects/${project.id}/questions`, { text }).expect(201)).body.id as number;
    // Wed 11-25 09:00: three questions, each due Fri 11-27 17:00
    const q1 = await ask(0, '问题一');
    const q2 = await ask(1, '问题二');
    await ask(2, '问题三');
    platform.clock.set('2026-11-26T10:00:00+08:00');
    await post(owner, `/api/v1/questions/${q1}/answer`, { text: '按时答复' }).expect(200); // on time
    platform.clock.set('2026-11-27T17:00:00+08:00');
    await post(owner, `/api/v1/questions/${q2}/answer`, { text: '在期限那一刻答复' }).expect(200); // at the limit: late
    await ask(0, '问题四'); // submitting now; due Tue 12-01 17:00, still pending

    const stats = await request(platform.app).get(`/api/v1/owners/${owner.account.user.organizationId}/question-stats`).expect(200);
    // asked 4; pending 1 (q4) → judged 3: answered q1, q2 → 2/3; on time q1 → 1/3; q3 unanswered and overdue
    expect(stats.body).toMatchObject({
      asked: 4, answered: 2, answeredOnTime: 1, unansweredOverdue: 1, pending: 1,
      replyRate: { numerator: 2, denominator: 3, percent: 66 },
      onTimeReplyRate: { numerator: 1, denominator: 3, percent: 33 },
    });
    const page = await request(platform.app).get(`/projects/${project.id}`).expect(200);
    expect(page.text).toContain('答复率 66%（2/3）');
    expect(page.text).toContain('按时答复率 33%（1/3）');
    expect(page.text).toContain('逾期答复');

    const none = await withToken(platform, await loggedInAs(platform, 'owner'));
    const empty = await request(platform.app).get(`/api/v1/owners/${none.account.user.organizationId}/question-stats`).expect(200);
    expect(empty.body.replyRate).toEqual({ numerator: 0, denominator: 0, percent: null });
    await request(platform.app).get(`/api/v1/owners/${firms[0]!.firmId}/question-stats`).expect(404);
  });

  it('offers the question form to firms and the answer form to the owner on the project page', async () => {
    const { owner, firms, project } = await scene();
    const browser = request.agent(platform.app);
    await browser.post('/api/v1/auth/login').send({ username: firms[0]!.account.username, password: firms[0]!.account.password }).expect(200);
    const page = await browser.get(`/projects/${project.id}`).expect(200);
    expect(page.text).toContain(`action="/projects/${project.id}/questions"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const asked = await browser.post(`/projects/${project.id}/questions`).type('form').send({ _csrf: csrf, text: '页面上提出的问题' }).expect(303);
    expect(asked.headers.location).toBe(`/projects/${project.id}?qa=asked#questions`);
    expect((await browser.get(`/projects/${project.id}?qa=asked`).expect(200)).text).toContain('问题已提交');

    const ownerBrowser = request.agent(platform.app);
    await ownerBrowser.post('/api/v1/auth/login').send({ username: owner.account.username, password: owner.account.password }).expect(200);
    const ownerPage = (await ownerBrowser.get(`/projects/${project.id}`).expect(200)).text;
    const match = /action="\/questions\/(\d+)\/answer"/.exec(ownerPage);
    expect(match).not.toBeNull();
    const ownerCsrf = /name="_csrf" value="([^"]+)"/.exec(ownerPage)![1]!;
    await ownerBrowser.post(`/questions/${match![1]}/answer`).type('form').send({ _csrf: ownerCsrf, text: '页面上的答复' }).expect(303);
    const twice = await ownerBrowser.post(`/questions/${match![1]}/answer`).type('form').send({ _csrf: ownerCsrf, text: '再答' }).expect(303);
    expect(twice.headers.location).toContain('qa=already_answered');
    const publicPage = (await request(platform.app).get(`/projects/${project.id}`).expect(200)).text;
    expect(publicPage).toContain('页面上的答复');
    expect(publicPage).not.toContain('action="/questions/');
  });
});
