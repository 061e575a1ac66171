import type { Request } from 'express';
import { z } from 'zod';
import { csrfTokenFor } from '../auth/middleware.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { parseForm } from '../platform/http/forms.js';
import type { RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { projectIdParams } from '../projects/schemas.js';
import { decideObjection, fileObjection, listObjectionQueue, OBJECTION_FILE_PURPOSE } from './objections.js';
import { storeFormFile } from '../platform/files/service.js';
import { acceptAward, declineAward } from './offers.js';
import { awardOverview } from './queries.js';
import { declineBody, objectionBody, objectionDecisionBody, objectionIdParams, objectionListQuery } from './schemas.js';

/** What ?award=… on the project page (and ?done=… on the queue) may report after a form. */
const OUTCOMES = [
  'objected', 'accepted', 'declined', 'decided',
  'publicity_over', 'already_objected', 'offer_closed', 'not_eligible', 'already_decided', 'not_in_publicity', 'forbidden', 'validation_failed',
] as const;
const SUCCESS = new Set(['objected', 'accepted', 'declined', 'decided']);
const SHOWN_FROM = new Set(['publicity', 'awarded', 'contracted', 'delivered', 'completed', 'failed']);

const outcomeOf = (req: Request, name: string) => {
  const value = req.query[name];
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value) ? value : undefined;
};

const codeOf = (error: unknown): string => {
  if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404 || error.status === 429) throw error;
  return (OUTCOMES as readonly string[]).includes(error.code) ? error.code : error.status === 403 ? 'forbidden' : 'validation_failed';
};

const validated = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const parsed = parseForm(schema, input);
  if (!parsed.ok) throw new AppError(400, 'validation_failed', 'The form is not valid', parsed.errors);
  return parsed.value;
};

/** The page form that files an objection, with an optional attachment (multipart). */
export const OBJECTION_PAGE = '/projects/:id/objections';

/** The publicity, objection and award block of the project page; undefined before a result. */
export async function awardBlock(deps: PlatformDeps, req: Request, project: { id: number; status: string }) {
  if (!SHOWN_FROM.has(project.status)) return undefined;
  const t: Translate = req.res!.locals.t;
  const user: CurrentUser | undefined = req.currentUser;
  const state = await awardOverview(deps, user, project.id);
  if (!state.publishedAt && state.offers.length === 0 && state.objections.length === 0) return undefined;
  const outcome = outcomeOf(req, 'award');
  const publicityOpen = state.status === 'publicity' && (!state.publicityEndsAt || state.publicityEndsAt > deps.clock.now());
  const objected = state.objections.some((objection) => objection.firmId !== undefined && objection.firmId === user?.organizationId);
  const myOffer = state.myOffer?.status === 'offered' ? state.myOffer : undefined;
  return {
    ...state,
    inPublicity: state.status === 'publicity',
    offers: state.offers.map((offer) => ({ ...offer, statusLabel: t(`awards.offerStatus.${offer.status}`) })),
    objections: state.objections.map((objection) => ({
      ...objection,
      statusLabel: t(`awards.objectionStatus.${objection.status}`),
      outcomeLabel: objection.outcome ? t(`awards.outcomes.${objection.outcome}`) : undefined,
    })),
    canObject: user?.role === 'agency' && publicityOpen && !objected,
    myOffer,
    outcome: outcome && t(`awards.flash.${outcome}`),
    outcomeIsError: outcome !== undefined && !SUCCESS.has(outcome),
  };
}

export function registerAwardPages(routes: RouteTable, deps: PlatformDeps): void {
  /** A form on the project page: back to the award block with what happened. */
  const projectAction = (path: string, done: string, run: (user: CurrentUser, id: number, body: Record<string, unknown>) => Promise<unknown>) =>
    routes.page({
      method: 'post', path, access: ['agency'], params: projectIdParams,
      handler: async ({ params, body, user }) => {
        let outcome = done;
        try {
          await run(user!, params.id, (body ?? {}) as Record<string, unknown>);
        } catch (error) {
          outcome = codeOf(error);
        }
        return { redirect: `/projects/${params.id}?award=${outcome}#award` };
      },
    });

  projectAction(OBJECTION_PAGE, 'objected', async (user, id, body) => {
    const input = validated(objectionBody, { grounds: body.grounds ?? '', fileIds: [] });
    // the one optional attachment of the page form (the API takes several fileIds)
    const attached = await storeFormFile(deps, user, body.file, OBJECTION_FILE_PURPOSE);
    return fileObjection(deps, user, id, { ...input, fileIds: attached ? [attached.id] : [] });
  });
  projectAction('/projects/:id/award/accept', 'accepted', (user, id) => acceptAward(deps, user, id));
  projectAction('/projects/:id/award/decline', 'declined', (user, id, body) => declineAward(deps, user, id, validated(declineBody, { reason: body.reason ?? '' }).reason));

  routes.page({
    method: 'get', path: '/staff/objections', access: ['staff', 'admin'], query: objectionListQuery,
    handler: async ({ req, query, user }) => {
      const t: Translate = req.res!.locals.t;
      const status = query.status ?? 'pending';
      const items = await listObjectionQueue(deps, user!, status);
      const done = outcomeOf(req, 'done');
      return {
        view: 'awards/objections',
        data: {
          title: t('awards.queue.title'),
          csrfToken: csrfTokenFor(req),
          status,
          tabs: (['pending', 'decided'] as const).map((value) => ({ value, label: t(`awards.queue.tabs.${value}`), current: value === status })),
          items: items.map((item) => ({
            ...item,
            statusLabel: t(`awards.objectionStatus.${item.status}`),
            outcomeLabel: item.outcome ? t(`awards.outcomes.${item.outcome}`) : undefined,
            pending: item.status === 'pending',
          })),
          done: done && t(`awards.flash.${done}`),
          doneIsError: done !== undefined && !SUCCESS.has(done),
        },
      };
    },
  });

  routes.page({
    method: 'post', path: '/staff/objections/:id/decision', access: ['staff', 'admin'], params: objectionIdParams,
    handler: async ({ params, body, user }) => {
      const form = (body ?? {}) as Record<string, string | undefined>;
      let outcome = 'decided';
      try {
        const input = validated(objectionDecisionBody, { decision: form.decision ?? '', reason: form.reason ?? '', outcome: form.decision === 'uphold' ? form.outcome || undefined : undefined });
        await decideObjection(deps, user!, params.id, input);
      } catch (error) {
        outcome = codeOf(error);
      }
      return { redirect: `/staff/objections?done=${outcome}` };
    },
  });
}
