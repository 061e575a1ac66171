import { canonicalJson } from '../platform/canonical-json.js';
import { sha256hex } from '../platform/hash.js';
import { bodyHash } from './chain.js';

/**
 * Sealed events. Before a sealed project's opening, an event that would tell who registered or
 * submitted goes into the chain as a commitment only: SHA-256 over canonical JSON of the event,
 * its project and a random salt. The chain event names neither project nor firm; the opening
 * reveals the salt and the event, and anyone can recompute the commitment and the chain link.
 */

export const SEALED_ACTOR = 'system:sealing';
export const SEALED_ACTION = 'sealed.committed';
export const SEALED_ENTITY = 'sealed';
export const REVEAL_ACTION = 'project.sealed_events_revealed';

export interface SealedEntry {
  salt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
}

export const sealedCommitment = (projectId: number, entry: SealedEntry): string =>
  sha256hex(
    canonicalJson({
      v: 1,
      projectId,
      salt: entry.salt,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: entry.data,
    }),
  );

/** What the chain records for a sealed entry until the opening. */
export const commitmentEntry = (commitment: string) => ({ actor: SEALED_ACTOR, action: SEALED_ACTION, entityType: SEALED_ENTITY, entityId: commitment, data: {} });

/** The chain event that stands for a sealed entry, at its time. */
export const commitmentEvent = (at: Date, commitment: string) => ({ at, ...commitmentEntry(commitment) });

/** One revealed entry as the opening publishes it: the entry, its salt, its seq and time in the chain. */
export interface RevealedEntry extends SealedEntry {
  seq: number;
  /** The commitment event's time, UTC ISO, as hashed. */
  at: string;
}

/** The body hash the chain must hold at `entry.seq` if the reveal is true. */
export const revealedBodyHash = (projectId: number, entry: RevealedEntry): string =>
  bodyHash(commitmentEvent(new Date(entry.at), sealedCommitment(projectId, entry)));
