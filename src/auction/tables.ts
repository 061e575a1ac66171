import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';
import { projects } from '../projects/tables.js';

/**
 * The fixed frame of one reverse auction (竞价), written at the opening: when it starts, its
 * rules, and the bidders with their labels and initial prices. Names stay here, never in the
 * project's public result, until the auction ends.
 */
export const auctions = pgTable('auctions', {
  projectId: integer('project_id')
    .primaryKey()
    .references(() => projects.id),
  startsAt: timestamp('starts_at', { withTimezone: true, precision: 3 }).notNull(),
  rounds: integer('rounds').notNull(),
  turnSeconds: integer('turn_seconds').notNull(),
  minStepFen: bigint('min_step_fen', { mode: 'number' }).notNull(),
  /** [{label, firmId, initialFen, initialAt}] in label order. */
  bidders: jsonb('bidders').notNull(),
  /** The opening report (prices with names), published only with the result. */
  opening: jsonb('opening').notNull(),
  /** "round:turn" of the last turn announced as an event, so clock-driven turns are announced once. */
  announcedTurn: text('announced_turn'),
  endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
});

/**
 * What bidders did: a bid or pass ends their turn (one row per turn, by the unique index); a
 * withdrawal may come at any time (round and turn null outside its own turn).
 */
export const auctionActions = pgTable(
  'auction_actions',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    round: integer('round'),
    turn: integer('turn'),
    kind: text('kind').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (table) => [
    uniqueIndex('auction_actions_turn_unique').on(table.projectId, table.round, table.turn),
    uniqueIndex('auction_actions_idempotency_unique').on(table.projectId, table.firmId, table.idempotencyKey),
    index('auction_actions_project_idx').on(table.projectId, table.id),
    check('auction_actions_kind_check', sql`${table.kind} in ('bid', 'pass', 'withdraw')`),
    check('auction_actions_bid_amount', sql`(${table.kind} = 'bid') = (${table.amountFen} is not null)`),
  ],
);

/** The public event stream of an auction; `seq` counts per project and is the SSE event id. */
export const auctionEvents = pgTable(
  'auction_events',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [uniqueIndex('auction_events_seq_unique').on(table.projectId, table.seq)],
);
