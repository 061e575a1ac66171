import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { apiTokens, loginThrottle, organizations, sessions, users } from './tables.js';

export type UserRow = typeof users.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertOrganization(tx: Executor, organization: NewOrganization): Promise<OrganizationRow> {
  const [row] = await tx.insert(organizations).values(organization).returning();
  return row!;
}

export async function insertUser(tx: Executor, user: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await tx.insert(users).values(user).returning();
  return row!;
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = ${username.toLowerCase()}`);
  return row;
}

export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findOrganization(db: Executor, id: number): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

export async function usccTaken(db: Executor, uscc: string): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.uscc, uscc));
  return row !== undefined;
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.id));
}

export async function updateUser(tx: Executor, id: number, values: Partial<typeof users.$inferInsert>): Promise<void> {
  await tx.update(users).set(values).where(eq(users.id, id));
}

export async function insertToken(tx: Executor, token: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [row] = await tx.insert(apiTokens).values(token).returning();
  return row!;
}

export async function listTokens(db: Executor, userId: number): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(asc(apiTokens.id));
}

export async function findActiveTokenByHash(db: Executor, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row;
}

export async function markTokenUsed(db: Executor, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

export async function revokeToken(tx: Executor, userId: number, id: number, at: Date): Promise<ApiTokenRow | undefined> {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning();
  return row;
}

/** Every live token of the user ends: after a password change, a reset, or disabling. */
export async function revokeAllTokens(tx: Executor, userId: number, at: Date): Promise<number> {
  const revoked = await tx.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id });
  return revoked.length;
}

export async function deleteOtherSessions(tx: Executor, userId: number, keepSid?: string): Promise<void> {
  await tx
    .delete(sessions)
    .where(keepSid ? and(eq(sessions.userId, userId), ne(sessions.sid, keepSid)) : eq(sessions.userId, userId));
}

export type ThrottleRow = typeof loginThrottle.$inferSelect;

export async function findThrottles(db: Executor, keys: string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.select().from(loginThrottle).where(sql`${loginThrottle.key} in ${keys}`);
}

export async function lockThrottle(tx: Executor, key: string, at: Date): Promise<ThrottleRow> {
  await tx.insert(loginThrottle).values({ key, failures: 0, windowStartedAt: at }).onConflictDoNothing();
  const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).for('update');
  return row!;
}

export async function saveThrottle(tx: Executor, row: ThrottleRow): Promise<void> {
  await tx.update(loginThrottle).set(row).where(eq(loginThrottle.key, row.key));
}

export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
