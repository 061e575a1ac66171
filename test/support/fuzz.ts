/**
 * Requests generated from the OpenAPI document, for test/platform/openapi-fuzz.test.ts: a small
 * JSON-Schema → fast-check generator (only the keywords the document uses), hostile mutations of
 * what it generates, and the checks every answer must pass.
 */
import fc from 'fast-check';
import type { Response } from 'supertest';
import type { ZodType } from 'zod';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/api/v1/projects/{id}`. */
  path: string;
  tag: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** Documented statuses. */
  statuses: Set<number>;
  /** The success status and whether a JSON body is documented for it. */
  success: { status: number; json: boolean };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/** Every operation of the document, in document order. */
export function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const statuses = new Set(Object.keys(op.responses ?? {}).map(Number));
      const successStatus = [...statuses].filter((status) => status < 300).sort()[0] ?? 200;
      operations.push({
        id: op.operationId ?? `${method} ${path}`,
        method,
        path,
        tag: op.tags?.[0] ?? 'untagged',
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
        statuses,
        success: { status: successStatus, json: Boolean(op.responses?.[successStatus]?.content?.['application/json']?.schema) },
      });
    }
  }
  return operations;
}

// ---- JSON Schema → arbitrary ----

/** Values worth trying for a property of this name (real codes and ids), beside generated ones. */
export type Hints = Record<string, unknown[]>;

const textUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.@:/'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...'测试中介服务项目有限公司浙江杭州环评'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\t', '"', "'", '\\', '<', '>', '&', '%', '€', '😀') },
);

export function arbitraryOf(schema: JsonSchema | undefined, hints: Hints = {}, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  const hinted = name ? hints[name] : undefined;
  const generated = generatedFor(schema, hints, name, depth);
  const isLeaf = schema.type !== 'object' && schema.type !== 'array';
  return hinted && hinted.length > 0 && isLeaf
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: generated })
    : generated;
}

function generatedFor(schema: JsonSchema, hints: Hints, name: string | undefined, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => arbitraryOf(branch, hints, name, depth + 1)));
  if (schema.allOf?.[0]) return arbitraryOf(schema.allOf[0], hints, name, depth + 1);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => generatedFor({ ...schema, type }, hints, name, depth)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Math.floor(schema.exclusiveMinimum) + 1 : -2147483648);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? Math.ceil(schema.exclusiveMaximum) - 1 : Math.max(min, 0) + 2147483647);
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? schema.exclusiveMinimum ?? -1e9, max: schema.maximum ?? schema.exclusiveMaximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, hints, name, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + 4),
      });
    case 'object':
      return objectArbitrary(schema, hints, depth);
    default:
      if (schema.properties) return objectArbitrary(schema, hints, depth);
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, minLength + 40);
  const fits = (value: string) => value.length >= minLength && value.length <= (schema.maxLength ?? Infinity);
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
  }
  if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2031-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    // a date pattern gets real dates too, or almost every draw is a 400
    const dates = /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(schema.pattern)
      ? [fc.date({ min: new Date('2020-01-01'), max: new Date('2031-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10))]
      : [];
    return fc.oneof(fc.stringMatching(pattern).filter(fits), ...dates);
  }
  return fc.string({ minLength, maxLength, unit: textUnit });
}

function objectArbitrary(schema: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    return typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 8, unit: textUnit }), arbitraryOf(schema.additionalProperties, hints, undefined, depth + 1), { maxKeys: 3 })
      : fc.constant({});
  }
  const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitraryOf(value, hints, key, depth + 1)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
}

/** Dotted paths of the properties a body schema declares, with whether each is required. */
export function schemaKeys(schema: JsonSchema | undefined, prefix = '', depth = 0): { path: string; required: boolean }[] {
  if (!schema || depth > 4) return [];
  const objectBranch = schema.properties ? schema : (schema.anyOf ?? schema.oneOf ?? []).find((branch) => branch.properties);
  if (!objectBranch?.properties) return [];
  return Object.entries(objectBranch.properties).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [{ path, required: objectBranch.required?.includes(key) ?? false }, ...schemaKeys(value, path, depth + 1)];
  });
}

// ---- requests and their hostile mutations ----

export interface FuzzRequest {
  method: Operation['method'];
  /** Already URL-encoded (a mutation may put a deliberately broken escape here). */
  pathValues: Record<string, string>;
  query: [string, string][];
  /** A JSON value to serialise, or raw text (malformed JSON, literals JSON.stringify cannot write). */
  body?: { json: unknown } | { raw: string };
  contentType?: string;
  mutations: string[];
}

const MAX_INT4 = 2147483647;
/** JSON.stringify cannot write these; placeholders are swapped for the literal text on sending. */
const LITERALS: Record<string, string> = {
  '\u0001int8max\u0001': '9223372036854775807',
  '\u0001int8over\u0001': '9223372036854775808',
  '\u0001huge\u0001': '99999999999999999999999999999',
  '\u0001exp\u0001': '1e400',
  '\u0001unsafe\u0001': '9007199254740993',
};
const DEEP = '\u0001deep:';

export const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  "1' UNION SELECT password_hash FROM users --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://127.0.0.1/a}',
  '../../../../etc/passwd',
  '\\',
  "'",
];

const BAD_IDS_JSON: unknown[] = [0, -1, MAX_INT4, MAX_INT4 + 1, -MAX_INT4 - 2, '\u0001unsafe\u0001', '\u0001int8max\u0001', '\u0001int8over\u0001', '\u0001huge\u0001', 1.5, 1e3, '2147483648', '9223372036854775808', '1', ''];
const BAD_IDS_URL = ['0', '-1', '2147483647', '2147483648', '-2147483649', '9223372036854775807', '9223372036854775808', '99999999999999999999', '1.5', '1e3', '0x10', '%201', '01', '-0', 'NaN', 'Infinity', 'null', 'undefined', '%20'];
const BAD_MONEY: unknown[] = [-1, 0, 1e16, 1.5, -0.01, '\u0001int8over\u0001', '\u0001exp\u0001', '100', 1e300, '\u0001unsafe\u0001'];
const WRONG_TYPES: unknown[] = [123, -1, 0, true, false, null, [], {}, 'text', [1, 'a'], { a: 1 }, 1.5, ''];

type Kind = 'wrongType' | 'huge' | 'deep' | 'nul' | 'surrogate' | 'injection' | 'id' | 'money' | 'missing' | 'extra' | 'wholeBody' | 'contentType' | 'repeatQuery';
const BODY_KINDS: Kind[] = ['wrongType', 'huge', 'deep', 'nul', 'surrogate', 'injection', 'id', 'money', 'missing', 'extra', 'wholeBody', 'contentType'];
const URL_KINDS: Kind[] = ['wrongType', 'huge', 'nul', 'surrogate', 'injection', 'id', 'extra', 'repeatQuery'];

interface Mutation {
  kind: Kind;
  target: 'url' | 'body';
  pick: number;
  variant: number;
}

/** Real rows (ids, codes) a path parameter should sometimes name, so a request gets past the 404. */
export type RealValues = (operation: Operation, parameter: string) => string[];

export function requestArbitrary(operation: Operation, options: { hints: Hints; realValues: RealValues; bodyLimit: number }): fc.Arbitrary<FuzzRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const withoutNull = (schema: JsonSchema | undefined): JsonSchema | undefined =>
    Array.isArray(schema?.type) ? { ...schema, type: schema.type.filter((type) => type !== 'null') } : schema;

  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((param) => {
        const schema = withoutNull(param.schema);
        const generated = arbitraryOf(schema?.type === 'string' ? { minLength: 1, ...schema } : schema, options.hints, param.name).map((value) => pathSegment(String(value)));
        const real = options.realValues(operation, param.name).map(pathSegment);
        return [param.name, real.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: generated }) : generated];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const queryArb = fc.tuple(
    ...queryParams.map((param) => {
      const value = arbitraryOf(withoutNull(param.schema), options.hints, param.name).map((v): [string, string] => [param.name, encodeURIComponent(String(v))]);
      return param.required ? value.map((v) => [v]) : fc.option(value.map((v) => [v]), { freq: 2, nil: [] as [string, string][] });
    }),
  ).map((parts) => parts.flat());
  const bodyArb = operation.body ? arbitraryOf(operation.body, options.hints).map((json) => ({ json })) : fc.constant(undefined);
  const kinds = [
    ...(UNSAFE.has(operation.method) ? BODY_KINDS.map((kind) => ({ kind, target: 'body' as const })) : []),
    ...URL_KINDS.map((kind) => ({ kind, target: 'url' as const })),
  ];
  const mutationArb = fc.record({ which: fc.constantFrom(...kinds), pick: fc.nat(), variant: fc.nat() }).map(({ which, pick, variant }): Mutation => ({ ...which, pick, variant }));
  const mutationsArb = fc.oneof({ weight: 1, arbitrary: fc.constant([] as Mutation[]) }, { weight: 3, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) });

  return fc.tuple(pathArb, queryArb, bodyArb, mutationsArb).map(([pathValues, query, body, mutations]) => {
    const request: FuzzRequest = { method: operation.method, pathValues: { ...pathValues }, query: [...query], body: body ? { json: structuredClone(body.json) } : undefined, mutations: [] };
    for (const mutation of mutations) mutate(request, operation, mutation, options.bodyLimit);
    return request;
  });
}

/** A path segment as sent: dots escaped too, so `.` or `..` never turn into another route. */
const pathSegment = (value: string) => encodeURIComponent(value).replace(/\./g, '%2E');

const at = <T>(values: readonly T[], index: number): T => values[index % values.length]!;

function mutate(request: FuzzRequest, operation: Operation, mutation: Mutation, bodyLimit: number): void {
  if (mutation.target === 'url') return mutateUrl(request, operation, mutation);
  return mutateBody(request, operation, mutation, bodyLimit);
}

function mutateUrl(request: FuzzRequest, operation: Operation, { kind, pick, variant }: Mutation): void {
  const names = operation.parameters.filter((p) => p.in === 'path' || p.in === 'query').map((p) => p.name);
  const name = names.length > 0 ? at(names, pick) : 'extra';
  const isPath = name in request.pathValues;
  let value: string;
  switch (kind) {
    case 'wrongType':
      value = at(['abc', 'true', '[]', '{}', '', '%5B%5D', 'null', '-', '1,2'], variant);
      break;
    case 'huge':
      {
        // long, but under Node's 16 KiB header limit: beyond it Node itself answers 431, not the app
        const unit = at(['a', '9', '%E4%B8%AD'], variant);
        value = unit.repeat(Math.floor(at([300, 2_000, 6_000], variant >> 2) / unit.length));
      }
      break;
    case 'nul':
      value = at(['%00', 'a%00b', '1%00'], variant);
      break;
    case 'surrogate':
      // UTF-8 of a lone surrogate, and escapes that are not UTF-8 at all
      value = at(['%ED%A0%80', 'a%ED%B0%80', '%uD800', '%C0%80', '%FF', '%E4%B8', '%'], variant);
      break;
    case 'injection':
      value = encodeURIComponent(at(INJECTIONS, variant));
      break;
    case 'id':
      value = at(BAD_IDS_URL, variant);
      break;
    case 'extra':
      request.query.push(at([['extra', '1'], ['__proto__[admin]', 'true'], ['constructor[prototype][x]', '1'], ['page[0]', '1']] as [string, string][], variant));
      request.mutations.push(`url: extra query ${request.query.at(-1)![0]}`);
      return;
    case 'repeatQuery':
      if (isPath || names.length === 0) return mutateUrl(request, operation, { kind: 'wrongType', target: 'url', pick, variant });
      request.query = request.query.filter(([key]) => key !== name);
      request.query.push([name, '1'], [name, '2']);
      request.mutations.push(`url: ${name} given twice`);
      return;
    default:
      return;
  }
  // an empty segment would be another route (`/projects/` is the list), not a bad id
  if (isPath) request.pathValues[name] = value === '' ? '%20' : value.replace(/\./g, '%2E');
  else request.query = [...request.query.filter(([key]) => key !== name), [name, value]];
  request.mutations.push(`url: ${name} ${kind}`);
}

type Json = unknown;

/** Every location in a JSON value: [] is the root, ['a', 0] is a.0. */
function locations(value: Json, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  found.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => locations(item, [...path, index], found));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) locations(item, [...path, key], found);
  return found;
}

function setAt(root: { json: Json }, path: (string | number)[], value: Json): void {
  if (path.length === 0) {
    root.json = value;
    return;
  }
  if (!root.json || typeof root.json !== 'object') root.json = {};
  let node = root.json as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, Json>;
  }
  node[path.at(-1)!] = value;
}

function deleteAt(root: { json: Json }, path: (string | number)[]): void {
  let node = root.json as Record<string | number, Json> | undefined;
  for (const key of path.slice(0, -1)) node = node?.[key] as Record<string | number, Json> | undefined;
  if (node && typeof node === 'object') delete node[path.at(-1)!];
}

function mutateBody(request: FuzzRequest, operation: Operation, { kind, pick, variant }: Mutation, bodyLimit: number): void {
  const target = request.body && 'json' in request.body ? request.body : { json: {} as Json };
  request.body = target;
  const all = locations(target.json);
  const keyed = all.filter((path) => path.length > 0);
  const declared = schemaKeys(operation.body).map((key) => ({ ...key, path: key.path.split('.') }));
  const anywhere = at(all, pick);
  const label = (path: (string | number)[]) => path.join('.') || '(root)';
  const note = (text: string): void => void request.mutations.push(`body: ${text}`);
  switch (kind) {
    case 'wrongType': {
      const value = at(WRONG_TYPES, variant);
      setAt(target, anywhere, value);
      return note(`${label(anywhere)} = ${JSON.stringify(value)}`);
    }
    case 'huge': {
      const size = at([10_000, bodyLimit - 2_048, bodyLimit + 1_024], variant);
      const unit = at(['x', '中'], variant >> 2);
      const where = keyed.length > 0 ? at(keyed, pick) : ['huge'];
      setAt(target, where, unit.repeat(unit === 'x' ? size : Math.floor(size / 3)));
      return note(`${label(where)} = ${unit === 'x' ? size : Math.floor(size / 3)} × "${unit}"`);
    }
    case 'deep': {
      // 'nul' hides a NUL one level below the 64 the bad-text check looks through
      const shape = at(['array', 'object', 'nul'], variant >> 2);
      const depth = shape === 'nul' ? 66 : at([64, 1_000, 20_000], variant);
      const where = keyed.length > 0 ? at(keyed, pick) : ['deep'];
      setAt(target, where, `${DEEP}${shape}:${depth}`);
      return note(`${label(where)} nested ${depth} deep${shape === 'nul' ? ' around a NUL' : ''}`);
    }
    case 'nul':
    case 'surrogate':
    case 'injection': {
      const bad = kind === 'nul' ? at(['\u0000', 'a\u0000b'], variant) : kind === 'surrogate' ? at(['\ud800', 'a\udfffb', '\udc00\ud800'], variant) : at(INJECTIONS, variant);
      const strings = keyed.filter((path) => typeof valueAt(target.json, path) === 'string');
      const where = strings.length > 0 ? at(strings, pick) : keyed.length > 0 ? at(keyed, pick) : ['name'];
      const current = valueAt(target.json, where);
      setAt(target, where, typeof current === 'string' && variant % 2 === 0 ? `${current}${bad}` : bad);
      if (variant % 5 === 4 && kind !== 'injection') setAt(target, [...where.slice(0, -1), `key${bad}`], 1);
      return note(`${label(where)} ${kind}`);
    }
    case 'id':
    case 'money': {
      const pattern = kind === 'id' ? /(^id|Id|Ids)$/ : /Fen$/;
      const candidates = [
        ...keyed.filter((path) => pattern.test(String(path.at(-1))) || pattern.test(String(path.at(-2)))),
        ...declared.filter((key) => pattern.test(key.path.at(-1)!)).map((key) => key.path),
      ];
      const where = candidates.length > 0 ? at(candidates, pick) : keyed.length > 0 ? at(keyed, pick) : [kind === 'id' ? 'id' : 'amountFen'];
      const value = at(kind === 'id' ? BAD_IDS_JSON : BAD_MONEY, variant);
      setAt(target, where, value);
      return note(`${label(where)} = ${LITERALS[value as string] ?? JSON.stringify(value)}`);
    }
    case 'missing': {
      const required = declared.filter((key) => key.required).map((key) => key.path);
      const where = required.length > 0 ? at(required, pick) : keyed.length > 0 ? at(keyed, pick) : undefined;
      if (where) deleteAt(target, where);
      return note(`without ${where ? label(where) : '(nothing to drop)'}`);
    }
    case 'extra': {
      if (!target.json || typeof target.json !== 'object' || Array.isArray(target.json)) target.json = {};
      const choice = variant % 4;
      if (choice === 3) {
        // a literal "__proto__" key: the object literal below would set the prototype instead
        request.body = { raw: JSON.stringify(target.json).replace(/^\{/, '{"__proto__":{"role":"admin","isAdmin":true},').replace(',}', '}') };
        return note('extra key __proto__');
      }
      const [key, value] = at([['extra', 'x'], ['constructor', { prototype: { polluted: true } }], ['role', 'admin']] as [string, Json][], choice);
      (target.json as Record<string, Json>)[key] = value;
      return note(`extra key ${key}`);
    }
    case 'wholeBody': {
      const choice = variant % 9;
      if (choice < 5) {
        target.json = at([[], 'text', 123, null, [target.json]], choice);
        return note(`whole body ${JSON.stringify(target.json).slice(0, 20)}`);
      }
      request.body = { raw: at(['{"a":', '{"a":1,}', '', "{'a':1}"], choice - 5) };
      return note(`raw body ${JSON.stringify(request.body.raw)}`);
    }
    case 'contentType':
      request.contentType = at(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x'], variant);
      return note(`content-type ${request.contentType}`);
    default:
      return;
  }
}

function valueAt(root: Json, path: (string | number)[]): Json {
  let node = root as any;
  for (const key of path) node = node?.[key];
  return node;
}

/** The request's body as sent: placeholders swapped for the literal text JSON.stringify cannot write. */
export function bodyText(request: FuzzRequest): string | undefined {
  if (!request.body) return undefined;
  if ('raw' in request.body) return request.body.raw;
  let text = JSON.stringify(request.body.json) ?? 'null';
  for (const [placeholder, literal] of Object.entries(LITERALS)) text = text.split(JSON.stringify(placeholder)).join(literal);
  return text.replace(/"\\u0001deep:(array|object|nul):(\d+)"/g, (_match, shape: string, depth: string) => {
    const count = Number(depth);
    if (shape === 'array') return '['.repeat(count) + ']'.repeat(count);
    if (shape === 'nul') return '{"a":['.repeat(count) + '"\\u0000"' + ']}'.repeat(count);
    return '{"a":'.repeat(count) + 'null' + '}'.repeat(count);
  });
}

export function urlOf(operation: Operation, request: FuzzRequest): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => request.pathValues[name] ?? '');
  const query = request.query.map(([key, value]) => `${key.replace(/[^\w[\]]/g, encodeURIComponent)}=${value}`).join('&');
  return query ? `${path}?${query}` : path;
}

// ---- the checks ----

export interface Answer {
  status: number;
  contentType: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
}

/** Reads the answer in full, except an event stream: its headers are the answer, then it is dropped. */
export function readAnswer(res: NodeJS.ReadableStream & { headers: Record<string, string | string[] | undefined>; destroy(): void }, done: (error: Error | null, body: unknown) => void): void {
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/event-stream')) {
    res.destroy();
    done(null, Buffer.from(''));
    return;
  }
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, undefined));
}

export function answerOf(response: Response): Answer {
  const contentType = String(response.headers['content-type'] ?? '');
  const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : '';
  let json: unknown;
  if (/json/.test(contentType)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, contentType, json, text };
}

/** What is wrong with this answer, as short stable reasons (empty when it is fine). */
export function problemsWith(operation: Operation, answer: Answer, successSchema: ZodType | undefined): string[] {
  const reasons: string[] = [];
  const body = answer.json as Record<string, unknown> | undefined;
  if (answer.status >= 500) reasons.push(`server error${typeof body?.code === 'string' ? ` ${body.code}` : ''}`);
  if (!operation.statuses.has(answer.status)) reasons.push('status not documented');
  if (answer.status >= 400 && answer.status < 500 && operation.path.startsWith('/api/v1')) {
    if (!answer.contentType.startsWith('application/problem+json')) reasons.push(`4xx as ${answer.contentType.split(';')[0] || 'no content-type'}, not problem+json`);
    else {
      const missing = (['type', 'title', 'status', 'detail'] as const).filter((key) => (key === 'status' ? typeof body?.[key] !== 'number' : typeof body?.[key] !== 'string'));
      if (missing.length > 0) reasons.push(`problem without ${missing.join(', ')}`);
    }
  }
  if (answer.status >= 200 && answer.status < 300 && operation.success.json && answer.status === operation.success.status && successSchema) {
    if (answer.json === undefined) reasons.push(`2xx body is not JSON (${answer.contentType || 'no content-type'})`);
    else {
      const checked = successSchema.safeParse(answer.json);
      if (!checked.success) reasons.push(`2xx body off its schema at ${checked.error.issues[0]?.path.map((part) => (typeof part === 'number' ? '*' : String(part))).join('.') || '(root)'}`);
    }
  }
  return reasons;
}

/** Long runs (huge strings, deep nesting) shortened so one reproduction fits on a line. */
export function shorten(text: string, max = 220): string {
  const squeezed = text.replace(/(.{1,9}?)\1{15,}/gsu, (run: string, unit: string) => `${unit}…(${run.length / unit.length}×)`);
  return squeezed.length > max ? `${squeezed.slice(0, max)}…` : squeezed;
}

/** Distinct failures, each with the first request that showed it. */
export class Failures {
  private readonly seen = new Map<string, { line: string; count: number }>();

  add(key: string, line: string): void {
    const entry = this.seen.get(key);
    if (entry) entry.count += 1;
    else this.seen.set(key, { line, count: 1 });
  }

  get size(): number {
    return this.seen.size;
  }

  report(maxLines = 50): string {
    const lines = [...this.seen.entries()].map(([key, { line, count }]) => `${key}${count > 1 ? ` (×${count})` : ''} — ${line}`);
    return [...lines.slice(0, maxLines), ...(lines.length > maxLines ? [`… and ${lines.length - maxLines} more`] : [])].join('\n');
  }
}
