import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../auth/tables.js';
import { projects } from '../projects/tables.js';

/**
 * A question (答疑澄清) a firm asks about a project and the owner's public answer. The asker is
 * kept for staff and for notifying registrants; it never leaves the service in a public view.
 */
export const projectQuestions = pgTable(
  'project_questions',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    askedBy: integer('asked_by')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    answerDueAt: timestamp('answer_due_at', { withTimezone: true }).notNull(),
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: integer('answered_by').references(() => users.id),
  },
  (table) => [index('project_questions_project_idx').on(table.projectId, table.askedAt)],
);
