import { registerDeadlineSource, type Deadline } from '../notifications/deadlines.js';
import { unansweredDue } from './repository.js';

/** An unanswered question's limit (答疑回复期限): the owner must answer. */
export function registerQuestionDeadlines(): void {
  registerDeadlineSource({
    kind: 'question_answer',
    async pending(db, { from, to }) {
      const rows = await unansweredDue(db, from, to);
      return rows.map((row): Deadline => ({
        projectId: row.projectId, projectTitle: row.title, kind: 'question_answer', ref: row.id, at: row.answerDueAt,
        recipients: { organizationIds: [row.ownerId] },
      }));
    },
  });
}
