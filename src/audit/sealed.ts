import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import { toJsonValue } from '../platform/canonical-json.js';
import type { Executor } from '../platform/db/index.js';
import type { AuditEvent } from './chain.js';
import * as repository from './repository.js';
import { appendAudit, appendAuditMany, type AuditEntry } from './service.js';
import { commitmentEntry, REVEAL_ACTION, sealedCommitment, SEALED_ACTION, SEALED_ACTOR, type RevealedEntry, type SealedEntry } from './sealed-commitment.js';

/**
 * Appends events that must stay secret until a sealed project's opening (who registered, who
 * submitted or replaced a quote): the chain gets one commitment event each, at once, and the
 * events themselves wait beside the chain for `revealSealedAudit`.
 */
export async function appendSealedAudit(tx: Executor, clock: Clock, projectId: number, entries: AuditEntry[]): Promise<AuditEvent[]> {
  const sealed = entries.map((entry) => {
    const body: SealedEntry = { salt: randomBytes(16).toString('hex'), actor: entry.actor, action: entry.action, entityType: entry.entityType, entityId: String(entry.entityId), data: toJsonValue(entry.data ?? {}) };
    return { ...body, projectId, commitment: sealedCommitment(projectId, body) };
  });
  // stored before the append: the head row stays locked for one statement, as for any event
  await repository.insertSealedEntries(tx, sealed);
  return appendAuditMany(tx, clock, sealed.map(({ commitment }) => commitmentEntry(commitment)));
}

/**
 * The opening: every sealed entry of the project goes into its public trail with its salt and
 * the seq and time of its commitment, so anyone can check each against the chain.
 */
export async function revealSealedAudit(tx: Executor, clock: Clock, projectId: number): Promise<RevealedEntry[]> {
  const revealed = (await repository.sealedEntriesOf(tx, projectId)).map(({ entry: { commitment: _commitment, projectId: _projectId, ...sealed }, event }) => ({
    seq: event?.seq ?? 0,
    at: event?.at.toISOString() ?? '',
    ...sealed,
  }));
  if (revealed.length > 0) await appendAudit(tx, clock, { actor: SEALED_ACTOR, action: REVEAL_ACTION, entityType: 'project', entityId: projectId, data: { events: revealed } });
  return revealed;
}

/**
 * The data of the sealed entries about an entity whose commitment the chain really holds (an
 * entry edited in the database no longer matches its commitment and is left out), oldest first.
 */
export async function committedSealedData(db: Executor, projectId: number, entityType: string, entityId: string): Promise<unknown[]> {
  const rows = await repository.sealedEntriesOf(db, projectId, { entityType, entityId });
  return rows
    .filter(({ entry, event }) => event?.action === SEALED_ACTION && entry.commitment === sealedCommitment(projectId, entry))
    .map(({ entry }) => entry.data);
}
