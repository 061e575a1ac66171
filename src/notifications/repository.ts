import { and, asc, count, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { organizations, users } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { notificationDeliveries, notificationOutbox, notifications } from './tables.js';
import { participantsPublicSql } from '../projects/repository.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** Who receives: named users, plus every active user of the named organisations. */
export async function recipients(db: Executor, userIds: number[], organizationIds: number[]) {
  const conditions = [];
  if (userIds.length) conditions.push(inArray(users.id, userIds));
  if (organizationIds.length) conditions.push(inArray(users.organizationId, organizationIds));
  if (!conditions.length) return [];
  return db
    .select({ id: users.id, mobile: users.mobile, email: organizations.email })
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(isNull(users.disabledAt), conditions.length === 1 ? conditions[0] : sql`(${conditions[0]} or ${conditions[1]})`))
    .orderBy(asc(users.id));
}

/** Inserts the notification unless this user already has one with the dedupe key. */
export async function insertNotification(tx: Executor, values: typeof notifications.$inferInsert): Promise<NotificationRow | undefined> {
  const [row] = await tx.insert(notifications).values(values).onConflictDoNothing().returning();
  return row;
}

export async function insertDeliveries(tx: Executor, values: (typeof notificationDeliveries.$inferInsert)[]): Promise<DeliveryRow[]> {
  if (!values.length) return [];
  return tx.insert(notificationDeliveries).values(values).returning();
}

/**
 * Takes a pending delivery for one attempt: counts the attempt and pushes `nextAttemptAt` out by
 * the lease, so a job and the sweeper racing for it get it once. Undefined when not due.
 */
export async function claimDelivery(db: Executor, id: number, now: Date, leaseUntil: Date) {
  const [row] = await db
    .update(notificationDeliveries)
    .set({ attempts: sql`${notificationDeliveries.attempts} + 1`, nextAttemptAt: leaseUntil })
    .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)))
    .returning();
  if (!row) return undefined;
  const [message] = await db
    .select({ userId: notifications.userId, subject: notifications.subject, body: notifications.body })
    .from(notifications)
    .where(eq(notifications.id, row.notificationId));
  return { delivery: row, message: message! };
}

export async function updateDelivery(db: Executor, id: number, values: Partial<typeof notificationDeliveries.$inferInsert>) {
  await db.update(notificationDeliveries).set(values).where(eq(notificationDeliveries.id, id));
}

export async function findDelivery(db: Executor, id: number): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
  return row;
}

export async function dueDeliveries(db: Executor, now: Date, limit = 200): Promise<number[]> {
  const rows = await db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)))
    .orderBy(asc(notificationDeliveries.nextAttemptAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function listForUser(db: Executor, userId: number, page: { offset: number; limit: number }, unreadOnly = false) {
  const where = unreadOnly ? and(eq(notifications.userId, userId), isNull(notifications.readAt)) : eq(notifications.userId, userId);
  const items = await db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt), desc(notifications.id)).offset(page.offset).limit(page.limit);
  const [total] = await db.select({ n: count() }).from(notifications).where(where);
  return { items, total: total!.n };
}

export async function countUnread(db: Executor, userId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row!.n;
}

export async function findNotification(db: Executor, id: number): Promise<NotificationRow | undefined> {
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

export async function markRead(db: Executor, id: number, at: Date): Promise<NotificationRow> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(notifications.id, id))
    .returning();
  return row!;
}

/**
 * Leaves out notifications that tell who takes part in a sealed project whose quotes are not
 * opened yet.
 */
const notSealed = sql`(${notifications.sealedProjectId} is null or exists (
  select 1 from projects p where p.id = ${notifications.sealedProjectId} and ${participantsPublicSql('p')}))`;

/** The outbox with each row's delivery state, newest first, and every delivery that failed. */
export async function listOutbox(db: Executor, page: { offset: number; limit: number }) {
  const items = await db
    .select({
      id: notificationOutbox.id,
      deliveryId: notificationOutbox.deliveryId,
      userId: notificationOutbox.userId,
      username: users.username,
      address: notificationOutbox.address,
      subject: notificationOutbox.subject,
      body: notificationOutbox.body,
      createdAt: notificationOutbox.createdAt,
    })
    .from(notificationOutbox)
    .innerJoin(users, eq(users.id, notificationOutbox.userId))
    .innerJoin(notificationDeliveries, eq(notificationDeliveries.id, notificationOutbox.deliveryId))
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(notSealed)
    .orderBy(desc(notificationOutbox.createdAt), desc(notificationOutbox.id))
    .offset(page.offset)
    .limit(page.limit);
  const [total] = await db
    .select({ n: count() })
    .from(notificationOutbox)
    .innerJoin(notificationDeliveries, eq(notificationDeliveries.id, notificationOutbox.deliveryId))
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(notSealed);
  return { items, total: total!.n };
}

/** Deliveries that are not simply sent: pending retries, failures and skipped channels. */
export async function listUnsentDeliveries(db: Executor, limit = 100) {
  return db
    .select({
      id: notificationDeliveries.id,
      channel: notificationDeliveries.channel,
      address: notificationDeliveries.address,
      status: notificationDeliveries.status,
      attempts: notificationDeliveries.attempts,
      lastError: notificationDeliveries.lastError,
      nextAttemptAt: notificationDeliveries.nextAttemptAt,
      subject: notifications.subject,
      username: users.username,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(inArray(notificationDeliveries.status, ['pending', 'failed', 'skipped']), notSealed))
    .orderBy(desc(notificationDeliveries.id))
    .limit(limit);
}

export async function setMobile(db: Executor, userId: number, mobile: string | null) {
  await db.update(users).set({ mobile }).where(eq(users.id, userId));
}

export async function findMobile(db: Executor, userId: number): Promise<string | null> {
  const [row] = await db.select({ mobile: users.mobile }).from(users).where(eq(users.id, userId));
  return row?.mobile ?? null;
}
