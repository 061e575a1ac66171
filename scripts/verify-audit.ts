import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkpointContradiction, keyIdOf, parsePublicKey, readCheckpointsDocument, verifyCheckpointSignature, type CheckpointsDocument } from '../src/audit/checkpoint-format.js';
import { trailEvents, verifyTrail, type ChainLink } from '../src/audit/public-trail.js';
import { verifyAuditChain } from '../src/audit/service.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';

/**
 * `npm run verify-audit`: recomputes the audit hash chain of the configured database.
 * `npm run verify-audit -- --trail trail.json --links links.json`: checks a downloaded public
 * entity trail against the chain's public links and the head they end at; either may be a URL
 * (`…/api/v1/audit/trail/project/12`, `…/api/v1/audit/links`), which is fetched page by page.
 * `npm run verify-audit -- --checkpoints cp.json [--public-key HEX] [--links links.json]`: checks
 * every signature of saved checkpoints (`…/api/v1/audit/checkpoints`, a saved copy or a bare
 * array of items), then that the chain extends each of them: the configured database's chain,
 * recomputed, or with --links the public links. A chain rewritten after a checkpoint was saved
 * contradicts it, however consistently the rewrite recomputed the hashes.
 * Exit 0 when intact; 1 naming the first mismatch; 2 when the input cannot be read.
 */

const isUrl = (source: string) => /^https?:\/\//.test(source);

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function loadTrail(source: string): Promise<unknown[]> {
  if (!isUrl(source)) return trailEvents(JSON.parse(await readFile(source, 'utf8')));
  const events: unknown[] = [];
  for (let page = 1; ; page += 1) {
    const url = new URL(source);
    url.searchParams.set('page', String(page));
    url.searchParams.set('pageSize', '100');
    const body = (await fetchJson(url.href)) as { items: unknown[]; total: number };
    events.push(...body.items);
    if (body.items.length === 0 || events.length >= body.total) return events;
  }
}

interface LinksDocument {
  head: { seq: number; hash: string };
  items: ChainLink[];
  next?: string;
}

async function loadLinks(source: string): Promise<LinksDocument> {
  if (!isUrl(source)) return JSON.parse(await readFile(source, 'utf8')) as LinksDocument;
  const first = (await fetchJson(source)) as LinksDocument;
  const items = [...first.items];
  for (let next = first.next; next; ) {
    const page = (await fetchJson(new URL(next, source).href)) as LinksDocument;
    items.push(...page.items);
    next = page.next;
  }
  return { head: first.head, items };
}

async function verifyDownloadedTrail(trailSource: string, linksSource: string): Promise<number> {
  // the trail first, then the links: the links' head is then at least as new as every trail event
  const trail = await loadTrail(trailSource);
  const links = await loadLinks(linksSource);
  if (!links?.head || !Array.isArray(links.items)) throw new Error('the links file has no head or items');
  const mismatch = verifyTrail(trail, links.items, links.head);
  if (mismatch) {
    console.log(`MISMATCH at seq ${mismatch.seq}: ${mismatch.reason} (${mismatch.detail})`);
    return 1;
  }
  console.log(`OK: ${trail.length} trail events are in the chain ending at seq ${links.head.seq} ${links.head.hash}`);
  return 0;
}

async function verifyDatabase(): Promise<number> {
  const database = await openDatabase(loadConfig());
  const { checked, firstBreak } = await verifyAuditChain(database.db);
  await database.close();
  if (firstBreak) {
    console.log(`BROKEN at seq ${firstBreak.seq}: ${firstBreak.reason} (${firstBreak.detail}); ${checked} events verified before it`);
    return 1;
  }
  console.log(`OK: ${checked} events, chain intact`);
  return 0;
}

async function loadCheckpoints(source: string, pinned?: Buffer): Promise<CheckpointsDocument> {
  if (!isUrl(source)) return readCheckpointsDocument(JSON.parse(await readFile(source, 'utf8')), pinned);
  const bySeq = new Map<number, unknown>();
  let publicKey: unknown;
  for (let page = 1; ; page += 1) {
    const url = new URL(source);
    url.searchParams.set('page', String(page));
    if (!url.searchParams.has('pageSize')) url.searchParams.set('pageSize', '100');
    const body = (await fetchJson(url.href)) as { publicKey: unknown; items: { seq: number }[]; total: number };
    if (!Array.isArray(body?.items)) throw new Error(`${url.href}: not a checkpoints document`);
    if (page > 1 && body.publicKey !== publicKey) throw new Error(`${url.href}: the public key changed between pages`);
    publicKey = body.publicKey;
    // newest first: a checkpoint signed while paging shifts the pages, so items may repeat
    for (const item of body.items) bySeq.set(item.seq, item);
    if (body.items.length === 0 || bySeq.size >= body.total) break;
  }
  return readCheckpointsDocument({ publicKey, items: [...bySeq.values()] }, pinned);
}

/** The chain's head and its link hash at each wanted seq, or why the chain itself is broken. */
type Chain = { length: number; headSeq: number; hashesAt: Map<number, string> } | { broken: string };

async function chainFromDatabase(seqs: number[]): Promise<Chain> {
  const database = await openDatabase(loadConfig());
  try {
    const { checked, firstBreak, head, hashesAt } = await verifyAuditChain(database.db, { hashesAt: seqs });
    if (firstBreak) return { broken: `BROKEN at seq ${firstBreak.seq}: ${firstBreak.reason} (${firstBreak.detail}); ${checked} events verified before it` };
    return { length: checked, headSeq: head.seq, hashesAt };
  } finally {
    await database.close();
  }
}

async function chainFromLinks(source: string): Promise<Chain> {
  const links = await loadLinks(source);
  if (!links?.head || !Array.isArray(links.items)) throw new Error('the links file has no head or items');
  const mismatch = verifyTrail([], links.items, links.head);
  if (mismatch) return { broken: `MISMATCH in the links at seq ${mismatch.seq}: ${mismatch.reason} (${mismatch.detail})` };
  return { length: links.items.length, headSeq: links.head.seq, hashesAt: new Map(links.items.map((link) => [link.seq, link.linkHash])) };
}

async function verifyCheckpoints(source: string, options: { links?: string; publicKey?: string }): Promise<number> {
  const pinned = options.publicKey === undefined ? undefined : parsePublicKey(options.publicKey);
  // the checkpoints first, then the chain: the chain read is then at least as new as each of them
  const { publicKey, items } = await loadCheckpoints(source, pinned);
  if (pinned && !pinned.equals(publicKey)) {
    console.log(`WRONG KEY: the checkpoints are signed with key ${keyIdOf(publicKey)} (${publicKey.toString('hex')}), not the pinned key ${keyIdOf(pinned)}`);
    return 1;
  }
  const keyId = keyIdOf(publicKey);
  const badlySigned = items.filter((item) => item.keyId !== keyId || !verifyCheckpointSignature(publicKey, item));
  for (const item of badlySigned) {
    console.log(`BAD SIGNATURE on checkpoint seq ${item.seq}${item.keyId === keyId ? '' : ` (it names key ${item.keyId}, the document's key is ${keyId})`}`);
  }
  if (badlySigned.length > 0) return 1;
  const chain = options.links ? await chainFromLinks(options.links) : await chainFromDatabase(items.map((item) => item.seq));
  if ('broken' in chain) {
    console.log(chain.broken);
    return 1;
  }
  let contradicted = 0;
  for (const item of items) {
    const why = checkpointContradiction(item, { headSeq: chain.headSeq, hashAt: chain.hashesAt.get(item.seq) });
    if (why) {
      console.log(`CONTRADICTS checkpoint seq ${item.seq} (signed ${item.signedAt}): ${why}`);
      contradicted += 1;
    }
  }
  if (contradicted > 0) return 1;
  console.log(`OK: chain of ${chain.length} events extends ${items.length} checkpoints (key ${keyId})`);
  return 0;
}

try {
  const { values } = parseArgs({ options: { trail: { type: 'string' }, links: { type: 'string' }, checkpoints: { type: 'string' }, 'public-key': { type: 'string' } } });
  if (values.checkpoints) {
    if (values.trail) {
      console.error('--checkpoints and --trail are checked one at a time');
      process.exit(2);
    }
    process.exit(await verifyCheckpoints(values.checkpoints, { links: values.links, publicKey: values['public-key'] }));
  }
  if (values['public-key']) {
    console.error('--public-key pins the key of --checkpoints');
    process.exit(2);
  }
  if (Boolean(values.trail) !== Boolean(values.links)) {
    console.error('--trail and --links go together: a trail is checked against the chain links');
    process.exit(2);
  }
  process.exit(values.trail ? await verifyDownloadedTrail(values.trail, values.links!) : await verifyDatabase());
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
