import { organizations, users } from '../../src/auth/tables.js';
import { awards } from '../../src/awards/tables.js';
import { blacklistEntries } from '../../src/blacklist/tables.js';
import { contracts } from '../../src/contracts/tables.js';
import { storedFiles } from '../../src/platform/files/tables.js';
import { creditEvents } from '../../src/credit/tables.js';
import { projects, registrations } from '../../src/projects/tables.js';
import { projectQuestions } from '../../src/questions/tables.js';
import type { TestPlatform } from '../support/platform.js';

/**
 * Rows written straight into the real database: the statistics and risk flags only read, so a
 * small, exactly known data set is clearer than driving every project through its selection.
 */
const AT = new Date('2026-10-01T00:00:00+08:00');
let counter = 0;
const uscc = () => `91330100MA${String(++counter).padStart(7, '0')}X`.slice(0, 18);

export function rows(platform: TestPlatform) {
  const db = platform.database.db;
  return {
    async org(kind: 'owner' | 'agency', values: Partial<typeof organizations.$inferInsert> = {}) {
      const n = ++counter;
      const [row] = await db
        .insert(organizations)
        .values({ kind, name: `${kind === 'owner' ? '业主' : '中介'}${n}`, uscc: uscc(), status: kind === 'agency' ? 'admitted' : 'active', contactName: '联系人', contactPhone: `1380000${String(n).padStart(4, '0')}`, email: `c${n}@example.cn`, legalRepresentative: `法人${n}`, createdAt: AT, updatedAt: AT, ...values })
        .returning();
      return row!;
    },
    async user(organizationId: number) {
      const [row] = await db.insert(users).values({ username: `u${++counter}`, passwordHash: 'x', role: 'agency', organizationId, displayName: 'u', createdAt: AT, passwordChangedAt: AT }).returning();
      return row!;
    },
    async project(ownerId: number, createdBy: number, values: Partial<typeof projects.$inferInsert> & { method: string; status: string }) {
      const [row] = await db
        .insert(projects)
        .values({
          ownerId,
          createdBy,
          serviceCode: 'ZJ-001',
          title: `项目${++counter}`,
          description: '说明',
          budgetFen: 100_000,
          winners: 1,
          minRespondents: 1,
          quoteMode: 'amount',
          options: {},
          avoidFirms: [],
          registrationClosesAt: AT,
          termsVersion: 1,
          publishedAt: values.status === 'draft' ? null : AT,
          createdAt: AT,
          updatedAt: AT,
          ...values,
        })
        .returning();
      return row!;
    },
    async registration(projectId: number, firmId: number, status = 'active') {
      await db.insert(registrations).values({ projectId, firmId, status, createdAt: AT, updatedAt: AT });
    },
    async creditEvent(firmId: number, kind: string, correctsEventId: number | null = null) {
      const [row] = await db.insert(creditEvents).values({ firmId, kind, occurredAt: AT, source: 'test', note: 'test', correctsEventId, recordedBy: 'test', recordedAt: AT }).returning();
      return row!;
    },
    async blacklist(firmId: number) {
      await db.insert(blacklistEntries).values({ firmId, reason: 'r', basis: 'b', evidence: 'e', startsAt: AT, decidedBy: 'test', publishedAt: AT });
    },
    /** An accepted award and its contract; `overdue` set means completed and judged. */
    async contract(projectId: number, firmId: number, userId: number, overdue?: 'on_time' | 'overdue') {
      const [file] = await db.insert(storedFiles).values({ sha256: '0'.repeat(64), sizeBytes: 1, mediaType: 'application/pdf', filename: 'c.pdf', uploadedBy: userId, purpose: 'contract', createdAt: AT, content: Buffer.from('x') }).returning();
      const [award] = await db.insert(awards).values({ projectId, firmId, rank: 1, status: 'accepted', amountFen: 80_000 }).returning();
      const [row] = await db
        .insert(contracts)
        .values({ projectId, awardId: award!.id, firmId, amountFen: 80_000, signedOn: '2026-11-10', promisedDays: 10, fileId: file!.id, recordedBy: userId, recordedAt: AT, ...(overdue ? { deliveredAt: AT, completedAt: AT, overdue } : {}) })
        .returning();
      return row!;
    },
    async question(projectId: number, firmId: number, askedBy: number, answerDueAt: string, answeredAt?: string) {
      await db.insert(projectQuestions).values({ projectId, firmId, askedBy, text: '问题', askedAt: AT, answerDueAt: new Date(answerDueAt), ...(answeredAt ? { answer: '答复', answeredAt: new Date(answeredAt) } : {}) });
    },
  };
}

/** A published result as selection writes it. */
export const result = (publishedAt: string, ranking: { firmId: number; amountFen?: number }[], winners = [ranking[0]!.firmId]) => ({
  kind: 'opening',
  ranking: ranking.map((entry, i) => ({ rank: i + 1, name: `中介${entry.firmId}`, uscc: `U${entry.firmId}`, ...entry })),
  winners,
  alternates: [],
  publishedAt: new Date(publishedAt).toISOString(),
});
