/**
 * Differential snapshots for the sealed-period secrecy sweep (test/selection/sealed-secrecy.*):
 * every GET the app serves, fetched as one viewer, each answer normalised so that two fetches
 * of an unchanged world are equal. A firm acts between two snapshots; whatever changed for
 * anyone else is something they learnt about that firm.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { ZodType } from 'zod';
import { buildRouteTable } from '../../src/app.js';
import { streamSettings } from '../../src/auction/stream.js';
import { API_PREFIX } from '../../src/platform/http/routes.js';
import type { Access, Role } from '../../src/platform/http/access.js';
import type { TestAccount } from './builders.js';
import { operationsOf, type Operation } from './fuzz.js';
import type { TestPlatform } from './platform.js';

/** Who looks: anonymous (no token) or a user over a personal API token (valid across days). */
export interface Viewer {
  name: string;
  role?: Role;
  token?: string;
}

/** The ids a walk fills path and query parameters with. */
export interface WalkScene {
  projectId: number;
  /** The project's lottery and tie-break lottery. */
  lotteryIds: string[];
  /** The firms whose own routes (`/firms/:id` and its kin) are walked, each in turn. */
  firmIds: number[];
  ownerOrganizationId: number;
  serviceCode: string;
  /** A calendar date (YYYY-MM-DD) of the scene, for `from=` and the calendar year. */
  date: string;
}

export interface WalkRequest {
  /** The route as registered: `GET /api/v1/projects/:id`. */
  route: string;
  /** What is fetched: `/api/v1/projects/7?…`. */
  url: string;
  kind: 'api' | 'page' | 'stream';
  access: Access;
}

export interface Answer {
  status: number;
  /** The headers that are not transport or session noise (see `normalise`). */
  headers: string;
  body: string;
}

/** One viewer's answers, by url. */
export type Walk = Map<string, Answer>;
/** Every viewer's walk, by viewer name. */
export type Snapshot = Map<string, Walk>;

/**
 * Routes not walked, so never compared: the audit chain's head and links change with every
 * audited action anywhere (the chain-wide event count is a documented residual of a public hash
 * chain). The page footers' copy of the head is blanked instead (see `normalise`).
 */
export const NOT_COMPARED = new Set([
  'GET /api/v1/audit/head',
  'GET /api/v1/audit/links',
  // signed checkpoints are signed heads: the same chain-wide residual
  'GET /api/v1/audit/checkpoints',
  'GET /api/v1/audit/checkpoints/:seq',
  'GET /feeds/audit-checkpoints.atom',
]);

/** Where a parameter cannot be taken from the scene (no blacklist entry, no file exists). */
const FALLBACK_ID = '1';

const toExpress = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

interface Template {
  route: string;
  kind: WalkRequest['kind'];
  access: Access;
  path: string;
  /** Path parameters whose values are listed (the OpenAPI enum of `entityType`). */
  pathEnums: Record<string, string[]>;
  required: Record<string, string>;
  /** Optional query parameters walked as variants (each on its own, beside the bare request). */
  variants: { name: string; values: string[] }[];
}

/** Optional query values worth a request of their own: the project filter, and `true` of a yes/no flag (`mine`, `unread`). */
function variantValues(name: string, enumValues: string[] | undefined, scene: WalkScene): string[] {
  if (name === 'projectId') return [String(scene.projectId)];
  if (enumValues?.length === 2 && enumValues.includes('true') && enumValues.includes('false')) return ['true'];
  return [];
}

function requiredValue(name: string, scene: WalkScene): string {
  if (name === 'from') return scene.date;
  if (name === 'service') return scene.serviceCode;
  return FALLBACK_ID;
}

/** The values a path parameter takes in this scene, by its name and the segment before it. */
function pathValues(path: string, name: string, scene: WalkScene, kinds: string[]): string[] {
  const before = path.slice(0, path.indexOf(`:${name}`)).split('/').filter(Boolean).at(-1);
  if (name === 'year') return [scene.date.slice(0, 4)];
  if (name === 'code') return [scene.serviceCode];
  if (name === 'kind') return kinds;
  if (before === 'projects') return [String(scene.projectId)];
  if (before === 'firms') return scene.firmIds.map(String);
  if (before === 'owners') return [String(scene.ownerOrganizationId)];
  if (before === 'lotteries') return scene.lotteryIds;
  return [FALLBACK_ID];
}

/** An audit trail's entity id for each public entity type of the scene. */
function entityIds(entityType: string, scene: WalkScene): string[] {
  if (entityType === 'project') return [String(scene.projectId)];
  if (entityType === 'lottery') return scene.lotteryIds;
  if (entityType === 'service_item') return [scene.serviceCode];
  if (entityType === 'calendar_year') return [scene.date.slice(0, 4)];
  return [FALLBACK_ID];
}

function templatesFromOperations(operations: Operation[], access: Map<string, Access>, scene: WalkScene): Template[] {
  return operations
    .filter((op) => op.method === 'get')
    .map((op) => {
      const route = `GET ${toExpress(op.path)}`;
      const pathEnums: Record<string, string[]> = {};
      const required: Record<string, string> = {};
      const variants: Template['variants'] = [];
      for (const parameter of op.parameters) {
        const enumValues = parameter.schema?.enum as string[] | undefined;
        if (parameter.in === 'path' && enumValues) pathEnums[parameter.name] = enumValues;
        if (parameter.in !== 'query') continue;
        if (parameter.required) required[parameter.name] = requiredValue(parameter.name, scene);
        else {
          const values = variantValues(parameter.name, enumValues, scene);
          if (values.length) variants.push({ name: parameter.name, values });
        }
      }
      return { route, kind: 'api' as const, access: access.get(route) ?? 'public', path: toExpress(op.path), pathEnums, required, variants };
    });
}

function templatesFromPages(pages: { method: string; path: string; access: Access; query?: ZodType }[], scene: WalkScene): Template[] {
  return pages
    .filter((page) => page.method === 'get')
    .map((page) => {
      const shape = (page.query as { shape?: Record<string, ZodType> } | undefined)?.shape ?? {};
      const variants = Object.keys(shape).flatMap((name) => {
        const values = variantValues(name, undefined, scene);
        return values.length ? [{ name, values }] : [];
      });
      return { route: `GET ${page.path}`, kind: 'page' as const, access: page.access, path: page.path, pathEnums: {}, required: {}, variants };
    });
}

function expand(template: Template, scene: WalkScene, kinds: string[]): WalkRequest[] {
  let paths = [template.path];
  const names = [...template.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  if (names.includes('entityType')) {
    // the trail of each public entity type, with the scene's id of that type
    paths = (template.pathEnums.entityType ?? []).flatMap((type) => entityIds(type, scene).map((id) => template.path.replace(':entityType', type).replace(':entityId', encodeURIComponent(id))));
  } else {
    for (const name of names) {
      paths = paths.flatMap((path) => pathValues(template.path, name, scene, kinds).map((value) => path.replace(`:${name}`, encodeURIComponent(value))));
    }
  }
  const queries: URLSearchParams[] = [new URLSearchParams(template.required)];
  for (const variant of template.variants) {
    for (const value of variant.values) queries.push(new URLSearchParams({ ...template.required, [variant.name]: value }));
  }
  return paths.flatMap((path) =>
    queries.map((query) => ({ route: template.route, url: query.size ? `${path}?${query.toString()}` : path, kind: template.kind, access: template.access })),
  );
}

/** The announcement kinds published so far: an empty kind's feed says nothing a kind's first notice would not change in the all-kinds feed. */
async function presentKinds(platform: TestPlatform): Promise<string[]> {
  const page = await request(platform.app).get(`${API_PREFIX}/announcements?pageSize=100`).expect(200);
  return [...new Set((page.body.items as { kind: string }[]).map((item) => item.kind))].sort();
}

/**
 * What the walk fetches, built from the app itself: every GET of the OpenAPI document and every
 * GET page of the route table (feeds, OCDS, statistics included: they are routes). `routes` is
 * every GET route the app registers, so a test can prove the walk covers all of them.
 */
export class WalkPlan {
  private constructor(
    private readonly templates: Template[],
    /** Every GET route registered in the route table. */
    readonly routes: string[],
  ) {}

  static async of(platform: TestPlatform, scene: WalkScene): Promise<WalkPlan> {
    const document = (await request(platform.app).get(`${API_PREFIX}/openapi.json`).expect(200)).body as { paths: Record<string, Record<string, any>> };
    const operations = operationsOf(document);
    const table = buildRouteTable(platform);
    const access = new Map(table.apiRoutes.map((route) => [`${route.method.toUpperCase()} ${API_PREFIX}${route.path}`, route.access]));
    const apiTemplates = templatesFromOperations(operations, access, scene).map((template) => {
      const op = operations.find((candidate) => `GET ${toExpress(candidate.path)}` === template.route)!;
      const streaming = document.paths[op.path]?.get?.responses?.[op.success.status]?.content?.['text/event-stream'];
      return streaming ? { ...template, kind: 'stream' as const } : template;
    });
    const documented = new Set(apiTemplates.map((template) => template.route));
    // an API route the document lacks is walked from the table all the same
    const undocumented: Template[] = table.apiRoutes
      .filter((route) => route.method === 'get' && !documented.has(`GET ${API_PREFIX}${route.path}`))
      .map((route) => ({ route: `GET ${API_PREFIX}${route.path}`, kind: 'api', access: route.access, path: API_PREFIX + route.path, pathEnums: {}, required: {}, variants: [] }));
    const templates = [...apiTemplates, ...undocumented, ...templatesFromPages(table.pageRoutes, scene)];
    const routes = [
      ...table.apiRoutes.filter((route) => route.method === 'get').map((route) => `GET ${API_PREFIX}${route.path}`),
      ...table.pageRoutes.filter((route) => route.method === 'get').map((route) => `GET ${route.path}`),
    ];
    return new WalkPlan(templates, routes);
  }

  /** The requests of this moment: announcement kinds come from the database, one feed each. */
  async requests(platform: TestPlatform, scene: WalkScene): Promise<WalkRequest[]> {
    const kinds = await presentKinds(platform);
    return this.templates.filter((template) => !NOT_COMPARED.has(template.route)).flatMap((template) => expand(template, scene, kinds));
  }

  /** Registered GET routes the plan has no request for (excluded routes count as covered). */
  async uncovered(platform: TestPlatform, scene: WalkScene): Promise<string[]> {
    const walked = new Set((await this.requests(platform, scene)).map((req) => req.route));
    return this.routes.filter((route) => !walked.has(route) && !NOT_COMPARED.has(route));
  }
}

// ---- normalisation ----

/**
 * Headers dropped before comparing: transport (date, length, connection), the session and the
 * anonymous CSRF nonce (set-cookie), the request id, and the ETag (a hash of the raw body, which
 * differs whenever the CSRF token in it does).
 */
const VOLATILE_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'x-request-id', 'etag']);

const HTML_RULES: [RegExp, string][] = [
  // a form's CSRF token: per session, or for a token user the HMAC of a fresh anonymous nonce
  [/(name="_csrf" value=")[^"]*"/g, '$1(csrf)"'],
  // the submission form's idempotency key is a fresh UUID on every render
  [/(name="idempotencyKey" value=")[^"]*"/g, '$1(key)"'],
  // the footer's audit chain head (seq and hash): chain-wide, a documented residual
  [/<p class="audit-head">[\s\S]*?<\/p>/g, '<p class="audit-head">(audit head)</p>'],
  // the footer's latest signed checkpoint: a signed head, the same residual
  [/<p class="audit-checkpoint">[\s\S]*?<\/p>/g, '<p class="audit-checkpoint">(checkpoint)</p>'],
  // the same head on the home page
  [/(当前审计链头：第 )\d+( 条，哈希 )[0-9a-f]{64}/g, '$1(seq)$2(hash)'],
];

function normaliseJson(value: unknown): unknown {
  // a problem's requestId is the request's own id
  if (value && typeof value === 'object' && !Array.isArray(value) && 'requestId' in value) {
    const { requestId: _requestId, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

/** A spreadsheet by its cells: the zip and its document properties carry the wall-clock time. */
async function xlsxCells(bytes: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets: string[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[] = [];
    sheet.eachRow((row) => rows.push(JSON.stringify(row.values)));
    sheets.push(`[${sheet.name}]\n${rows.join('\n')}`);
  });
  return sheets.join('\n');
}

/** Removes what changes with time or session and nothing else (each rule says why). */
export async function normalise(raw: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }): Promise<Answer> {
  const type = String(raw.headers['content-type'] ?? '');
  const headers = Object.entries(raw.headers)
    .filter(([name]) => !VOLATILE_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => `${name.toLowerCase()}: ${Array.isArray(value) ? value.join(', ') : value}`)
    .sort()
    .join('\n');
  let body: string;
  if (type.includes('spreadsheetml')) body = await xlsxCells(raw.body);
  else {
    body = raw.body.toString('utf8');
    if (type.includes('json')) {
      try {
        body = JSON.stringify(normaliseJson(JSON.parse(body)), null, 1);
      } catch {
        // not JSON after all: compared as text
      }
    } else if (type.includes('html')) {
      for (const [pattern, replacement] of HTML_RULES) body = body.replace(pattern, replacement);
    }
  }
  return { status: raw.status, headers, body };
}

// ---- walking ----

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/**
 * One GET over a kept-alive connection (supertest would start a server per request). An event
 * stream is read up to its first heartbeat: it writes what it replays before the watch it joins
 * beats, so what came before the heartbeat is the whole answer of the moment.
 */
function get(agent: http.Agent, baseUrl: string, url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.get(`${baseUrl}${url}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!String(res.headers['content-type']).startsWith('text/event-stream')) return;
        const all = Buffer.concat(chunks);
        const beat = all.indexOf(': heartbeat');
        if (beat < 0) return;
        chunks.splice(0, chunks.length, all.subarray(0, beat));
        done();
        req.destroy();
      });
      res.on('end', done);
      res.on('error', (error) => (settled ? undefined : reject(error)));
    });
    req.on('error', (error) => (settled ? undefined : reject(error)));
  });
}

/** The app on a real port with one kept-alive connection. */
async function listen(platform: TestPlatform) {
  const server = http.createServer(platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    agent,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Whether the route's access rule lets this viewer in. Anyone else gets the rule's 401 or 403,
 * decided before the handler reads anything (RouteTable.mount), so that answer is not fetched.
 */
export function letsIn(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (!role) return false;
  return access === 'authenticated' || access.includes(role);
}

/**
 * Built from code alone, the same for everyone at any time: the OpenAPI document (from the route
 * table) and the lottery verifier's script (a bundle of src/lottery/browser). Fetched once per
 * walker: they are the slowest answers of the walk.
 */
const SAME_FOR_EVERYONE = new Set([`GET ${API_PREFIX}/openapi.json`, 'GET /assets/lottery-verify.js']);

export class Walker {
  private server?: Awaited<ReturnType<typeof listen>>;
  /** How many requests the last snapshot made, per viewer. */
  readonly counts = new Map<string, number>();
  /** Answers that are the same for everyone at any time, fetched once. */
  private readonly fixed = new Map<string, Answer>();

  constructor(
    private readonly platform: TestPlatform,
    private readonly plan: WalkPlan,
  ) {
    // an event stream's answer ends at its first heartbeat (see `get`): let it come at once
    streamSettings.heartbeatMs = 20;
  }

  /** Registered GET routes the walk makes no request to. */
  uncovered(scene: WalkScene): Promise<string[]> {
    return this.plan.uncovered(this.platform, scene);
  }

  private async fetch(req: WalkRequest, viewer: Viewer): Promise<Answer> {
    this.server ??= await listen(this.platform);
    const headers: Record<string, string> = viewer.token ? { Authorization: `Bearer ${viewer.token}` } : {};
    // pages as a Chinese browser asks for them; the API as JSON
    if (req.kind === 'page') Object.assign(headers, { 'Accept-Language': 'zh-CN', Accept: 'text/html' });
    else Object.assign(headers, { Accept: req.kind === 'stream' ? 'text/event-stream' : 'application/json' });
    return normalise(await get(this.server.agent, this.server.baseUrl, req.url, headers));
  }

  /** One viewer's answers, fetched one after the other, each url once. */
  async walk(viewer: Viewer, requests: WalkRequest[]): Promise<Walk> {
    const answers: Walk = new Map();
    for (const req of requests) {
      if (answers.has(req.url)) continue;
      if (!SAME_FOR_EVERYONE.has(req.route)) answers.set(req.url, await this.fetch(req, viewer));
      else {
        if (!this.fixed.has(req.url)) this.fixed.set(req.url, await this.fetch(req, viewer));
        answers.set(req.url, this.fixed.get(req.url)!);
      }
    }
    return answers;
  }

  /** Every viewer's walk of every request its access rule lets it make. */
  async snapshot(viewers: Viewer[], scene: WalkScene): Promise<Snapshot> {
    const requests = await this.plan.requests(this.platform, scene);
    const snapshot: Snapshot = new Map();
    for (const viewer of viewers) {
      const mine = requests.filter((req) => letsIn(req.access, viewer.role));
      const answers = await this.walk(viewer, mine);
      this.counts.set(viewer.name, answers.size);
      snapshot.set(viewer.name, answers);
    }
    return snapshot;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

// ---- differences ----

export interface Difference {
  viewer: string;
  url: string;
  /** What differs: the status, the headers or the body. */
  what: string;
  /** Where the answers first differ, with ~200 characters each side. */
  before: string;
  after: string;
  /** Every changed line (`- ` before, `+ ` after), pages split at their tags, JSON one key a line. */
  changes: string[];
}

const EXCERPT = 200;
const MAX_CHANGED_LINES = 16;

function excerpt(text: string, at: number): string {
  const start = Math.max(0, at - EXCERPT);
  return `${start > 0 ? '…' : ''}${text.slice(start, at + EXCERPT)}${at + EXCERPT < text.length ? '…' : ''}`.replace(/\s+/g, ' ');
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

const linesOf = (text: string) =>
  text
    .replace(/>\s*</g, '>\n<')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The changed lines of two texts (a longest-common-subsequence diff of what lies between their common ends). */
export function changedLines(a: string, b: string): string[] {
  const x = linesOf(a);
  const y = linesOf(b);
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start += 1;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX -= 1;
    endY -= 1;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const changes: string[] = [];
  if (mx.length * my.length > 4_000_000) {
    changes.push(...mx.map((line) => `- ${line}`), ...my.map((line) => `+ ${line}`));
  } else {
    const width = my.length + 1;
    const lcs = new Uint32Array((mx.length + 1) * width);
    for (let i = mx.length - 1; i >= 0; i -= 1) {
      for (let j = my.length - 1; j >= 0; j -= 1) {
        lcs[i * width + j] = mx[i] === my[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < mx.length || j < my.length) {
      if (i < mx.length && j < my.length && mx[i] === my[j]) {
        i += 1;
        j += 1;
      } else if (j < my.length && (i === mx.length || lcs[i * width + j + 1]! >= lcs[(i + 1) * width + j]!)) changes.push(`+ ${my[j++]}`);
      else changes.push(`- ${mx[i++]}`);
    }
  }
  const shown = changes.slice(0, MAX_CHANGED_LINES).map((line) => (line.length > EXCERPT ? `${line.slice(0, EXCERPT)}…` : line));
  return changes.length > MAX_CHANGED_LINES ? [...shown, `… ${changes.length - MAX_CHANGED_LINES} more changed lines`] : shown;
}

/** A further normalisation for one kind of comparison. */
export type Normaliser = (answer: Answer) => Answer;

/**
 * Two worlds forked before an act: one audit event more or less shifts the seq and the hash of
 * every later event in the chain (the chain-wide event count, the documented residual). Blanked
 * where they show: audit events (seq, hash, prevHash), OCDS release ids (`ocid-<seq>`) and the
 * audit-trail table of a page. Everything else, the events' bodies included, is compared.
 */
export const acrossWorlds: Normaliser = (answer) => {
  const body = answer.body
    .replace(/^(\s*"(?:seq|hash|prevHash)": )[^,\n]+/gm, '$1"(chain)"')
    .replace(/^(\s*"id": "ocds-[\w-]+-\d+-)\d+"/gm, '$1(seq)"')
    .replace(/<table class="audit-trail-table">[\s\S]*?<\/table>/g, (table) =>
      table.replace(/<tr><td>\d+<\/td>/g, '<tr><td>(seq)</td>').replace(/title="[0-9a-f]{64}">[0-9a-f]{12}…/g, 'title="(hash)">(hash)…'),
    );
  return { ...answer, body };
};

function differenceOf(viewer: string, url: string, a: Answer, b: Answer): Difference | undefined {
  const [what, x, y] = a.status !== b.status ? ['status', `${a.status}\n${a.body}`, `${b.status}\n${b.body}`] : a.headers !== b.headers ? ['headers', a.headers, b.headers] : a.body !== b.body ? [`body (${a.status})`, a.body, b.body] : [];
  if (!what || x === undefined || y === undefined) return undefined;
  const at = firstDifference(x, y);
  return { viewer, url, what, before: excerpt(x, at), after: excerpt(y, at), changes: changedLines(x, y) };
}

/** Every answer that differs between two snapshots, for every viewer but those left out. */
export function diff(before: Snapshot, after: Snapshot, except: string[] = [], normaliser: Normaliser = (answer) => answer): Difference[] {
  const differences: Difference[] = [];
  for (const [viewer, walkBefore] of before) {
    if (except.includes(viewer)) continue;
    const walkAfter = after.get(viewer) ?? new Map<string, Answer>();
    for (const url of new Set([...walkBefore.keys(), ...walkAfter.keys()])) {
      const a = walkBefore.get(url);
      const b = walkAfter.get(url);
      if (!a || !b) {
        differences.push({ viewer, url, what: 'walked only once', before: a ? String(a.status) : '(not walked)', after: b ? String(b.status) : '(not walked)', changes: [] });
        continue;
      }
      const difference = differenceOf(viewer, url, normaliser(a), normaliser(b));
      if (difference) differences.push(difference);
    }
  }
  return differences;
}

/** The differences grouped by url, and within a url by what differs, with the viewers who saw it. */
export function report(label: string, differences: Difference[]): string {
  if (!differences.length) return '';
  const byUrl = new Map<string, Difference[]>();
  for (const difference of differences) byUrl.set(difference.url, [...(byUrl.get(difference.url) ?? []), difference]);
  const blocks = [...byUrl].map(([url, group]) => {
    const same = new Map<string, string[]>();
    for (const d of group) {
      const key = [`${d.what}`, `      before: ${d.before}`, `      after:  ${d.after}`, ...d.changes.map((line) => `        ${line}`)].join('\n');
      same.set(key, [...(same.get(key) ?? []), d.viewer]);
    }
    return [`  ${url}`, ...[...same].map(([key, viewers]) => `    [${viewers.join(', ')}] ${key}`)].join('\n');
  });
  return `${label}: ${differences.length} differing answers at ${byUrl.size} urls\n${blocks.join('\n')}`;
}

// ---- viewers ----

/** A personal API token of this account (a browser session would expire as the clock moves by days). */
export async function tokenOf(platform: TestPlatform, account: TestAccount): Promise<string> {
  const agent = request.agent(platform.app);
  const login = await agent.post(`${API_PREFIX}/auth/login`).send({ username: account.username, password: account.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  const created = await agent.post(`${API_PREFIX}/auth/tokens`).set('X-CSRF-Token', login.body.csrfToken).send({ name: 'secrecy-walk' });
  if (created.status !== 201) throw new Error(`token failed: ${created.status} ${created.text}`);
  return created.body.token as string;
}
