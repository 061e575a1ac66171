import { asc, gt, lte, and } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { bodyHash, GENESIS_HASH, linkHash } from './chain.js';
import { auditEvents } from './tables.js';
import { REVEAL_ACTION, revealedBodyHash, type RevealedEntry } from './sealed-commitment.js';

/**
 * Public trail verification. The chain's links (seq, bodyHash, linkHash — never bodies) are
 * public, so anyone holding an entity's trail can check that each of its events is in the chain
 * that ends at the published head, without seeing anyone else's events.
 */

export interface ChainLink {
  seq: number;
  bodyHash: string;
  linkHash: string;
}

export interface TrailEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  prevHash?: string;
  hash?: string;
}

export type TrailMismatch = {
  seq: number;
  reason: 'links_gap' | 'link_broken' | 'head_mismatch' | 'event_not_in_chain' | 'body_mismatch' | 'hash_mismatch' | 'prev_hash_mismatch' | 'reveal_mismatch' | 'format';
  detail: string;
};

export const LINKS_PAGE_MAX = 5000;

export async function readLinks(db: Executor, afterSeq: number, limit: number, upToSeq?: number): Promise<ChainLink[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.seq, afterSeq), upToSeq !== undefined ? lte(auditEvents.seq, upToSeq) : undefined))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
  return rows.map((row) => ({ seq: row.seq, bodyHash: bodyHash(row), linkHash: row.hash }));
}

const isTrailEvent = (value: unknown): value is TrailEvent => {
  const event = value as TrailEvent;
  return (
    typeof event === 'object' && event !== null && Number.isSafeInteger(event.seq) && typeof event.at === 'string' && !Number.isNaN(new Date(event.at).getTime()) &&
    typeof event.actor === 'string' && typeof event.action === 'string' && typeof event.entityType === 'string' && typeof event.entityId === 'string'
  );
};

/**
 * Checks, in order: the links form an unbroken chain from seq 1 to the head; then every trail
 * event hashes to the body hash recorded at its seq (and carries the link hashes there).
 * Returns the first mismatch, or null.
 */
export function verifyTrail(trail: readonly unknown[], links: readonly ChainLink[], head: { seq: number; hash: string }): TrailMismatch | null {
  let prev = GENESIS_HASH;
  const bySeq = new Map<number, ChainLink>();
  for (const [index, link] of links.entries()) {
    if (link.seq !== index + 1) return { seq: index + 1, reason: 'links_gap', detail: `expected link ${index + 1}, found ${link.seq}` };
    if (linkHash(prev, link.seq, link.bodyHash) !== link.linkHash) return { seq: link.seq, reason: 'link_broken', detail: 'linkHash is not sha256(previous linkHash, seq, bodyHash)' };
    prev = link.linkHash;
    bySeq.set(link.seq, link);
  }
  if (links.length !== head.seq || prev !== head.hash) {
    return { seq: Math.min(links.length, head.seq), reason: 'head_mismatch', detail: `the links end at seq ${links.length}, the published head is seq ${head.seq} ${head.hash.slice(0, 12)}…` };
  }
  for (const event of trail) {
    if (!isTrailEvent(event)) return { seq: 0, reason: 'format', detail: 'a trail event lacks seq, at, actor, action, entityType or entityId' };
    const link = bySeq.get(event.seq);
    if (!link) return { seq: event.seq, reason: 'event_not_in_chain', detail: `seq ${event.seq} is beyond the published head` };
    const computed = bodyHash({ at: new Date(event.at), actor: event.actor, action: event.action, entityType: event.entityType, entityId: event.entityId, data: event.data ?? {} });
    if (computed !== link.bodyHash) return { seq: event.seq, reason: 'body_mismatch', detail: `event ${event.seq} (${event.action}) does not hash to the body hash in the chain` };
    if (event.hash !== undefined && event.hash !== link.linkHash) return { seq: event.seq, reason: 'hash_mismatch', detail: `event ${event.seq} carries a hash that is not the chain's` };
    const previous = event.seq === 1 ? GENESIS_HASH : bySeq.get(event.seq - 1)!.linkHash;
    if (event.prevHash !== undefined && event.prevHash !== previous) return { seq: event.seq, reason: 'prev_hash_mismatch', detail: `event ${event.seq} carries a prevHash that is not the chain's` };
    const reveal = event.action === REVEAL_ACTION ? verifyReveal(event, bySeq) : null;
    if (reveal) return reveal;
  }
  return null;
}

/**
 * An opening's reveal: each revealed event, with its salt, must recompute to the commitment the
 * chain took at its seq before the opening (and that seq must come before the reveal).
 */
function verifyReveal(event: TrailEvent, bySeq: Map<number, ChainLink>): TrailMismatch | null {
  const entries = (event.data as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(entries)) return { seq: event.seq, reason: 'format', detail: `the reveal at seq ${event.seq} lists no events` };
  for (const entry of entries as RevealedEntry[]) {
    const link = typeof entry?.seq === 'number' && entry.seq < event.seq ? bySeq.get(entry.seq) : undefined;
    if (!link || typeof entry.salt !== 'string' || Number.isNaN(new Date(entry.at).getTime()) || revealedBodyHash(Number(event.entityId), entry) !== link.bodyHash) {
      return { seq: event.seq, reason: 'reveal_mismatch', detail: `the reveal at seq ${event.seq} names an event (${entry?.action} at seq ${entry?.seq}) that is not the commitment the chain holds there` };
    }
  }
  return null;
}

/** A downloaded trail is the API's page (`{items}`) or a bare array of events. */
export const trailEvents = (document: unknown): unknown[] =>
  Array.isArray(document) ? document : Array.isArray((document as { items?: unknown[] })?.items) ? (document as { items: unknown[] }).items : [];
