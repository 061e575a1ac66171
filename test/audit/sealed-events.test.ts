import request from 'supertest';
import { sql } from 'drizzle-orm';
import { bodyHash, GENESIS_HASH, linkHash } from '../../src/audit/chain.js';
import { verifyTrail, type ChainLink } from '../../src/audit/public-trail.js';
import { commitmentEvent, REVEAL_ACTION, sealedCommitment, SEALED_ACTION } from '../../src/audit/sealed-commitment.js';
import { verifyAuditChain } from '../../src/audit/service.js';
import { queryRows } from '../../src/platform/db/index.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { asTableOwner } from '../support/database.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

const DURING_SUBMISSIONS = '2026-11-28T09:00:00+08:00';
const OPENING = '2026-12-01T17:00:00+08:00';

interface Event { seq: number; at: string; actor: string; action: string; entityType: string; entityId: string; data: Record<string, unknown>; hash: string; prevHash: string }

describe('sealed audit events: committed before the opening, revealed at it', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  async function aSealedProject() {
    const scene = await aSelectionScene(platform, 3);
    const project = await publishedProject(scene.owner, projectTerms(scene.service.code));
    for (const firm of scene.firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set(DURING_SUBMISSIONS);
    await post(scene.firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 12_000_000 }).expect(201);
    await post(scene.firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 11_000_000 }).expect(201);
    await post(scene.firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 13_000_000 }).expect(201);
    await post(scene.firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_500_000 }).expect(201);
    return { ...scene, project };
  }

  const allEvents = async (viewer: { agent: request.Agent }) => (await viewer.agent.get('/api/v1/audit/events?pageSize=100').expect(200)).body.items as Event[];
  const trailOf = async (projectId: number) => (await request(platform.app).get(`/api/v1/audit/trail/project/${projectId}?pageSize=100`).expect(200)).body.items as Event[];
  const linksAndHead = async () => {
    const body = (await request(platform.app).get('/api/v1/audit/links?limit=5000').expect(200)).body as { head: { seq: number; hash: string }; items: ChainLink[] };
    return body;
  };

  it('commits each event at once, naming neither firm nor project, shows staff none of it, and reveals every event at the opening', async () => {
    const { project, firms } = await aSealedProject();
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const admin = await withToken(platform, await loggedInAs(platform, 'admin'));
    for (const viewer of [staff, admin]) {
      const events = await allEvents(viewer);
      expect(events.filter((event) => /^(registration|submission)\./.test(event.action) || event.action === SEALED_ACTION)).toEqual([]);
      expect((await viewer.agent.get(`/api/v1/audit/events?action=${SEALED_ACTION}`).expect(200)).body.total).toBe(0);
    }
    // the chain holds them: 3 registrations and 4 quotes, each a commitment and nothing else
    const sealed = await queryRows<{ actor: string; entity_type: string; data: unknown }>(platform.database.db, sql`select actor, entity_type, data from audit_events where action = ${SEALED_ACTION}`);
    expect(sealed).toHaveLength(7);
    for (const event of sealed) expect(event).toEqual({ actor: 'system:sealing', entity_type: 'sealed', data: {} });
    expect((await trailOf(project.id)).map((event) => event.action)).not.toContain(REVEAL_ACTION);
    expect(await verifyAuditChain(platform.database.db)).toMatchObject({ firstBreak: null });

    platform.clock.set(OPENING);
    await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    const trail = await trailOf(project.id);
    const reveal = trail.find((event) => event.action === REVEAL_ACTION)!;
    const revealed = (reveal.data as { events: { action: string; data: { firmId: number } }[] }).events;
    expect(revealed.map((entry) => [entry.action, entry.data.firmId])).toEqual([
      ...firms.map((firm) => ['registration.created', firm.firmId]),
      ['submission.received', firms[0]!.firmId],
      ['submission.received', firms[1]!.firmId],
      ['submission.received', firms[2]!.firmId],
      ['submission.received', firms[0]!.firmId],
    ]);
    // the reveal comes before the opening report in the chain
    expect(reveal.seq).toBeLessThan(trail.find((event) => event.action === 'project.submissions_opened')!.seq);
    expect(await verifyAuditChain(platform.database.db)).toMatchObject({ firstBreak: null });
    const { head, items } = await linksAndHead();
    expect(verifyTrail(trail, items, head)).toBeNull();
  });

  it('names a reveal that does not match the commitment the chain took', () => {
    const at = new Date('2026-11-28T01:00:00.000Z');
    const entry = { salt: 'a'.repeat(32), actor: 'user:7', action: 'submission.received', entityType: 'submission', entityId: '5', data: { projectId: 9, firmId: 3 } };
    const committed = { ...commitmentEvent(at, sealedCommitment(9, entry)) };
    const lie = { ...entry, data: { projectId: 9, firmId: 4 } };
    const revealEvent = (revealedEntry: typeof entry) => ({
      at: '2026-12-01T17:00:00+08:00', actor: 'system:sealing', action: REVEAL_ACTION, entityType: 'project', entityId: '9',
      data: { events: [{ ...revealedEntry, seq: 1, at: at.toISOString() }] },
    });
    const chainOf = (revealedEntry: typeof entry) => {
      const first = bodyHash(committed);
      const second = bodyHash({ ...revealEvent(revealedEntry), at: new Date(revealEvent(revealedEntry).at) });
      const h1 = linkHash(GENESIS_HASH, 1, first);
      const h2 = linkHash(h1, 2, second);
      return { links: [{ seq: 1, bodyHash: first, linkHash: h1 }, { seq: 2, bodyHash: second, linkHash: h2 }], head: { seq: 2, hash: h2 } };
    };
    const honest = chainOf(entry);
    expect(verifyTrail([{ seq: 2, ...revealEvent(entry) }], honest.links, honest.head)).toBeNull();
    const lying = chainOf(lie);
    expect(verifyTrail([{ seq: 2, ...revealEvent(lie) }], lying.links, lying.head)).toMatchObject({ seq: 2, reason: 'reveal_mismatch' });
  });

  it('excludes a quote whose sealed entry was edited in the database, and refuses the edit to the application', async () => {
    const { project, firms, owner } = await aSealedProject();
    const execute = (statement: string) => platform.database.db.execute(sql.raw(statement));
    const edit = `update sealed_audit_entries set data = jsonb_set(data, '{receiptHash}', '"${'0'.repeat(64)}"') where action = 'submission.received' and data->>'firmId' = '${firms[1]!.firmId}'`;
    await expect(execute(edit)).rejects.toThrow();
    await asTableOwner(execute, ['sealed_audit_entries'], () => execute(edit));
    platform.clock.set(OPENING);
    const opened = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    expect(opened.body.tampered.map((row: { firmId: number }) => row.firmId)).toEqual([firms[1]!.firmId]);
    expect(opened.body.ranking.map((row: { firmId: number }) => row.firmId)).toEqual([firms[0]!.firmId, firms[2]!.firmId]);
  });
});
