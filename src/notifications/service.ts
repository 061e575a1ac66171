import { appendAudit } from '../audit/service.js';
import type { Database, Executor } from '../platform/db/index.js';
import type { PlatformDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from './repository.js';
import { createSenders, type Channel, type Sender } from './senders.js';

export const SEND_JOB = 'notification.send';
/** Attempts per delivery before it is shown as failed. */
export const MAX_SEND_ATTEMPTS = 5;
/** Wait before retry n: 1, 2, 4, 8 minutes. */
export const RETRY_BASE_MS = 60_000;
/** A claimed delivery is retried after this long if its sender never reported back (crash). */
const SEND_LEASE_MS = 5 * 60_000;

export interface NotifyInput {
  userIds?: number[];
  organizationIds?: number[];
  kind: string;
  subject: string;
  body: string;
  link?: string;
  /** Same key, same user: notified once (reminders). */
  dedupeKey?: string;
  /** Set when who is notified tells who takes part in this sealed project (docs/security.md). */
  sealedProjectId?: number;
}

type NotifyDeps = Pick<PlatformDeps, 'clock' | 'config' | 'jobs' | 'logger'>;

/**
 * Writes the in-app notifications and one delivery per configured channel in the caller's
 * transaction, so a rollback sends nothing. Pushing happens after commit (job, sweeper); a
 * failing channel never fails the caller.
 */
export async function notify(tx: Executor, deps: NotifyDeps, input: NotifyInput): Promise<{ notificationIds: number[]; deliveryIds: number[] }> {
  const now = deps.clock.now();
  const people = await repository.recipients(tx, [...new Set(input.userIds ?? [])], [...new Set(input.organizationIds ?? [])]);
  const notificationIds: number[] = [];
  const deliveryIds: number[] = [];
  for (const person of people) {
    const row = await repository.insertNotification(tx, {
      userId: person.id, kind: input.kind, subject: input.subject, body: input.body, link: input.link ?? null, dedupeKey: input.dedupeKey ?? null, sealedProjectId: input.sealedProjectId ?? null, createdAt: now,
    });
    if (!row) continue;
    notificationIds.push(row.id);
    const deliveries = await repository.insertDeliveries(
      tx,
      deps.config.notify.senders.map((channel) => {
        const address = addressFor(channel, person);
        const reachable = channel === 'outbox' || address !== null;
        return {
          notificationId: row.id, channel, address, status: reachable ? 'pending' : 'skipped',
          lastError: reachable ? null : `no ${channel === 'sms' ? 'mobile number' : 'e-mail address'}`, nextAttemptAt: now, createdAt: now,
        };
      }),
    );
    deliveryIds.push(...deliveries.filter((d) => d.status === 'pending').map((d) => d.id));
  }
  for (const id of deliveryIds) await scheduleSend(deps, id, 1, now);
  return { notificationIds, deliveryIds };
}

function addressFor(channel: Channel, person: { mobile: string | null; email: string | null }): string | null {
  if (channel === 'sms') return person.mobile;
  if (channel === 'smtp') return person.email;
  return person.mobile ?? person.email;
}

/** Best effort: a queue that is down leaves the delivery to the sweeper. */
async function scheduleSend(deps: NotifyDeps, deliveryId: number, attempt: number, runAt: Date) {
  try {
    await deps.jobs.schedule(SEND_JOB, { deliveryId }, { runAt, jobId: `${SEND_JOB}:${deliveryId}:${attempt}` });
  } catch (error) {
    deps.logger.warn({ err: error, deliveryId }, 'could not schedule a notification send; the sweeper will');
  }
}

const sendersByDatabase = new WeakMap<Database, Map<Channel, Sender>>();
function sendersFor(deps: Pick<PlatformDeps, 'config' | 'database' | 'clock'>): Map<Channel, Sender> {
  let senders = sendersByDatabase.get(deps.database);
  if (!senders) {
    senders = createSenders(deps.config, deps.database.db, deps.clock);
    sendersByDatabase.set(deps.database, senders);
  }
  return senders;
}

export class DeliveryNotVisibleError extends Error {}

/**
 * One attempt at one delivery. Failures are recorded (attempts, lastError) and retried with
 * backoff as a new job; after MAX_SEND_ATTEMPTS the delivery is `failed`. Returns what happened.
 */
export async function deliver(deps: PlatformDeps, deliveryId: number): Promise<'sent' | 'retry' | 'failed' | 'not_due'> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const claimed = await repository.claimDelivery(db, deliveryId, now, new Date(now.getTime() + SEND_LEASE_MS));
  if (!claimed) {
    // scheduled inside a transaction that has not committed yet (or rolled back): let the queue retry
    if (!(await repository.findDelivery(db, deliveryId))) throw new DeliveryNotVisibleError(`delivery ${deliveryId} not visible`);
    return 'not_due';
  }
  const { delivery, message } = claimed;
  const sender = sendersFor(deps).get(delivery.channel as Channel);
  try {
    if (!sender) throw new Error(`channel ${delivery.channel} is not configured`);
    await sender.send({ deliveryId, userId: message.userId, address: delivery.address, subject: message.subject, body: message.body });
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const at = deps.clock.now();
    if (delivery.attempts >= MAX_SEND_ATTEMPTS) {
      await repository.updateDelivery(db, deliveryId, { status: 'failed', lastError, nextAttemptAt: at });
      deps.logger.warn({ deliveryId, channel: delivery.channel, attempts: delivery.attempts, lastError }, 'notification delivery failed for good');
      return 'failed';
    }
    const retryAt = new Date(at.getTime() + RETRY_BASE_MS * 2 ** (delivery.attempts - 1));
    await repository.updateDelivery(db, deliveryId, { lastError, nextAttemptAt: retryAt });
    await scheduleSend(deps, deliveryId, delivery.attempts + 1, retryAt);
    return 'retry';
  }
  await repository.updateDelivery(db, deliveryId, { status: 'sent', sentAt: deps.clock.now(), lastError: null });
  return 'sent';
}

/** The sweeper's pass: every pending delivery that is due (a lost job, a restart). */
export async function deliverDue(deps: PlatformDeps): Promise<number> {
  const ids = await repository.dueDeliveries(deps.database.db, deps.clock.now());
  let done = 0;
  for (const id of ids) {
    try {
      if ((await deliver(deps, id)) !== 'not_due') done += 1;
    } catch (error) {
      deps.logger.warn({ err: error, deliveryId: id }, 'notification delivery errored');
    }
  }
  return done;
}

export function presentNotification(row: repository.NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    link: row.link,
    createdAt: isoShanghai(row.createdAt),
    readAt: row.readAt ? isoShanghai(row.readAt) : null,
  };
}

export async function listMine(deps: Pick<PlatformDeps, 'database'>, user: CurrentUser, page: { page: number; pageSize: number }, unreadOnly = false) {
  const db = deps.database.db;
  const { items, total } = await repository.listForUser(db, user.id, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize }, unreadOnly);
  return { items: items.map(presentNotification), total, unread: await repository.countUnread(db, user.id), page: page.page, pageSize: page.pageSize };
}

export const unreadCount = (deps: Pick<PlatformDeps, 'database'>, user: CurrentUser) => repository.countUnread(deps.database.db, user.id);

/** Someone else's notification is "not found": its existence is not theirs to learn. */
export async function markRead(deps: Pick<PlatformDeps, 'database' | 'clock'>, user: CurrentUser, id: number) {
  const db = deps.database.db;
  const row = await repository.findNotification(db, id);
  if (!row || row.userId !== user.id) throw notFound('Notification');
  return presentNotification(await repository.markRead(db, id, deps.clock.now()));
}

export async function listOutbox(deps: Pick<PlatformDeps, 'database'>, page: { page: number; pageSize: number }) {
  const db = deps.database.db;
  const { items, total } = await repository.listOutbox(db, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
  const unsent = await repository.listUnsentDeliveries(db);
  return {
    items: items.map((item) => ({ ...item, createdAt: isoShanghai(item.createdAt) })),
    total,
    page: page.page,
    pageSize: page.pageSize,
    unsent: unsent.map((d) => ({ ...d, nextAttemptAt: isoShanghai(d.nextAttemptAt) })),
  };
}

export const getMobile = (deps: Pick<PlatformDeps, 'database'>, user: CurrentUser) => repository.findMobile(deps.database.db, user.id);

/** The mobile number reminders go to (手机号码关联); null removes it. Audited without the number. */
export async function setMobile(deps: Pick<PlatformDeps, 'database' | 'clock'>, user: CurrentUser, mobile: string | null) {
  await deps.database.transaction(async (tx) => {
    await repository.setMobile(tx, user.id, mobile);
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: mobile ? 'user.mobile_set' : 'user.mobile_removed', entityType: 'user', entityId: user.id });
  });
  return { mobile };
}
