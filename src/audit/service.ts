import type { Clock } from '../platform/clock.js';
import { toJsonValue } from '../platform/canonical-json.js';
import type { Executor } from '../platform/db/index.js';
import { bodyHash, ChainVerifier, type AuditEvent, type ChainBreak } from './chain.js';
import * as repository from './repository.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string | number;
  data?: unknown;
}

/**
 * Appends one event to the hash chain. Call it inside the command's transaction: the event
 * commits with the change or not at all.
 */
export async function appendAudit(tx: Executor, clock: Clock, entry: AuditEntry): Promise<AuditEvent> {
  const body = {
    at: new Date(clock.now().getTime()),
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: String(entry.entityId),
    data: toJsonValue(entry.data ?? {}),
  };
  return repository.appendLinked(tx, { ...body, bodyHash: bodyHash(body) });
}

/** Appends the events of one command in order, in two statements however many there are. */
export async function appendAuditMany(tx: Executor, clock: Clock, entries: AuditEntry[]): Promise<AuditEvent[]> {
  const at = new Date(clock.now().getTime());
  return repository.appendLinkedMany(
    tx,
    entries.map((entry) => {
      const body = { at, actor: entry.actor, action: entry.action, entityType: entry.entityType, entityId: String(entry.entityId), data: toJsonValue(entry.data ?? {}) };
      return { ...body, bodyHash: bodyHash(body) };
    }),
  );
}

export const readAuditHead = repository.readHead;
export const findAuditEvents = repository.findEvents;

const VERIFY_BATCH = 5000;

/**
 * Recomputes the whole chain from the database, streaming in batches. `hashesAt` names seqs whose
 * link hash the caller wants back (a verifier comparing the chain with signed checkpoints).
 */
export async function verifyAuditChain(
  db: Executor,
  options: { hashesAt?: Iterable<number> } = {},
): Promise<{ checked: number; firstBreak: ChainBreak | null; head: repository.AuditHead; hashesAt: Map<number, string> }> {
  const head = await repository.readHead(db);
  const wanted = new Set(options.hashesAt ?? []);
  const hashesAt = new Map<number, string>();
  const verifier = new ChainVerifier();
  let checked = 0;
  let lastSeq = 0;
  for (;;) {
    const batch = await repository.readEventsAfter(db, lastSeq, VERIFY_BATCH);
    if (batch.length === 0) break;
    for (const event of batch) {
      const broken = verifier.check(event);
      if (broken) return { checked, firstBreak: broken, head, hashesAt };
      if (wanted.has(event.seq)) hashesAt.set(event.seq, event.hash);
      checked += 1;
    }
    lastSeq = batch[batch.length - 1]!.seq;
  }
  return { checked, firstBreak: verifier.finish(head), head, hashesAt };
}
