/**
 * Whether every acknowledged write is in the database.
 *
 * Sealed submissions: a firm's new quote does not overwrite its earlier one. storeSubmissions
 * (src/projects/repository.ts) marks the earlier row `replaced` and inserts the new one with its
 * own id, and an amendment marks rows `invalidated`; no code deletes a submission row. So every
 * acknowledged receipt must still be there under its submissionId with the same receipt hash,
 * whatever its status now: a missing row or another hash is a lost write.
 *
 * Auction actions: one row per acknowledged bid or pass, never updated or deleted; it must be
 * there with the same project, kind and amount.
 */
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../src/platform/db/index.js';
import type { BidAck, SubmissionAck } from './load.js';

export interface LostWrites {
  submissions: SubmissionAck[];
  bids: BidAck[];
}

async function lostSubmissions(db: Executor, acks: SubmissionAck[]): Promise<SubmissionAck[]> {
  if (acks.length === 0) return [];
  const rows = await queryRows<{ id: number; receipt_hash: string }>(
    db,
    sql`select id, receipt_hash from submissions where id = any(${sql.param(acks.map((ack) => ack.submissionId))}::int[])`,
  );
  const stored = new Map(rows.map((row) => [Number(row.id), row.receipt_hash]));
  return acks.filter((ack) => stored.get(ack.submissionId) !== ack.receiptHash);
}

async function lostBids(db: Executor, acks: BidAck[]): Promise<BidAck[]> {
  if (acks.length === 0) return [];
  const rows = await queryRows<{ id: number; project_id: number; kind: string; amount_fen: string | number | null }>(
    db,
    sql`select id, project_id, kind, amount_fen from auction_actions where id = any(${sql.param(acks.map((ack) => ack.actionId))}::int[])`,
  );
  const stored = new Map(rows.map((row) => [Number(row.id), `${row.project_id}|${row.kind}|${row.amount_fen ?? ''}`]));
  return acks.filter((ack) => stored.get(ack.actionId) !== `${ack.projectId}|${ack.kind}|${ack.amountFen ?? ''}`);
}

export async function lostWrites(db: Executor, acks: { submissions: SubmissionAck[]; bids: BidAck[] }): Promise<LostWrites> {
  return { submissions: await lostSubmissions(db, acks.submissions), bids: await lostBids(db, acks.bids) };
}
