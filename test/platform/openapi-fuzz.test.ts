import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import type { ZodType } from 'zod';
import { buildRouteTable } from '../../src/app.js';
import { createApiToken } from '../../src/auth/service.js';
import type { Role } from '../../src/platform/http/access.js';
import { operationId } from '../../src/platform/http/openapi.js';
import { aPublishedService } from '../catalog/builders.js';
import { projectTerms, publishedProject } from '../projects/support.js';
import { aFirm, anAccount, currentUserOf, logIn, post, type LoggedIn, type TestAccount } from '../support/builders.js';
import {
  answerOf,
  bodyText,
  Failures,
  operationsOf,
  problemsWith,
  readAnswer,
  requestArbitrary,
  shorten,
  UNSAFE,
  urlOf,
  type Answer,
  type FuzzRequest,
  type Hints,
  type Operation,
} from '../support/fuzz.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * Every operation of the OpenAPI document, fuzzed as each role: requests generated from the
 * documented parameter and body schemas, then made hostile. Every answer must be < 500, a
 * documented status, problem+json on a 4xx, and on a 2xx match the documented schema.
 * FUZZ_RUNS (default 20) requests per operation and role; FUZZ_SEED changes the fixed seed;
 * FUZZ_VERBOSE=1 prints the time per operation and role and the answers by status.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const BODY_LIMIT = 100 * 1024; // BODY_LIMIT's default, which testConfig keeps
const REQUEST_TIMEOUT_MS = 10_000;

type Principal = 'anonymous' | Role;
const PRINCIPALS: Principal[] = ['anonymous', 'owner', 'agency', 'staff', 'admin'];

/**
 * Operations by first tag, in tests that each finish well inside one test's timeout: a large
 * group is split into parts (every n-th operation). Tags not listed fall into the last group.
 */
const TAGGED: [tags: string[], parts: number][] = [
  [['system', 'audit', 'calendar', 'files'], 2],
  [['auth', 'users'], 1],
  [['catalogue'], 1],
  [['firms', 'joint punishment', 'credit'], 2],
  [['blacklist', 'lottery'], 2],
  [['projects'], 2],
  [['contracts', 'questions', 'comparison'], 2],
  [['auction', 'awards'], 1],
];
const OTHER = 'every other tag';
const CASES = [...TAGGED, [OTHER, 2] as const].flatMap(([tags, parts]) =>
  Array.from({ length: parts }, (_, part) => ({
    name: `${tags === OTHER ? OTHER : tags.join(', ')}${parts > 1 ? ` (part ${part + 1} of ${parts})` : ''}`,
    tags,
    part,
    parts,
  })),
);

/** A logged-in user as the builders make one; csrfToken is empty for a Bearer token. */
type Caller = LoggedIn;

const hashOf = (text: string) => [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, 7);

describe('every OpenAPI operation, fuzzed as every role', () => {
  let platform: TestPlatform;
  let server: Server;
  let operations: Operation[];
  // zod for the 2xx check: the schema the document was generated from, without a second validator
  const successSchemas = new Map<string, ZodType | undefined>();
  const callers = new Map<Role, Caller>();
  const accounts = new Map<Role, TestAccount>();
  const pools: Record<string, string[]> = {};
  let hints: Hints = {};

  beforeAll(async () => {
    platform = await createTestPlatform();
    server = createServer(platform.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const document = await request(server).get('/api/v1/openapi.json').expect(200);
    operations = operationsOf(document.body);
    for (const route of buildRouteTable(platform).apiRoutes) successSchemas.set(operationId(route), route.response.schema);

    // a little real data, so that some requests get past the 404
    const service = await aPublishedService(platform);
    accounts.set('owner', await anAccount(platform, 'owner'));
    const firm = await aFirm(platform, { admitted: true, qualifiedFor: [service.code] });
    const otherFirm = await aFirm(platform, { admitted: true, qualifiedFor: [service.code] });
    accounts.set('agency', firm.account);
    accounts.set('staff', await anAccount(platform, 'staff'));
    accounts.set('admin', await anAccount(platform, 'admin'));
    for (const role of ['owner', 'agency', 'staff', 'admin'] as const) callers.set(role, await callerFor(role));
    const owner = callers.get('owner')!;
    const agency = callers.get('agency')!;
    const staff = callers.get('staff')!;

    const draft = await post(owner, '/api/v1/projects', projectTerms(service.code));
    expect(draft.status).toBe(201);
    const published = await publishedProject(owner, projectTerms(service.code));
    const lottery = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined, winners: 1 }));
    expect((await post(agency, `/api/v1/projects/${published.id}/registrations`)).status).toBe(201);
    const question = await post(agency, `/api/v1/projects/${published.id}/questions`, { text: '资质要求是否包含乙级？' });
    expect(question.status).toBe(201);
    const entry = await post(staff, '/api/v1/blacklist', { firmId: otherFirm.firmId, reason: '出具虚假报告', basis: '中介服务超市管理办法第三十条', evidence: '行政处罚决定书 杭建罚〔2026〕12号' });
    expect(entry.status).toBe(201);
    const creditEvent = await post(staff, `/api/v1/firms/${firm.firmId}/credit-events`, { kind: 'delivery_on_time', note: '按期交付' });
    expect(creditEvent.status).toBe(201);
    // staff the admin may change, and a user whose name the login fuzz may lock out: not the callers
    const victims = [await anAccount(platform, 'staff'), await anAccount(platform, 'owner')];

    const projectIds = [draft.body.id, published.id, lottery.id].map(String);
    Object.assign(pools, {
      projects: projectIds,
      firms: [firm.firmId, otherFirm.firmId].map(String),
      owners: [String(accounts.get('owner')!.user.organizationId)],
      users: [String(victims[0]!.user.id)],
      services: [service.code],
      lotteries: [lottery.lotteryId!],
      questions: [String(question.body.id)],
      blacklist: [String(entry.body.id)],
      'credit-events': [String(creditEvent.body.id)],
      year: ['2026', '2027'],
      entityId: projectIds,
      code: [service.code],
    });
    hints = {
      serviceCode: [service.code],
      service: [service.code],
      firmId: [firm.firmId, otherFirm.firmId],
      firmIds: [firm.firmId, otherFirm.firmId],
      projectId: [published.id],
      username: [victims[1]!.username],
    };
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await platform?.close();
  });

  /** A caller of this role logged in as the builders do; a token when logins are locked out. */
  async function callerFor(role: Role, account = accounts.get(role)!): Promise<Caller> {
    try {
      // through the one listening server: an agent on the bare app starts a server per request
      return await logIn({ ...platform, app: server as unknown as TestPlatform['app'] }, account);
    } catch {
      // the login fuzz may have locked this address out: an API token needs no login
      const { token } = await createApiToken(platform, currentUserOf(account), 'fuzz');
      return { agent: request.agent(server).set('Authorization', `Bearer ${token}`) as unknown as Caller['agent'], csrfToken: '', account };
    }
  }

  const isAlive = async (role: Role, caller: Caller) => {
    const me = await caller.agent.get('/api/v1/auth/me');
    return me.status === 200 && me.body.user?.role === role;
  };

  /** Set after a request that may have ended or changed a session (logout, password, a user's role). */
  let sessionsSuspect = false;

  /** The caller, logged in again if an earlier request logged it out, or a new account if it was disabled or demoted. */
  async function liveCaller(role: Role): Promise<Caller> {
    const caller = callers.get(role)!;
    if (await isAlive(role, caller)) return caller;
    let fresh = await callerFor(role, caller.account);
    if (!(await isAlive(role, fresh))) {
      accounts.set(role, await anAccount(platform, role));
      fresh = await callerFor(role);
    }
    callers.set(role, fresh);
    return fresh;
  }

  const realValues = (operation: Operation, parameter: string): string[] =>
    parameter === 'id' ? (pools[operation.path.split('/')[3]!] ?? []) : (pools[parameter] ?? []);

  async function send(operation: Operation, fuzz: FuzzRequest, caller: Caller | undefined): Promise<Answer> {
    const agent = caller?.agent ?? request(server);
    let call = agent[fuzz.method](urlOf(operation, fuzz))
      .buffer(true)
      .parse(readAnswer as never)
      .timeout(REQUEST_TIMEOUT_MS);
    if (caller?.csrfToken && UNSAFE.has(fuzz.method)) call = call.set('X-CSRF-Token', caller.csrfToken);
    const text = bodyText(fuzz);
    if (text !== undefined) call = call.set('Content-Type', fuzz.contentType ?? 'application/json').send(text);
    try {
      return answerOf(await call);
    } catch (error) {
      const response = (error as { response?: request.Response }).response;
      if (response) return answerOf(response);
      return { status: 0, contentType: '', json: undefined, text: `no answer: ${(error as Error).message}` };
    }
  }

  const describeRequest = (operation: Operation, fuzz: FuzzRequest, answer: Answer) => {
    const body = bodyText(fuzz);
    const detail = (answer.json as { detail?: unknown } | undefined)?.detail;
    return [
      `${fuzz.method.toUpperCase()} ${shorten(urlOf(operation, fuzz), 160)}`,
      ...(fuzz.contentType ? [`[${fuzz.contentType}]`] : []),
      ...(body !== undefined ? [`body ${shorten(body, 200)}`] : []),
      `→ ${answer.status}${typeof detail === 'string' ? ` "${shorten(detail, 140)}"` : answer.status === 0 || !answer.json ? ` ${shorten(answer.text, 80)}` : ''}`,
    ].join(' ');
  };

  /** Answers by status, for FUZZ_VERBOSE. */
  const statuses = new Map<number, number>();

  async function fuzzOperation(operation: Operation, failures: Failures): Promise<void> {
    const arbitrary = requestArbitrary(operation, { hints, realValues, bodyLimit: BODY_LIMIT });
    for (const principal of PRINCIPALS) {
      const started = Date.now();
      // a request drawn twice (an operation without parameters has few) is sent once
      const drawn = fc.sample(arbitrary, { numRuns: RUNS, seed: SEED ^ hashOf(`${operation.id} ${principal}`) });
      const requests = [...new Map(drawn.map((fuzz) => [`${urlOf(operation, fuzz)} ${fuzz.contentType} ${bodyText(fuzz)}`, fuzz])).values()];
      if (sessionsSuspect) for (const role of callers.keys()) await liveCaller(role);
      sessionsSuspect = false;
      let caller = principal === 'anonymous' ? undefined : callers.get(principal);
      for (const fuzz of requests) {
        let answer = await send(operation, fuzz, caller);
        if (answer.status === 401 && principal !== 'anonymous' && !(await isAlive(principal, caller!))) {
          // an earlier request ended this session (logout, disabled): the answer as a live caller counts
          caller = await liveCaller(principal);
          answer = await send(operation, fuzz, caller);
        }
        if (UNSAFE.has(fuzz.method) && answer.status < 300 && /^\/api\/v1\/(auth|users)\//.test(operation.path)) sessionsSuspect = true;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        for (const reason of problemsWith(operation, answer, successSchemas.get(operation.id))) {
          failures.add(`${operation.method.toUpperCase()} ${operation.path} as ${principal}: ${answer.status} ${reason}`, describeRequest(operation, fuzz, answer));
        }
      }
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`FUZZ ${Date.now() - started} ms ${requests.length} requests ${operation.id} as ${principal}\n`);
    }
  }

  const inGroup = (operation: Operation, tags: readonly string[] | typeof OTHER) =>
    tags === OTHER ? !TAGGED.some(([listed]) => listed.includes(operation.tag)) : tags.includes(operation.tag);

  it.each(CASES)(
    'answers $name with documented statuses, problem+json on a 4xx, and documented 2xx bodies',
    async ({ tags, part, parts }) => {
      const selected = operations.filter((operation) => inGroup(operation, tags)).filter((_, index) => index % parts === part);
      expect(selected.length).toBeGreaterThan(0);
      const failures = new Failures();
      for (const operation of selected) await fuzzOperation(operation, failures);
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`FUZZ ${selected.map((operation) => operation.id).join(' ')}: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
      if (failures.size > 0) throw new Error(`${failures.size} distinct failures (operation as role: status reason — first request):\n${failures.report(50)}`);
    },
    60_000 * Math.max(1, RUNS / 20),
  );
});
