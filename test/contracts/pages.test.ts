import request from 'supertest';
import { csrfFrom, loggedInAs, logIn, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { anAwardedProject, PDF, WINNING_PRICE } from './support.js';

/** A cookie session that has loaded the project page, with the page's CSRF token. */
async function onProjectPage(session: LoggedIn, projectId: number) {
  const page = await session.agent.get(`/projects/${projectId}`).expect(200);
  // every form on the page carries the session's token, including those nested in the rating
  expect(page.text).not.toContain('name="_csrf" value=""');
  return { html: page.text, csrf: csrfFrom(page.text) };
}

describe('project page: contract, delivery, acceptance and rating forms; firm page ratings', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('walks the forms from contract to a hidden comment, and the firm page lists the rating', async () => {
    const awarded = await anAwardedProject(platform);
    const owner = await logIn(platform, awarded.owner.account);
    const firm = await logIn(platform, awarded.winner.account);
    const id = awarded.projectId;

    let page = await onProjectPage(owner, id);
    expect(page.html).toContain('id="contract-form"');
    const above = await owner.agent.post(`/projects/${id}/contract`).field('_csrf', page.csrf).field('amount', String(WINNING_PRICE / 100 + 0.01)).field('signedOn', '2026-12-04').attach('file', PDF, '合同.pdf').expect(303);
    expect(above.headers.location).toBe(`/projects/${id}?contracts=amount_above_winning_price#contracts`);
    const signed = await owner.agent.post(`/projects/${id}/contract`).field('_csrf', page.csrf).field('amount', String(WINNING_PRICE / 100)).field('signedOn', '2026-12-04').attach('file', PDF, '合同.pdf').expect(303);
    expect(signed.headers.location).toBe(`/projects/${id}?contracts=contracted#contracts`);

    page = await onProjectPage(firm, id);
    expect(page.html).toContain('id="delivery-form"');
    expect(page.html).toContain('合同.pdf'); // the firm may open the contract scan
    await firm.agent.post(`/projects/${id}/delivery`).field('_csrf', page.csrf).field('note', '环境影响报告表（报批稿）').attach('file', Buffer.from('MZ\u0000\u0001'), 'report.pdf').expect(303).expect('location', `/projects/${id}?contracts=file_type_not_allowed#contracts`);
    await firm.agent.post(`/projects/${id}/delivery`).field('_csrf', page.csrf).field('note', '环境影响报告表（报批稿）').attach('file', PDF, '报告表.pdf').expect(303).expect('location', `/projects/${id}?contracts=delivered#contracts`);

    page = await onProjectPage(owner, id);
    expect(page.html).toContain('报告表.pdf');
    const contractId = /name="contractId" value="(\d+)"/.exec(page.html)![1]!;
    await owner.agent
      .post(`/projects/${id}/completion`)
      .type('form')
      .send({ _csrf: page.csrf, contractId, quality: '5', timeliness: '4', attitude: '4', fees: '4', conduct: '4', comment: '成果规范，沟通及时' })
      .expect(303)
      .expect('location', `/projects/${id}?contracts=completed#contracts`);

    page = await onProjectPage(firm, id);
    expect(page.html).toContain('成果规范，沟通及时');
    expect(page.html).toMatch(/service-timer" data-running="false"/);
    const ratingId = /data-rating-id="(\d+)"/.exec(page.html)![1]!;
    await firm.agent.post(`/ratings/${ratingId}/reply`).type('form').send({ _csrf: page.csrf, reply: '感谢业主认可' }).expect(303).expect('location', `/projects/${id}?contracts=replied#contracts`);
    await firm.agent.post(`/ratings/${ratingId}/reply`).type('form').send({ _csrf: page.csrf, reply: '再次回复' }).expect(303).expect('location', `/projects/${id}?contracts=already_replied#contracts`);

    const staff = await loggedInAs(platform, 'staff');
    page = await onProjectPage(staff, id);
    await staff.agent.post(`/ratings/${ratingId}/hide`).type('form').send({ _csrf: page.csrf, reason: '测试隐藏' }).expect(303);

    const firmPage = await request(platform.app).get(`/firms/${awarded.winner.firmId}`).expect(200);
    expect(firmPage.text).toContain('感谢业主认可');
    expect(firmPage.text).not.toContain('成果规范，沟通及时');
    expect(firmPage.text).toContain('测试隐藏');
  });
});
