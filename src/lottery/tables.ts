import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { DrandBeacon, ExternalSourceDeclaration, LotteryCandidate } from './algorithm/index.js';

/** Numbers lottery ids LOT-<year>-<6 digits>; one counter for all years, so ids never repeat. */
export const lotteryNumbers = pgSequence('lottery_number_seq', { startWith: 1 });

/**
 * One draw, from its commitment to its public record. A drawn row never changes again except to
 * be marked invalidated: the service refuses, and a trigger (in the migration) refuses too.
 */
export const lotteries = pgTable(
  'lotteries',
  {
    id: text('id').primaryKey(),
    algorithm: text('algorithm').notNull(),
    status: text('status').notNull(),
    /** What the draw is for (e.g. project 12); null for a stand-alone draw. */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    winnerCount: integer('winner_count').notNull(),
    /** Secret until the draw (lottery-v1 only; null for rfc3797). Never served before status drawn. */
    serverSeed: text('server_seed'),
    seedCommitment: text('seed_commitment'),
    /** When the commitment and the external source declaration were published (rfc3797: sourcesDeclaredAt). */
    commitmentPublishedAt: timestamp('commitment_published_at', { withTimezone: true, precision: 3 }).notNull(),
    externalDeclaration: jsonb('external_declaration').$type<ExternalSourceDeclaration>().notNull(),
    /** The manual figure as entered (rfc3797: the sources text), or the drand randomness at the draw. */
    externalValue: text('external_value'),
    externalReference: text('external_reference'),
    externalBeacon: jsonb('external_beacon').$type<DrandBeacon>(),
    externalEnteredAt: timestamp('external_entered_at', { withTimezone: true, precision: 3 }),
    /** Canonical order (uscc ascending by UTF-8 bytes), with names. */
    candidates: jsonb('candidates').$type<LotteryCandidate[]>(),
    candidatesHash: text('candidates_hash'),
    /** Registration close: the record's registrationClosedAt. */
    candidatesFixedAt: timestamp('candidates_fixed_at', { withTimezone: true, precision: 3 }),
    /** NFC entropy by uscc, only for candidates that gave one. */
    entropy: jsonb('entropy').$type<Record<string, string>>(),
    seedHex: text('seed_hex'),
    drawOrder: jsonb('draw_order').$type<string[]>(),
    drawnAt: timestamp('drawn_at', { withTimezone: true, precision: 3 }),
    witnesses: jsonb('witnesses').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    invalidationReason: text('invalidation_reason'),
    invalidatedAt: timestamp('invalidated_at', { withTimezone: true, precision: 3 }),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    index('lotteries_subject_idx').on(table.subjectType, table.subjectId),
    index('lotteries_published_idx').on(table.commitmentPublishedAt),
    check('lotteries_algorithm_check', sql`${table.algorithm} in ('lottery-v1', 'rfc3797')`),
    check('lotteries_status_check', sql`${table.status} in ('committed', 'awaiting_external', 'drawn', 'invalidated')`),
    check('lotteries_subject_check', sql`(${table.subjectType} is null) = (${table.subjectId} is null)`),
    check('lotteries_winner_count_check', sql`${table.winnerCount} >= 1`),
    check(
      'lotteries_seed_check',
      sql`${table.algorithm} <> 'lottery-v1' or (${table.serverSeed} is not null and ${table.seedCommitment} is not null)`,
    ),
    check(
      'lotteries_drawn_check',
      sql`${table.status} <> 'drawn' or (${table.drawOrder} is not null and ${table.drawnAt} is not null and ${table.candidates} is not null)`,
    ),
    check('lotteries_invalidated_check', sql`${table.status} <> 'invalidated' or ${table.invalidationReason} is not null`),
    check('lotteries_witnesses_check', sql`jsonb_array_length(${table.witnesses}) <= 3`),
  ],
);
