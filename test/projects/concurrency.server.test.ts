/**
 * Many firms at once on the PostgreSQL server (PGlite runs one connection, so it proves nothing
 * about concurrency): nothing acknowledged is lost or counted twice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createApiToken, registerAccount } from '../../src/auth/service.js';
import { addQualification, decideFirm, reviewQualification } from '../../src/firms/service.js';
import { aStaffUser, aUscc, currentUserOf, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, projectTerms, publishedProject } from './support.js';

let built = 0;

/** Admitted, qualified firms with API tokens, built through the services (one staff reviewer). */
async function manyFirms(platform: TestPlatform, serviceCode: string, count: number) {
  const staff = await aStaffUser(platform);
  const firms: { firmId: number; token: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const user = await registerAccount(platform, {
      username: `bulkfirm${(built += 1)}`,
      password: TEST_PASSWORD,
      role: 'agency',
      organization: { name: `并发测试中介${i}有限公司`, uscc: aUscc(), contactName: '张三', contactPhone: '13800138000' },
    });
    const firmUser = currentUserOf({ user, username: user.username, password: TEST_PASSWORD });
    const firmId = user.organizationId!;
    const qualification = await addQualification(platform, firmUser, firmId, { serviceCode, level: '甲级', certificateNo: `BULK-${firmId}`, issuer: '浙江省住房和城乡建设厅', validUntil: '2027-11-30' });
    await reviewQualification(platform, staff, firmId, qualification.id, 'approve', '证书核验无误');
    await decideFirm(platform, staff, firmId, 'approve', '材料齐全');
    firms.push({ firmId, token: (await createApiToken(platform, firmUser, 'concurrency')).token });
  }
  return firms;
}

const count = async (platform: TestPlatform, query: ReturnType<typeof sql>) =>
  ((await platform.database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n;

describe('concurrency on the server', () => {
  let platform: TestPlatform;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    platform = await createTestPlatform();
    server = http.createServer(platform.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await platform.close();
  });

  it('200 firms register and submit at once: exactly 200 valid quotes are ranked, none lost or doubled', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const firms = await manyFirms(platform, service.code, 200);
    const project = await publishedProject(owner, projectTerms(service.code));
    const registered = await Promise.all(
      firms.map((firm) => request(base).post(`/api/v1/projects/${project.id}/registrations`).set('Authorization', `Bearer ${firm.token}`).send({})),
    );
    expect(registered.map((r) => r.status)).toEqual(firms.map(() => 201));

    platform.clock.set('2026-11-28T09:00:00+08:00');
    const amountOf = (i: number) => 14_000_000 - i * 1_000;
    const receipts = await Promise.all(
      firms.map((firm, i) =>
        request(base).post(`/api/v1/projects/${project.id}/submissions`).set('Authorization', `Bearer ${firm.token}`).send({ amountFen: amountOf(i), promisedDays: 30 }),
      ),
    );
    expect(receipts.map((r) => r.status)).toEqual(firms.map(() => 201));
    expect(new Set(receipts.map((r) => r.body.submissionId)).size).toBe(200);
    expect(await count(platform, sql`select count(*)::int as n from submissions where project_id = ${project.id} and status = 'current'`)).toBe(200);

    platform.clock.set('2026-12-01T17:00:00+08:00');
    const full = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    expect(full.body.tampered).toEqual([]);
    expect(full.body.invalid).toEqual([]);
    const ranking: { firmId: number; amountFen: number; rank: number; receiptHash: string }[] = full.body.ranking;
    expect(ranking).toHaveLength(200);
    expect(new Set(ranking.map((r) => r.firmId))).toEqual(new Set(firms.map((f) => f.firmId)));
    expect(ranking.map((r) => r.rank)).toEqual(ranking.map((_, i) => i + 1));
    expect(ranking.map((r) => r.amountFen)).toEqual(firms.map((_, i) => amountOf(i)).sort((a, b) => a - b));
    const receiptByFirm = new Map(firms.map((firm, i) => [firm.firmId, receipts[i]!.body.receiptHash]));
    for (const entry of ranking) expect(entry.receiptHash).toBe(receiptByFirm.get(entry.firmId));
    expect(full.body.ranking[0].firmId).toBe(firms[199]!.firmId);
  });

  it('10 parallel retries with one Idempotency-Key store one submission and return one receipt', async () => {
    platform.clock.set('2026-11-25T09:00:00+08:00');
    const { service, owner } = await aSelectionScene(platform, 0);
    const firms = await manyFirms(platform, service.code, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) {
      await request(base).post(`/api/v1/projects/${project.id}/registrations`).set('Authorization', `Bearer ${firm.token}`).send({}).expect(201);
    }
    platform.clock.set('2026-11-28T09:00:00+08:00');
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(base)
          .post(`/api/v1/projects/${project.id}/submissions`)
          .set('Authorization', `Bearer ${firms[0]!.token}`)
          .set('Idempotency-Key', 'retry-storm-1')
          .send({ amountFen: 11_000_000 }),
      ),
    );
    expect(attempts.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(attempts.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(attempts.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await count(platform, sql`select count(*)::int as n from submissions where project_id = ${project.id} and firm_id = ${firms[0]!.firmId}`)).toBe(1);
    expect(await count(platform, sql`select count(*)::int as n from sealed_audit_entries where action = 'submission.received' and entity_id = ${String(attempts[0]!.body.submissionId)}`)).toBe(1);
  });
});
