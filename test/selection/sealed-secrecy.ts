/**
 * The sealed-period secrecy sweep, shared by one test file per sealed method (so Jest runs them
 * in parallel): before the opening nobody but a firm itself learns whether, when or how many
 * times it registered or submitted, nor how many firms did. Each step lets one firm act and
 * walks every GET route as every viewer before and after (test/support/secrecy-walk.ts); for
 * everyone but that firm, nothing may change. Where the acting firm's trace would only show
 * later (at registration close, at the last reminders), the step compares two worlds forked
 * just before the act, moved on to the same later moment.
 */
import request from 'supertest';
import { aPublishedService } from '../catalog/builders.js';
import { projectTerms } from '../projects/support.js';
import type { Role } from '../../src/platform/http/access.js';
import { aFirm, anAccount, type TestAccount } from '../support/builders.js';
import { createTestPlatform, saveTestPlatform, type TestPlatform } from '../support/platform.js';
import { acrossWorlds, diff, report, tokenOf, Walker, WalkPlan, type Difference, type Snapshot, type Viewer, type WalkScene } from '../support/secrecy-walk.js';

export type SealedMethod = 'inquiry' | 'lottery_inquiry' | 'comparison' | 'bidding';

const FIRM_NAMES = ['甲鸿环评咨询有限公司', '乙澜工程咨询有限公司', '丙岳规划设计研究院有限公司', '丁桐测绘技术有限公司', '戊霁安全评价有限公司'];
const OUTSIDER_NAME = '己未旁观咨询有限公司';

const METHOD_TERMS: Record<SealedMethod, Record<string, unknown>> = {
  inquiry: {},
  lottery_inquiry: { options: { drawCount: 3 } },
  comparison: { options: { weights: { price: 40, credit: 10, time: 20, plan: 30 } } },
  bidding: { options: { turnSeconds: 60, rounds: 2 } },
};

const quoteFor = (method: SealedMethod, amountFen: number) =>
  method === 'bidding' ? { amountFen } : method === 'comparison' ? { amountFen, promisedDays: 20, plan: '组建五人项目组，按期提交成果。' } : { amountFen, promisedDays: 20 };

// The TestClock starts on Wednesday 2026-11-25 09:00 Shanghai; registration closes on Friday
// 2026-11-27 17:00, submissions on Tuesday 2026-12-01 17:00 (projectTerms).
const REGISTERING = '2026-11-26T10:00:00+08:00';
/** Inside the last reminder lead (2 h) before registration closes. */
const LAST_REGISTRATION_REMINDER = '2026-11-27T15:30:00+08:00';
const SUBMITTING = '2026-11-28T09:00:00+08:00';
/** Inside the last reminder lead (2 h) before submissions close. */
const LAST_SUBMISSION_REMINDER = '2026-12-01T15:30:00+08:00';

interface Firm {
  label: string;
  name: string;
  firmId: number;
  viewer: Viewer;
}

interface World {
  platform: TestPlatform;
  walker: Walker;
}

async function worldOf(platform: TestPlatform, scene: WalkScene): Promise<World> {
  // compiled templates are cached as in production (the walk renders each page many times)
  platform.app.enable('view cache');
  return { platform, walker: new Walker(platform, await WalkPlan.of(platform, scene)) };
}

/** Due jobs and one sweeper pass, as the worker would run them at this moment, then the jobs the pass queued. */
async function tick(platform: TestPlatform): Promise<void> {
  await platform.jobs.runDue();
  await platform.sweeper.runOnce();
  await platform.jobs.runDue();
}

async function at(platform: TestPlatform, instant: string): Promise<void> {
  platform.clock.set(instant);
  await tick(platform);
}

/** An owner, five qualified firms, an admitted firm that never takes part, staff and an admin, and the published project. */
async function aSecrecyScene(method: SealedMethod) {
  const platform = await createTestPlatform();
  const service = await aPublishedService(platform, { timeLimitDays: 30 });
  const owner = await anAccount(platform, 'owner', { organizationName: '杭州市某某区交通运输局' });
  const firms: Firm[] = [];
  for (const [i, name] of FIRM_NAMES.entries()) {
    const firm = await aFirm(platform, { admitted: true, qualifiedFor: [service.code], name });
    firms.push({ label: `F${i + 1}`, name, firmId: firm.firmId, viewer: { name: `F${i + 1}`, role: 'agency', token: await tokenOf(platform, firm.account) } });
  }
  const outsider = await aFirm(platform, { admitted: true, name: OUTSIDER_NAME });
  const viewerOf = async (name: string, account: TestAccount): Promise<Viewer> => ({ name, role: account.user.role as Role, token: await tokenOf(platform, account) });
  const viewers: Viewer[] = [
    { name: 'anonymous' },
    await viewerOf('owner', owner),
    await viewerOf('staff', await anAccount(platform, 'staff')),
    await viewerOf('admin', await anAccount(platform, 'admin')),
    await viewerOf('outsider', outsider.account),
    ...firms.map((firm) => firm.viewer),
  ];
  const ownerViewer = viewers[1]!;
  const created = await send(platform, ownerViewer, '/api/v1/projects', projectTerms(service.code, { method, title: '文三路综合整治工程环境影响评价', ...METHOD_TERMS[method] }));
  if (created.status !== 201) throw new Error(`create failed ${created.status} ${created.text}`);
  const published = await send(platform, ownerViewer, `/api/v1/projects/${created.body.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed ${published.status} ${published.text}`);
  const project = published.body as { id: number; lotteryId: string | null; tieBreakLotteryId: string | null };
  const walkScene: WalkScene = {
    projectId: project.id,
    lotteryIds: [project.lotteryId, project.tieBreakLotteryId].filter((id): id is string => Boolean(id)),
    // the firms that act; F5 and the outsider never do, so their own pages are not walked
    firmIds: firms.slice(0, 4).map((firm) => firm.firmId),
    ownerOrganizationId: owner.user.organizationId!,
    serviceCode: service.code,
    date: '2026-11-25',
  };
  return { platform, project, firms, viewers, walkScene };
}

/** A POST as this viewer, over its API token (no CSRF token needed). */
function send(platform: TestPlatform, viewer: Viewer, path: string, body: object = {}) {
  return request(platform.app).post(path).set('Authorization', `Bearer ${viewer.token}`).send(body);
}

function failWith(label: string, differences: Difference[]): void {
  if (differences.length) throw new Error(`${report(label, differences)}\n`);
}

export function describeSealedSecrecy(method: SealedMethod): void {
  describe(`${method}: before the opening nobody learns who registered or submitted, how many, or when`, () => {
    let scene: Awaited<ReturnType<typeof aSecrecyScene>>;
    let world: World;
    /** The last snapshot of the main world: the "before" of the next step. */
    let current: Snapshot;
    /** The two firms that submit (for lottery_inquiry, two of the drawn). */
    let submitters: Firm[];
    /** The main world as it stood before an act, for a counterfactual world. */
    let saved: Awaited<ReturnType<typeof saveTestPlatform>> | undefined;
    const timings: string[] = [];
    const project = () => scene.project.id;
    const firm = (label: string) => scene.firms.find((candidate) => candidate.label === label)!;

    const snapshot = async (target: World, label: string): Promise<Snapshot> => {
      const started = Date.now();
      const taken = await target.walker.snapshot(scene.viewers, scene.walkScene);
      timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return taken;
    };

    /** Takes the next snapshot of the main world; returns the differences for everyone but `actor`. */
    const step = async (label: string, actor: Firm) => {
      await tick(scene.platform);
      const before = current;
      current = await snapshot(world, label);
      return { before, after: current, differences: diff(before, current, [actor.label]) };
    };

    /**
     * Compares the main world with the one saved before an act, both moved on by `moveOn`: for
     * everyone but the actor, nothing may differ but what forking itself changes. The main world
     * goes on from a copy of itself too, so that neither keeps jobs in memory the other lacks.
     */
    const againstCounterfactual = async (actor: Firm, label: string, moveOn: (platform: TestPlatform) => Promise<void>) => {
      const without = await worldOf(await saved!.restore(), scene.walkScene);
      saved = undefined;
      try {
        const copy = await (await saveTestPlatform(scene.platform)).restore();
        await world.walker.close();
        await scene.platform.close();
        scene.platform = copy;
        world = await worldOf(copy, scene.walkScene);
        for (const target of [world, without]) await moveOn(target.platform);
        current = await snapshot(world, `${label} (${actor.label} did)`);
        const counterfactual = await snapshot(without, `${label} (${actor.label} did not)`);
        return diff(counterfactual, current, [actor.label], acrossWorlds);
      } finally {
        await without.walker.close();
        await without.platform.close();
      }
    };

    const answer = (taken: Snapshot, viewer: string, url: string) => taken.get(viewer)?.get(url);

    beforeAll(async () => {
      scene = await aSecrecyScene(method);
      world = await worldOf(scene.platform, scene.walkScene);
      await at(scene.platform, REGISTERING);
      for (const label of ['F1', 'F2']) expect((await send(scene.platform, firm(label).viewer, `/api/v1/projects/${project()}/registrations`)).status).toBe(201);
      await tick(scene.platform);
      current = await snapshot(world, 'registration: F1 and F2 registered');
    }, 600_000);

    afterAll(async () => {
      console.log(`${method}: firms ${scene.firms.map((f) => `${f.label}=${f.name} (#${f.firmId})`).join(', ')}\nrequests per viewer: ${[...world.walker.counts].map(([viewer, n]) => `${viewer} ${n}`).join(', ')}\n${timings.join('\n')}`);
      await world?.walker.close();
      await scene?.platform.close();
    });

    it('walks every GET route the app registers, as every viewer', async () => {
      expect(await world.walker.uncovered(scene.walkScene)).toEqual([]);
      for (const viewer of scene.viewers) expect(current.get(viewer.name)?.size).toBeGreaterThan(50);
    });

    it("registration: F3's registration changes nothing anyone else sees", async () => {
      expect((await send(scene.platform, firm('F3').viewer, `/api/v1/projects/${project()}/registrations`)).status).toBe(201);
      const { before, after, differences } = await step('registration: F3 registers', firm('F3'));
      const mine = `/api/v1/projects/${project()}/registrations/mine`;
      expect([answer(before, 'F3', mine)?.status, answer(after, 'F3', mine)?.status]).toEqual([404, 200]);
      failWith(`${method} · registration · F3 registers`, differences);
    }, 300_000);

    it("registration: F4's registration changes nothing anyone else sees (F3 included)", async () => {
      // the world where F4 never registers, for the close
      if (method !== 'lottery_inquiry') saved = await saveTestPlatform(scene.platform);
      expect((await send(scene.platform, firm('F4').viewer, `/api/v1/projects/${project()}/registrations`)).status).toBe(201);
      const { after, differences } = await step('registration: F4 registers', firm('F4'));
      expect(answer(after, 'F4', `/api/v1/projects/${project()}/registrations/mine`)?.status).toBe(200);
      failWith(`${method} · registration · F4 registers`, differences);
    }, 300_000);

    if (method === 'lottery_inquiry') {
      it('draws at registration close; two drawn firms will submit', async () => {
        await at(scene.platform, LAST_REGISTRATION_REMINDER);
        await at(scene.platform, SUBMITTING);
        const drawn = (await request(scene.platform.app).get(`/api/v1/projects/${project()}`).expect(200)).body.result?.drawn as number[];
        submitters = scene.firms.filter((candidate) => drawn.includes(candidate.firmId)).slice(0, 2);
        expect(submitters).toHaveLength(2);
        current = await snapshot(world, 'submission: nobody submitted');
      }, 300_000);
    } else {
      it('registration close: whether F4 registered shows nowhere but to F4', async () => {
        const differences = await againstCounterfactual(firm('F4'), 'registration closed', async (platform) => {
          await at(platform, LAST_REGISTRATION_REMINDER);
          await at(platform, SUBMITTING);
        });
        submitters = [firm('F1'), firm('F2')];
        expect((await request(scene.platform.app).get(`/api/v1/projects/${project()}`).expect(200)).body.status).toBe('submitting');
        failWith(`${method} · registration close · F4 registered or not`, differences);
      }, 300_000);
    }

    const submit = async (submitter: Firm, amountFen: number) => {
      const receipt = await send(scene.platform, submitter.viewer, `/api/v1/projects/${project()}/submissions`, quoteFor(method, amountFen));
      expect(receipt.status).toBe(201);
      return receipt.body as { receiptHash: string };
    };
    /** The firm's own view shows its own receipt: the walk sees what a submission changes. */
    const expectOwnReceipt = (after: Snapshot, submitter: Firm, receiptHash: string) => {
      expect(answer(after, submitter.label, `/api/v1/projects/${project()}/submissions/mine`)?.body).toContain(receiptHash);
      expect(answer(after, submitter.label, `/projects/${project()}`)?.body).toContain(receiptHash);
    };

    it("submission: the first firm's sealed quote changes nothing anyone else sees", async () => {
      const [first] = submitters;
      const receipt = await submit(first!, 12_000_000);
      const { after, differences } = await step(`submission: ${first!.label} submits`, first!);
      expectOwnReceipt(after, first!, receipt.receiptHash);
      failWith(`${method} · submission · ${first!.label} submits`, differences);
    }, 300_000);

    it("submission: the second firm's sealed quote changes nothing anyone else sees (the first included)", async () => {
      const [, second] = submitters;
      // the world where the second firm never submits, for the last reminders
      saved = await saveTestPlatform(scene.platform);
      const receipt = await submit(second!, 11_000_000);
      const { after, differences } = await step(`submission: ${second!.label} submits`, second!);
      expectOwnReceipt(after, second!, receipt.receiptHash);
      failWith(`${method} · submission · ${second!.label} submits`, differences);
    }, 300_000);

    it('the last reminders before the deadline: whether the second firm submitted shows nowhere but to it', async () => {
      const [, second] = submitters;
      const differences = await againstCounterfactual(second!, 'last reminders', (platform) => at(platform, LAST_SUBMISSION_REMINDER));
      failWith(`${method} · last reminders · ${second!.label} submitted or not`, differences);
    }, 300_000);

    it("submission: the first firm replacing its quote changes nothing anyone else sees", async () => {
      const [first] = submitters;
      const receipt = await submit(first!, 11_500_000);
      const { after, differences } = await step(`submission: ${first!.label} replaces its quote`, first!);
      expectOwnReceipt(after, first!, receipt.receiptHash);
      failWith(`${method} · submission · ${first!.label} replaces its quote`, differences);
    }, 300_000);
  });
}
