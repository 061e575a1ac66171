import { isStaff } from '../platform/http/access.js';
import { sql } from 'drizzle-orm';
import { findPublishedService } from '../catalog/service.js';
import { queryRows, type Executor } from '../platform/db/index.js';
import { attachFiles, registerFileReadRule } from '../platform/files/service.js';
import { AppError } from '../platform/errors.js';
import type { ProjectRow } from '../projects/repository.js';

/**
 * A comparison proposal (比选方案) carries a price, the promised working days (at most the
 * service item's time limit) and a plan; it is sealed like any quote.
 */
export async function checkProposal(db: Executor, project: ProjectRow, input: { promisedDays?: number; plan?: string }): Promise<void> {
  if (input.promisedDays === undefined) {
    throw new AppError(400, 'promised_days_required', 'A comparison proposal states the promised working days (promisedDays)', [{ path: 'body.promisedDays', message: 'is required' }]);
  }
  const item = await findPublishedService(db, project.serviceCode);
  if (item && input.promisedDays > item.timeLimitDays) {
    throw new AppError(400, 'promised_days_above_limit', `The promised days (${input.promisedDays}) exceed the time limit of ${item.code} (${item.timeLimitDays} working days)`, [
      { path: 'body.promisedDays', message: 'is above the service time limit', params: { limitDays: item.timeLimitDays } },
    ]).with({ promisedDays: input.promisedDays, limitDays: item.timeLimitDays });
  }
  if (!input.plan?.trim()) {
    throw new AppError(400, 'plan_required', 'A comparison proposal includes a plan (plan)', [{ path: 'body.plan', message: 'is required' }]);
  }
}

export const PLAN_FILE_PURPOSE = 'comparison_plan';

/**
 * What a comparison adds to the sealed content: the plan files (uploaded first with purpose
 * comparison_plan), by id and SHA-256. Other methods take no plan files.
 */
export async function proposalExtras(
  tx: Executor,
  project: ProjectRow,
  firmId: number,
  input: { promisedDays?: number; plan?: string; planFileIds?: number[] },
): Promise<{ planFiles?: { id: number; sha256: string; filename: string }[] }> {
  if (project.method !== 'comparison') {
    if (input.planFileIds?.length) throw new AppError(400, 'plan_files_not_accepted', `Method ${project.method} takes no plan files`, [{ path: 'body.planFileIds', message: 'only comparison proposals carry plan files' }]);
    return {};
  }
  await checkProposal(tx, project, input);
  if (!input.planFileIds?.length) return {};
  const files = await attachFiles(tx, input.planFileIds, { organizationId: firmId, purpose: PLAN_FILE_PURPOSE, field: 'planFileIds' });
  return { planFiles: files.map((file) => ({ id: file.id, sha256: file.sha256, filename: file.filename })) };
}

/**
 * A plan file is sealed with its proposal: before the opening only its firm reads it (not staff);
 * after, the project's owner and staff do.
 */
export function registerPlanFileRule(): void {
  registerFileReadRule(PLAN_FILE_PURPOSE, async (db, user, file) => {
    const staff = isStaff(user);
    if (!staff && (user?.role !== 'owner' || !user.organizationId)) return false;
    const containing = JSON.stringify({ ranking: [{ planFiles: [{ id: file.id }] }] });
    const rows = staff
      ? await queryRows<{ id: number }>(db, sql`select id from projects where method = 'comparison' and result @> ${containing}::jsonb limit 1`)
      : await queryRows<{ id: number }>(db, sql`select id from projects where owner_id = ${user!.organizationId} and method = 'comparison' and result @> ${containing}::jsonb limit 1`);
    return rows.length > 0;
  }, { sealed: true });
}
