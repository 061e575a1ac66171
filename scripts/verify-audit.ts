import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { trailEvents, verifyTrail, type ChainLink } from '../src/audit/public-trail.js';
import { verifyAuditChain } from '../src/audit/service.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';

/**
 * `npm run verify-audit`: recomputes the audit hash chain of the configured database.
 * `npm run verify-audit -- --trail trail.json --links links.json`: checks a downloaded public
 * entity trail against the chain's public links and the head they end at; either may be a URL
 * (`…/api/v1/audit/trail/project/12`, `…/api/v1/audit/links`), which is fetched page by page.
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

try {
  const { values } = parseArgs({ options: { trail: { type: 'string' }, links: { type: 'string' } } });
  if (Boolean(values.trail) !== Boolean(values.links)) {
    console.error('--trail and --links go together: a trail is checked against the chain links');
    process.exit(2);
  }
  process.exit(values.trail ? await verifyDownloadedTrail(values.trail, values.links!) : await verifyDatabase());
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
