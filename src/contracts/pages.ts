import type { Request } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import type { ZodType } from 'zod';
import { AppError, badRequest, validationFailed } from '../platform/errors.js';
import { formErrors } from '../platform/http/forms.js';
import { recallForm, rememberForm } from '../platform/http/form-memory.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import type { RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { storeFormFile } from '../platform/files/service.js';
import { parseYuanToFen } from '../platform/money.js';
import { shanghaiDate } from '../platform/time.js';
import { acceptedAwards } from '../awards/repository.js';
import { projectIdParams } from '../projects/schemas.js';
import { firmRatings, projectContracts } from './queries.js';
import { completionBody, contractBody, deliveryBody, hideBody, RATING_ASPECTS, replyBody } from './schemas.js';
import { completeContract, CONTRACT_FILE_PURPOSE, DELIVERABLE_FILE_PURPOSE, hideRatingComment, recordContract, recordDelivery, replyToRating } from './service.js';
import * as repository from './repository.js';

/** Page forms that carry a file: app.ts parses them as multipart before the CSRF check. */
export const CONTRACT_UPLOAD_PAGES = ['/projects/:id/contract', '/projects/:id/delivery'];

const OUTCOMES = [
  'contracted', 'delivered', 'completed', 'replied', 'hidden',
  'amount_above_winning_price', 'file_type_not_allowed', 'body_too_large', 'file_not_attachable', 'wrong_status', 'already_delivered',
  'not_delivered', 'already_replied', 'already_hidden', 'award_not_accepted', 'contract_exists', 'calendar_year_missing', 'forbidden', 'validation_failed',
] as const;
const SUCCESS = new Set(['contracted', 'delivered', 'completed', 'replied', 'hidden']);
const SHOWN_FROM = new Set(['awarded', 'contracted', 'delivered', 'completed']);

const codeOf = (error: unknown): string => {
  if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404 || error.status === 429) throw error;
  if ((OUTCOMES as readonly string[]).includes(error.code)) return error.code;
  return error.status === 403 ? 'forbidden' : 'validation_failed';
};

const parsed = <T>(schema: ZodType<T>, input: unknown): T => {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(result.error);
  return result.data;
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The contract, delivery, acceptance and rating block of the project page; undefined before an award. */
export async function contractsBlock(deps: PlatformDeps, req: Request, project: { id: number; status: string; ownerId: number }) {
  if (!SHOWN_FROM.has(project.status)) return undefined;
  const t: Translate = req.res!.locals.t;
  const user: CurrentUser | undefined = req.currentUser;
  const { items } = await projectContracts(deps, user, project.id);
  const owner = user?.role === 'owner' && user.organizationId === project.ownerId;
  const firmId = user?.role === 'agency' ? user.organizationId : undefined;
  const signed = new Set(items.map((item) => item.awardId));
  const open = owner && project.status === 'awarded' ? (await acceptedAwards(deps.database.db, project.id)).filter((award) => !signed.has(award.id)) : [];
  const contractForm = owner ? recallForm(req, 'contract') : undefined;
  const outcome = typeof req.query.contracts === 'string' && (OUTCOMES as readonly string[]).includes(req.query.contracts) ? req.query.contracts : undefined;
  return {
    items: items.map((item) => ({
      ...item,
      canDeliver: project.status === 'contracted' && firmId === item.firmId && !item.deliveredAt,
      canComplete: owner && item.deliveredAt && !item.completedAt,
      rating: item.rating && {
        ...item.rating,
        canReply: firmId === item.firmId && item.rating.reply === null,
        canHide: isStaff(user) && !item.rating.commentHidden,
        scores: RATING_ASPECTS.map((aspect) => ({ label: t(`contracts.aspects.${aspect}`), value: item.rating!.scores[aspect] })),
      },
    })),
    openAwards: open.map((award) => ({ ...award, selected: String(award.id) === contractForm?.values.awardId })),
    canSign: open.length > 0,
    contractForm: contractForm && { values: contractForm.values, errors: formErrors(contractForm.errors, t, 'contracts.block') },
    today: shanghaiDate(deps.clock.now()),
    aspects: RATING_ASPECTS.map((aspect) => ({ name: aspect, label: t(`contracts.aspects.${aspect}`) })),
    outcome: outcome && t(`contracts.flash.${outcome}`),
    outcomeIsError: outcome !== undefined && !SUCCESS.has(outcome),
  };
}

/** A firm's ratings for its public page. */
export async function firmRatingsBlock(deps: PlatformDeps, req: Request, firmId: number) {
  const t: Translate = req.res!.locals.t;
  const ratings = await firmRatings(deps.database.db, firmId);
  return {
    ...ratings,
    averages: RATING_ASPECTS.map((aspect) => ({ label: t(`contracts.aspects.${aspect}`), value: ratings.averages[aspect] })),
    items: ratings.items.map((item) => ({ ...item, scores: RATING_ASPECTS.map((aspect) => ({ label: t(`contracts.aspects.${aspect}`), value: item.scores[aspect] })) })),
  };
}

async function uploadFrom(deps: PlatformDeps, user: CurrentUser, body: Record<string, unknown>, purpose: string) {
  const file = await storeFormFile(deps, user, body.file, purpose);
  if (!file) throw badRequest('validation_failed', 'Choose a file', [{ path: 'file', message: 'is required' }]);
  return file;
}

/** The contract form's field for each path the service names. */
const CONTRACT_FORM_PATHS: Record<string, string> = { amountFen: 'amount', fileId: 'file', awardId: 'awardId', signedOn: 'signedOn' };

export function registerContractPages(routes: RouteTable, deps: PlatformDeps): void {
  /** `keep`: the form's text fields, remembered with the refusal so the page shows them again. */
  const action = (path: string, access: readonly ('owner' | 'agency' | 'staff' | 'admin')[], done: string, run: (user: CurrentUser, id: number, body: Record<string, unknown>) => Promise<number>, keep?: { form: string; fields: string[] }) =>
    routes.page({
      method: 'post', path, access, params: projectIdParams,
      handler: async ({ req, params, body, user }) => {
        let outcome = done;
        let projectId = params.id;
        const form = (body ?? {}) as Record<string, unknown>;
        try {
          projectId = await run(user!, params.id, form);
        } catch (error) {
          outcome = codeOf(error);
          if (keep) {
            const values = Object.fromEntries(keep.fields.map((field) => [field, text(form[field])]));
            rememberForm(req, keep.form, { values, errors: error instanceof AppError && error.errors ? error.errors.map((e) => ({ ...e, path: CONTRACT_FORM_PATHS[e.path.replace(/^body\./, '')] ?? e.path, ...(error.code === 'validation_failed' ? {} : { code: error.code, params: error.params }) })) : [] });
          }
          if (path.startsWith('/ratings')) projectId = (await repository.findRating(deps.database.db, params.id))?.projectId ?? 0;
        }
        return { redirect: `/projects/${projectId}?contracts=${outcome}#contracts` };
      },
    });

  action('/projects/:id/contract', ['owner'], 'contracted', async (user, id, body) => {
    const amountFen = parseYuanToFen(text(body.amount).trim());
    const form = parsed(contractBody.omit({ fileId: true }), {
      amountFen: amountFen ?? -1,
      signedOn: text(body.signedOn),
      ...(text(body.awardId) ? { awardId: text(body.awardId) } : {}),
    });
    const file = await uploadFrom(deps, user, body, CONTRACT_FILE_PURPOSE);
    await recordContract(deps, user, id, { ...form, fileId: file.id });
    return id;
  }, { form: 'contract', fields: ['awardId', 'amount', 'signedOn'] });
  action('/projects/:id/delivery', ['agency'], 'delivered', async (user, id, body) => {
    const note = parsed(deliveryBody.pick({ note: true }), { note: text(body.note) }).note;
    const file = await uploadFrom(deps, user, body, DELIVERABLE_FILE_PURPOSE);
    await recordDelivery(deps, user, id, { note, fileIds: [file.id] });
    return id;
  });
  action('/projects/:id/completion', ['owner'], 'completed', async (user, id, body) => {
    const ratings = Object.fromEntries(RATING_ASPECTS.map((aspect) => [aspect, Number(text(body[aspect]))]));
    const input = parsed(completionBody, { ratings, comment: text(body.comment), ...(text(body.contractId) ? { contractId: Number(text(body.contractId)) } : {}) });
    await completeContract(deps, user, id, input);
    return id;
  });
  action('/ratings/:id/reply', ['agency'], 'replied', async (user, id, body) => {
    const rating = await replyToRating(deps, user, id, parsed(replyBody, { reply: text(body.reply) }).reply);
    return rating.projectId;
  });
  action('/ratings/:id/hide', ['staff', 'admin'], 'hidden', async (user, id, body) => {
    const rating = await hideRatingComment(deps, user, id, parsed(hideBody, { reason: text(body.reason) }).reason);
    return rating.projectId;
  });
}
