import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { csrfTokenFor } from '../auth/middleware.js';
import { listPublishedForExport } from '../catalog/service.js';
import type { RuleFailure } from '../firms/eligibility.js';
import { listFirms } from '../firms/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError, type FieldError } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { formError, formErrors, parseForm, type FormErrors } from '../platform/http/forms.js';
import { errorText } from '../platform/i18n/error-text.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { parseYuanToFen } from '../platform/money.js';
import { selectDirectly } from '../selection/direct.js';
import { comparisonForPage } from '../comparison/table.js';
import { weightsFromForm } from '../comparison/form.js';
import { PLAN_FILE_PURPOSE } from '../comparison/proposals.js';
import { storeFormFile } from '../platform/files/service.js';
import { mySubmission, openedSubmissions, submitSealed } from '../selection/submissions.js';
import { questionsBlock } from '../questions/pages.js';
import { awardBlock } from '../awards/pages.js';
import { contractsBlock } from '../contracts/pages.js';
import { scheduleDeadlines } from './jobs.js';
import { getProject, listAnnouncements, listProjects } from './queries.js';
import { listRegistrants, myRegistration, registerForProject, withdrawRegistration } from './registration.js';
import { chooseFromShortlist } from '../selection/lottery-options.js';
import { directSelectionBody, ownerChoiceBody, METHODS, PROJECT_STATUSES, projectIdParams, projectTermsSchema, reasonBody, registrationBody } from './schemas.js';
import { cancelProject, cloneProject, createProject, LOTTERY_METHODS, publishProject, SEALED_METHODS } from './service.js';
import { text } from '../platform/text.js';

type Form = Record<string, string | undefined>;

const OWNER = ['owner'] as const;
const AGENCY = ['agency'] as const;
/** What a project page may confirm after a redirect (?done=…). */
const DONE = ['created', 'published', 'cancelled', 'registered', 'withdrawn', 'submitted', 'selected', 'cloned', 'evaluated', 'chosen'] as const;

const blank = (value: unknown) => (value === '' ? undefined : value);
const listQuery = pageQuery.extend({
  status: z.preprocess(blank, z.enum(PROJECT_STATUSES).optional()),
  method: z.preprocess(blank, z.enum(METHODS).optional()),
  service: z.preprocess(blank, text().trim().max(32).optional()),
});
const detailQuery = z.object({ done: z.enum(DONE).optional() }).loose();

const tOf = (req: Request): Translate => req.res!.locals.t;

function view(req: Request, name: string, title: string, data: Record<string, unknown> = {}, status = 200): PageResult {
  return { view: name, status, data: { title, csrfToken: csrfTokenFor(req), ...data } };
}

/** Words for the codes a project carries, computed once here so templates stay simple. */
function labelled<T extends { status: string; method: string }>(project: T, t: Translate) {
  return { ...project, statusLabel: t(`projects.status.${project.status}`), methodLabel: t(`projects.methods.${project.method}`) };
}

/** Page links keeping the filters. */
function pagination(base: string, params: Record<string, string | undefined>, page: number, total: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (target: number) => {
    const search = new URLSearchParams(Object.entries({ ...params, page: String(target) }).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return `${base}?${search.toString()}`;
  };
  return { page, pages, previous: page > 1 ? link(page - 1) : undefined, next: page < pages ? link(page + 1) : undefined };
}

/** A service refusal shown on the page it came from, instead of an error page. */
interface Refusal {
  form: string;
  message: string;
  failures?: string[];
  errors?: FormErrors;
}

function refusalOf(error: unknown, form: string, t: Translate, pageKey: string): Refusal {
  if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 429) throw error;
  const failures = (error.extensions?.failures as RuleFailure[] | undefined)?.map((failure) => t(`projects.rules.${failure.rule}`, { defaultValue: failure.message }));
  const message = failures ? t('projects.show.notEligible') : t(`projects.errors.${error.code}`, { defaultValue: errorText(t, error) });
  const errors = error.errors?.map((e) => ({ ...e, path: formPath(e.path) }));
  return { form, message, failures, errors: errors ? formErrors(errors, t, pageKey) : undefined };
}

// --- the new-project form -------------------------------------------------------------------

const FORM_PATHS: Record<string, string> = {
  budgetFen: 'budget',
  'registrationCloses.workingDays': 'registrationDays',
  registrationCloses: 'registrationDays',
  'submissionCloses.workingDays': 'submissionDays',
  submissionCloses: 'submissionDays',
  'options.drawCount': 'drawCount',
  'options.weights': 'weights',
  'options.weights.price': 'weights',
  'options.weights.credit': 'weights',
  'options.weights.time': 'weights',
  'options.weights.plan': 'weights',
  'options.creditShortlist': 'creditShortlist',
  'options.ownerChoiceShortlist': 'ownerChoiceShortlist',
  amountFen: 'amount',
  discountRateBp: 'discountRate',
};
const formPath = (path: string) => {
  const bare = path.replace(/^body\./, '');
  return FORM_PATHS[bare] ?? bare;
};

const wholeNumber = (text: string | undefined): number | undefined => {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return /^\d{1,4}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
};

/** The form's flat fields (budget in yuan, deadlines in working days) to the service's terms. */
function termsFromForm(form: Form): { terms?: z.infer<typeof projectTermsSchema>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const budgetText = form.budget?.trim() ?? '';
  const budgetFen = budgetText ? parseYuanToFen(budgetText) : undefined;
  if (budgetFen === undefined) errors.push({ path: 'budget', message: budgetText ? 'invalid' : 'required' });
  const method = form.method ?? '';
  const sealed = SEALED_METHODS.has(method);
  const drawCount = method === 'lottery_inquiry' ? wholeNumber(form.drawCount) : undefined;
  const lotteryOptions = LOTTERY_METHODS.has(method)
    ? {
        ...(form.creditShortlist?.trim() ? { creditShortlist: wholeNumber(form.creditShortlist) } : {}),
        ...(form.creditWeighted === 'on' ? { creditWeighted: true } : {}),
        ...(method === 'lottery' && form.ownerChoiceShortlist?.trim() ? { ownerChoiceShortlist: wholeNumber(form.ownerChoiceShortlist) } : {}),
      }
    : {};
  const input = {
    serviceCode: form.serviceCode ?? '',
    title: form.title ?? '',
    description: form.description ?? '',
    budgetFen: budgetFen ?? 1,
    method,
    winners: wholeNumber(form.winners),
    minRespondents: wholeNumber(form.minRespondents),
    registrationCloses: { workingDays: wholeNumber(form.registrationDays) ?? Number.NaN },
    submissionCloses: sealed ? { workingDays: wholeNumber(form.submissionDays) ?? Number.NaN } : undefined,
    options: { ...(drawCount !== undefined ? { drawCount } : {}), ...lotteryOptions, ...(method === 'comparison' ? { weights: weightsFromForm(form) } : {}) },
  };
  const parsed = parseForm(projectTermsSchema, input);
  if (!parsed.ok) errors.push(...parsed.errors);
  return { terms: parsed.ok && errors.length === 0 ? parsed.value : undefined, errors: errors.map((error) => ({ ...error, path: formPath(error.path) })) };
}

/** Field errors in words: the page's own message per field, the service's fee-standard refusals by kind. */
function newProjectErrors(errors: FieldError[], t: Translate): FormErrors {
  const worded = errors.map((error) => {
    if (error.path === 'budget' && /exceeds/.test(error.message)) return { ...error, text: t('projects.new.errors.budgetAboveFee') };
    if (error.path === 'budget' && /below/.test(error.message)) return { ...error, text: t('projects.new.errors.budgetBelowFee') };
    if (error.path === 'serviceCode' && /No published/.test(error.message)) return { ...error, text: t('projects.new.errors.serviceCode') };
    return error;
  });
  return formErrors(worded, t, 'projects.new');
}

/** The sealed-quote form: multipart when it carries a plan file (app.ts parses it before the CSRF check). */
export const SUBMISSION_PAGE = '/projects/:id/submission';

export function registerProjectPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/projects',
    access: 'public',
    query: listQuery,
    handler: async ({ req, query, user }) => {
      const t = tOf(req);
      const result = await listProjects(deps, user, query, query);
      return view(req, 'projects/list', t('projects.list.title'), {
        items: result.items.map((item) => labelled(item, t)),
        total: result.total,
        query,
        statuses: PROJECT_STATUSES.filter((status) => status !== 'draft').map((value) => ({ value, label: t(`projects.status.${value}`) })),
        methods: METHODS.map((value) => ({ value, label: t(`projects.methods.${value}`) })),
        pagination: pagination('/projects', { status: query.status, method: query.method, service: query.service }, query.page, result.total, result.pageSize),
      });
    },
  });

  routes.page({
    method: 'get',
    path: '/projects/mine',
    access: OWNER,
    query: pageQuery,
    handler: async ({ req, query, user }) => {
      const t = tOf(req);
      const result = await listProjects(deps, user, { mine: true }, query);
      return view(req, 'projects/mine', t('projects.mine.title'), {
        items: result.items.map((item) => labelled(item, t)),
        total: result.total,
        pagination: pagination('/projects/mine', {}, query.page, result.total, result.pageSize),
      });
    },
  });

  const newPage = async (req: Request, values: Form, errors?: FormErrors, status = 200) => {
    const t = tOf(req);
    const services = (await listPublishedForExport(deps)).map((item) => ({ code: item.code, name: item.name }));
    return view(req, 'projects/new', t('projects.new.title'), {
      values,
      errors,
      services,
      methods: METHODS.map((value) => ({ value, label: t(`projects.methods.${value}`), hint: t(`projects.methodHints.${value}`) })),
    }, status);
  };

  routes.page({
    method: 'get',
    path: '/projects/new',
    access: OWNER,
    handler: ({ req }) => newPage(req, { method: 'inquiry', winners: '1', minRespondents: '3', registrationDays: '5', submissionDays: '3', drawCount: '3', serviceCode: typeof req.query.service === 'string' ? req.query.service : '' }),
  });

  routes.page({
    method: 'post',
    path: '/projects/new',
    access: OWNER,
    handler: async ({ req, body, user }) => {
      const t = tOf(req);
      const form = body as Form;
      const { terms, errors } = termsFromForm(form);
      if (!terms) return newPage(req, form, newProjectErrors(errors, t), 400);
      try {
        const project = await createProject(deps, user!, terms);
        return { redirect: `/projects/${project.id}?done=created` };
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        const fieldErrors = (error.errors ?? [formError(error)]).map((e) => ({ ...e, path: formPath(e.path) }));
        return newPage(req, form, newProjectErrors(fieldErrors, t), 400);
      }
    },
  });

  /** The project page: what everyone sees, plus the owner's, staff's or firm's own part. */
  const detailPage = async (req: Request, id: number, extra: { refusal?: Refusal; values?: Form; done?: string } = {}, status = 200): Promise<PageResult> => {
    const t = tOf(req);
    const user = req.currentUser;
    const project = await getProject(deps, user, id);
    const owner = user?.role === 'owner' && user.organizationId === project.ownerId;
    const staff = isStaff(user);
    const result = (project.result ?? null) as null | {
      kind?: string;
      ranking?: { rank: number; firmId: number; name: string; uscc: string; amountFen?: number; promisedDays?: number; plan?: string; flags?: string[]; receivedAt?: string; receiptHash?: string }[];
      winners?: number[];
      drawn?: number[];
      order?: { firmId: number; name: string }[];
      invalid?: { firmId: number; name: string; amountFen: number; reason: string }[];
      tampered?: { submissionId: number; firmId: number; reason: string }[];
      reason?: string;
      publicityEndsAt?: string | null;
      openedAt?: string;
    };

    let registrants: Awaited<ReturnType<typeof listRegistrants>> | undefined;
    let registrantsConfidential: string | undefined;
    if (project.status !== 'draft' && project.method !== 'direct') {
      try {
        registrants = await listRegistrants(deps, user, id);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 403) throw error;
        registrantsConfidential = t(error.code === 'registrants_sealed' ? 'projects.show.registrantsSealed' : 'projects.show.registrantsConfidential');
      }
    }

    // the opening: every price for everyone; the owner and staff also read plans
    let opening: { ranking: NonNullable<NonNullable<typeof result>['ranking']>; invalid: NonNullable<NonNullable<typeof result>['invalid']>; tampered: NonNullable<NonNullable<typeof result>['tampered']>; openedAt?: string } | undefined;
    if (result?.kind === 'opening') {
      opening = { ranking: result.ranking ?? [], invalid: result.invalid ?? [], tampered: result.tampered ?? [], openedAt: result.openedAt };
      if (owner || staff) {
        const full = await openedSubmissions(deps, user, id);
        opening = { ranking: full.ranking as typeof opening.ranking, invalid: full.invalid ?? [], tampered: full.tampered ?? [], openedAt: full.openedAt };
      }
    }
    const winners = new Set(result?.winners ?? []);
    const ranking = (opening?.ranking ?? (result?.kind === 'lottery' || result?.kind === 'direct' || result?.kind === 'auction' ? result.ranking ?? [] : [])).map((entry) => ({
      ...entry,
      winner: winners.has(entry.firmId),
      flagLabels: (entry.flags ?? []).map((flag) => t(`projects.flags.${flag}`, { defaultValue: flag })),
    }));
    const tamperedNames = new Map((registrants ?? []).map((r) => [r.firmId, r.name]));

    // the firm's own registration and sealed submission
    const firm = user?.role === 'agency' && user.organizationId ? user.organizationId : undefined;
    let registration: Awaited<ReturnType<typeof myRegistration>> | undefined;
    let submission: Awaited<ReturnType<typeof mySubmission>> | undefined;
    if (firm && project.status !== 'draft') {
      registration = await myRegistration(deps, user!, id).catch(ignoreNotFound);
      if (SEALED_METHODS.has(project.method)) submission = await mySubmission(deps, user!, id).catch(ignoreNotFound);
    }
    const drawnHere = project.method !== 'lottery_inquiry' || (result?.drawn ?? []).includes(firm ?? -1);

    const comparison = project.method === 'comparison' && result?.kind === 'opening' ? await comparisonForPage(deps, user, id, t) : undefined;
    const announcements = project.status === 'draft' ? { items: [] } : await listAnnouncements(deps, { page: 1, pageSize: 50 }, id);
    const directCandidates = owner && project.method === 'direct' && project.status === 'registering'
      ? (await listFirms(deps, user, { service: project.serviceCode }, { page: 1, pageSize: 100 })).items.map((f) => ({ id: f.id, name: f.name, uscc: f.uscc }))
      : [];
    const refusal = extra.refusal;

    return view(req, 'projects/show', project.title, {
      project: labelled(project, t),
      isOwner: owner,
      isStaff: staff,
      isFirm: Boolean(firm),
      done: extra.done,
      doneText: extra.done ? t(`projects.show.done.${extra.done}`) : undefined,
      isLotteryMethod: LOTTERY_METHODS.has(project.method),
      isSealed: SEALED_METHODS.has(project.method),
      isDirect: project.method === 'direct',
      isBidding: project.method === 'bidding' && project.status !== 'draft',
      isComparison: project.method === 'comparison',
      isDiscount: project.quoteMode === 'discount',
      registrants: registrants?.map((r) => ({ ...r, statusLabel: t(`projects.registrationStatus.${r.status}`, { defaultValue: r.status }) })),
      registrantsConfidential,
      opening: opening && {
        ...opening,
        invalid: opening.invalid.map((row) => ({ ...row, reasonLabel: t(`projects.invalidReasons.${row.reason}`, { defaultValue: row.reason }) })),
        tampered: opening.tampered.map((row) => ({ ...row, name: tamperedNames.get(row.firmId) ?? `#${row.firmId}` })),
      },
      ranking,
      showPlans: owner || staff,
      comparison,
      canEvaluate: owner && project.status === 'evaluating',
      resultKind: result?.kind,
      directReason: result?.kind === 'direct' ? result.reason : undefined,
      drawnFirms: result?.kind === 'drawn' ? (result.order ?? []).filter((entry) => (result.drawn ?? []).includes(entry.firmId)) : [],
      publicityEndsAt: result?.publicityEndsAt,
      announcements: announcements.items,
      registration,
      submission,
      canRegister: Boolean(firm) && project.status === 'registering' && project.method !== 'direct' && !registration,
      canWithdraw: Boolean(registration) && project.status === 'registering',
      canSubmit: Boolean(registration) && project.status === 'submitting' && drawnHere,
      notDrawn: Boolean(registration) && project.status === 'submitting' && !drawnHere,
      canPublish: owner && project.status === 'draft',
      canCancel: owner && ['draft', 'registering', 'submitting', 'drawing', 'choosing', 'evaluating'].includes(project.status),
      canClone: owner && (project.status === 'failed' || project.status === 'cancelled'),
      canSelectDirectly: owner && project.method === 'direct' && project.status === 'registering',
      canChoose: owner && project.status === 'choosing',
      shortlist: (project.status === 'choosing' ? (result as { shortlist?: { firmId: number; name: string; uscc: string }[] } | null)?.shortlist ?? [] : []).map((entry) => ({
        ...entry,
        picked: ([] as unknown[]).concat(extra.values?.firmIds ?? []).map(String).includes(String(entry.firmId)),
      })),
      choosesOne: project.winners === 1,
      ownerChoiceReason: (result as { ownerChoice?: { reason: string } } | null)?.ownerChoice?.reason,
      directCandidates,
      refusal,
      refusalFor: refusal ? { [refusal.form]: refusal } : {},
      values: extra.values ?? {},
      idempotencyKey: randomUUID(),
      questions: await questionsBlock(deps, req, project),
      award: await awardBlock(deps, req, project),
      contracts: await contractsBlock(deps, req, project),
    }, status);
  };

  routes.page({
    method: 'get',
    path: '/projects/:id',
    access: 'public',
    params: projectIdParams,
    query: detailQuery,
    handler: ({ req, params, query }) => detailPage(req, params.id, { done: query.done }),
  });

  /** A command from the project page: redirect on success, the same page with the refusal otherwise. */
  const action = <T>(
    path: string,
    access: typeof OWNER | typeof AGENCY,
    form: string,
    run: (input: { user: CurrentUser; id: number; body: Form; req: Request }) => Promise<T>,
    done: (typeof DONE)[number] | ((value: T, id: number) => string),
  ) =>
    routes.page({
      method: 'post',
      path,
      access,
      params: projectIdParams,
      handler: async ({ req, params, body, user }) => {
        const t = tOf(req);
        try {
          const value = await run({ user: user!, id: params.id, body: body as Form, req });
          return { redirect: typeof done === 'function' ? done(value, params.id) : `/projects/${params.id}?done=${done}#${form}` };
        } catch (error) {
          if (error instanceof AppError && error.status === 404) throw error;
          const refusal = refusalOf(error, form, t, `projects.forms.${form}`);
          return detailPage(req, params.id, { refusal, values: body as Form }, (error as AppError).status);
        }
      },
    });

  const validated = <T>(schema: z.ZodType<T>, input: unknown, rename: Record<string, string> = {}): T => {
    const parsed = parseForm(schema, input);
    if (!parsed.ok) throw new AppError(400, 'validation_failed', 'The form is not valid', parsed.errors.map((e) => ({ ...e, path: rename[e.path] ?? e.path })));
    return parsed.value;
  };

  action('/projects/:id/publish', OWNER, 'publish', async ({ user, id }) => {
    const project = await publishProject(deps, user, id);
    await scheduleDeadlines(deps, project);
  }, 'published');
  action('/projects/:id/cancel', OWNER, 'cancel', ({ user, id, body }) => cancelProject(deps, user, id, validated(reasonBody, body).reason), 'cancelled');
  action('/projects/:id/clone', OWNER, 'clone', ({ user, id }) => cloneProject(deps, user, id), (copy) => `/projects/${copy.id}?done=cloned`);
  action('/projects/:id/direct-selection', OWNER, 'direct', ({ user, id, body }) => {
    const input = validated(directSelectionBody, { firmId: wholeNumber(body.firmId) ?? Number.NaN, reason: body.selectionReason ?? '' }, { reason: 'selectionReason' });
    return selectDirectly(deps, user, id, input.firmId, input.reason);
  }, 'selected');
  action('/projects/:id/owner-choice', OWNER, 'choice', ({ user, id, body }) => {
    const picked = ([] as unknown[]).concat(body.firmIds ?? []).map((value) => wholeNumber(String(value)) ?? Number.NaN);
    const input = validated(ownerChoiceBody, { firmIds: picked, reason: body.choiceReason ?? '' }, { reason: 'choiceReason' });
    return chooseFromShortlist(deps, user, id, input.firmIds, input.reason);
  }, 'chosen');
  action('/projects/:id/register', AGENCY, 'register', ({ user, id, body }) => registerForProject(deps, user, id, validated(registrationBody, { entropy: body.entropy ?? undefined }).entropy), 'registered');
  action('/projects/:id/withdraw', AGENCY, 'withdraw', ({ user, id }) => withdrawRegistration(deps, user, id), 'withdrawn');
  action(SUBMISSION_PAGE, AGENCY, 'submission', async ({ user, id, body }) => {
    const quote = quoteFromForm(body);
    // the plan file of a comparison proposal: stored first, then sealed with the quote that names it
    const planFile = await storeFormFile(deps, user, (body as Record<string, unknown>).file, PLAN_FILE_PURPOSE);
    return submitSealed(deps, user, id, { ...quote, ...(planFile ? { planFileIds: [planFile.id] } : {}) }, idempotencyKeyOf(body.idempotencyKey));
  }, 'submitted');
}

function ignoreNotFound(error: unknown): undefined {
  if (error instanceof AppError && error.status === 404) return undefined;
  throw error;
}

const idempotencyKeyOf = (value: string | undefined) => (value && /^[\w.:-]{1,100}$/.test(value) ? value : undefined);

/** A sealed quote from the form: an amount in yuan, or a discount rate in percent (下浮率). */
function quoteFromForm(form: Form) {
  const errors: FieldError[] = [];
  const amountText = form.amount?.trim();
  const rateText = form.discountRate?.trim();
  let amountFen: number | undefined;
  let discountRateBp: number | undefined;
  if (rateText !== undefined) {
    const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(rateText);
    discountRateBp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
    if (discountRateBp === undefined || discountRateBp > 10_000) errors.push({ path: 'discountRate', message: 'invalid' });
  } else {
    amountFen = amountText ? parseYuanToFen(amountText) : undefined;
    if (!amountFen) errors.push({ path: 'amount', message: 'invalid' });
  }
  const promisedDays = wholeNumber(form.promisedDays);
  if (promisedDays !== undefined && !(promisedDays >= 1)) errors.push({ path: 'promisedDays', message: 'invalid' });
  if (errors.length) throw new AppError(400, 'validation_failed', 'The form is not valid', errors);
  const plan = form.plan?.trim();
  return { amountFen, discountRateBp, promisedDays, plan: plan ? plan : undefined };
}
