import { canonicalJson } from '../platform/canonical-json.js';
import { sha256hex } from '../platform/hash.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventBody {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  prevHash: string;
}

export interface AuditEvent extends AuditEventBody {
  hash: string;
}

/** What an event says, hashed once before the chain is locked (canonical JSON, SHA-256). */
export function bodyHash(event: Omit<AuditEventBody, 'seq' | 'prevHash'>): string {
  return sha256hex(
    canonicalJson({
      at: event.at.toISOString(),
      actor: event.actor,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      data: event.data,
    }),
  );
}

/**
 * The link: SHA-256 of `prevHash + "\n" + seq + "\n" + bodyHash` (ASCII). The database computes
 * the same expression while it holds the head row, so an append is one statement.
 */
export const linkHash = (prevHash: string, seq: number, body: string): string => sha256hex(`${prevHash}\n${seq}\n${body}`);

export function hashAuditEvent(event: AuditEventBody): string {
  return linkHash(event.prevHash, event.seq, bodyHash(event));
}

export type ChainBreak = {
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
  detail: string;
};

/** Checks events one at a time in seq order; reports the first broken link. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;

  check(event: AuditEvent): ChainBreak | null {
    if (event.seq !== this.expectedSeq) {
      return {
        seq: this.expectedSeq,
        reason: 'sequence_gap',
        detail: `expected seq ${this.expectedSeq}, found ${event.seq}`,
      };
    }
    if (event.prevHash !== this.prevHash) {
      return { seq: event.seq, reason: 'prev_hash_mismatch', detail: 'prevHash does not match the previous event' };
    }
    if (hashAuditEvent(event) !== event.hash) {
      return { seq: event.seq, reason: 'hash_mismatch', detail: 'the stored hash does not match the event' };
    }
    this.prevHash = event.hash;
    this.expectedSeq += 1;
    return null;
  }

  /** A deleted tail leaves an intact chain that ends before the published head. */
  finish(head: { seq: number; hash: string }): ChainBreak | null {
    const lastSeq = this.expectedSeq - 1;
    if (head.seq === lastSeq && (lastSeq === 0 || head.hash === this.prevHash)) return null;
    return {
      seq: Math.min(head.seq, this.expectedSeq),
      reason: 'head_mismatch',
      detail: `the head says seq ${head.seq}, the log ends at seq ${lastSeq}`,
    };
  }
}
