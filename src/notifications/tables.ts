import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../auth/tables.js';

/**
 * An in-app notification (站内通知) to one user. `dedupeKey` makes a reminder exactly-once per
 * user: the job and the sweeper may both try, the unique index lets one in.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    dedupeKey: text('dedupe_key'),
    /** Tells who takes part in this sealed project: kept out of the staff outbox until its opening. */
    sealedProjectId: integer('sealed_project_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (table) => [
    index('notifications_user_idx').on(table.userId, table.createdAt),
    uniqueIndex('notifications_dedupe_unique').on(table.userId, table.dedupeKey),
  ],
);

/**
 * One push of a notification through one channel (outbox, smtp, sms). Written with the
 * notification in the caller's transaction, sent after commit by a job or the sweeper.
 * `nextAttemptAt` doubles as a lease while a send is under way.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: serial('id').primaryKey(),
    notificationId: integer('notification_id')
      .notNull()
      .references(() => notifications.id),
    channel: text('channel').notNull(),
    address: text('address'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('notification_deliveries_pending_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('notification_deliveries_notification_idx').on(table.notificationId),
    check('notification_deliveries_status_check', sql`${table.status} in ('pending', 'sent', 'failed', 'skipped')`),
    check('notification_deliveries_channel_check', sql`${table.channel} in ('outbox', 'smtp', 'sms')`),
  ],
);

/** What the default sender "sent": staff read it at /staff/outbox; no external service needed. */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: serial('id').primaryKey(),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => notificationDeliveries.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    address: text('address'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex('notification_outbox_delivery_unique').on(table.deliveryId), index('notification_outbox_created_idx').on(table.createdAt)],
);
