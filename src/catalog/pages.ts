import type { Request } from 'express';
import { csrfTokenFor } from '../auth/middleware.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError, type FieldError } from '../platform/errors.js';
import { isStaff, actorOf } from '../platform/http/access.js';
import { formErrors, parseForm, submitForm } from '../platform/http/forms.js';
import { errorText } from '../platform/i18n/error-text.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import { isUploadedFile } from '../platform/http/uploads.js';
import type { Translate } from '../platform/i18n/index.js';
import { formatFen, parseYuanToFen } from '../platform/money.js';
import { ImportRejected, importServiceItems, type ImportProblem, type ImportReport } from './import.js';
import {
  CATEGORIES,
  CATEGORY_KEYS,
  changedFields,
  contentOf,
  FEE_MODES,
  type FeeStandard,
  type ServiceContent,
  type ServiceItem,
  type ServiceStatus,
} from './model.js';
import { codeParams, createServiceSchema, listQuery, serviceContentSchema, workingCopiesQuery } from './schemas.js';
import * as catalog from './service.js';

type Form = Record<string, unknown>;

const STYLESHEETS = ['/assets/css/catalogue.css'];
/** What the item page may confirm after a redirect (?done=…). */
const DONE = ['created', 'saved', 'published', 'retired', 'discarded'] as const;
const PAGE_SIZE = 20;

const isStaffRequest = (req: Request) => isStaff(req.currentUser);

function view(req: Request, name: string, title: string, data: Record<string, unknown> = {}, status = 200): PageResult {
  return { view: name, status, data: { title, csrfToken: csrfTokenFor(req), stylesheets: STYLESHEETS, ...data } };
}

const tOf = (req: Request): Translate => req.res!.locals.t;

/** "¥1,000.00 – ¥60,000.00", "不超过 ¥8,000.00", "" for a market price without a reference range. */
function feeRange(fee: FeeStandard, t: Translate): string {
  if (fee.minFen !== null && fee.maxFen !== null) return t('catalog.fee.range', { min: formatFen(fee.minFen), max: formatFen(fee.maxFen) });
  if (fee.maxFen !== null) return t('catalog.fee.upTo', { max: formatFen(fee.maxFen) });
  if (fee.minFen !== null) return t('catalog.fee.from', { min: formatFen(fee.minFen) });
  return '';
}

/** What a template needs besides the item: translated labels computed once here. */
function display(content: ServiceContent, t: Translate) {
  return {
    ...content,
    categoryLabel: t(`catalog.categories.${CATEGORY_KEYS[content.category]}`),
    feeModeLabel: t(`catalog.feeModes.${content.fee.mode}`),
    feeRange: feeRange(content.fee, t),
  };
}

const displayItem = (item: ServiceItem, t: Translate) => ({
  ...display(item, t),
  code: item.code,
  status: item.status,
  statusLabel: t(`catalog.status.${item.status}`),
  version: item.version,
  publishedAt: item.publishedAt,
  retiredAt: item.retiredAt,
});

/** Links to the other pages of a result list, keeping the search. */
function pagination(base: string, params: Record<string, string | undefined>, page: number, total: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (target: number) => {
    const search = new URLSearchParams(Object.entries({ ...params, page: String(target) }).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return `${base}?${search.toString()}`;
  };
  return {
    page,
    pages,
    previous: page > 1 ? link(page - 1) : undefined,
    next: page < pages ? link(page + 1) : undefined,
  };
}

const yuanText = (fen: number | null) => (fen === null ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`);

/** The form's flat fields from content (amounts in yuan). */
function formValues(content: ServiceContent, code?: string): Record<string, string> {
  return {
    ...(code ? { code } : {}),
    name: content.name,
    category: content.category,
    basis: content.basis,
    timeLimitDays: String(content.timeLimitDays),
    feeMode: content.fee.mode,
    feeMin: yuanText(content.fee.minFen),
    feeMax: yuanText(content.fee.maxFen),
    feeBasis: content.fee.basis,
    qualificationRequirements: content.qualificationRequirements,
    relatedApproval: content.relatedApproval,
  };
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Form fields to the API's input; amounts typed in yuan become fen, or field errors. */
function inputFromForm(form: Form): { input: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const amount = (value: unknown, path: string): number | null => {
    const text = str(value).trim();
    if (!text) return null;
    const fen = parseYuanToFen(text);
    if (fen === undefined) errors.push({ path, message: 'must be an amount in yuan with at most two decimals' });
    return fen ?? null;
  };
  const days = str(form.timeLimitDays).trim();
  const input = {
    code: str(form.code),
    name: str(form.name),
    category: str(form.category),
    basis: str(form.basis),
    timeLimitDays: /^\d{1,6}$/.test(days) ? Number(days) : days === '' ? undefined : Number.NaN,
    fee: {
      mode: str(form.feeMode),
      minFen: amount(form.feeMin, 'fee.minFen'),
      maxFen: amount(form.feeMax, 'fee.maxFen'),
      basis: str(form.feeBasis),
    },
    qualificationRequirements: str(form.qualificationRequirements),
    relatedApproval: str(form.relatedApproval),
  };
  return { input, errors };
}

/** The error summary lists problems in the order the fields appear on the form. */
const FORM_ORDER = ['code', 'name', 'category', 'basis', 'timeLimitDays', 'fee.mode', 'fee.minFen', 'fee.maxFen', 'fee.basis', 'qualificationRequirements', 'relatedApproval'];
function formOrder(path: string): number {
  const rank = FORM_ORDER.indexOf(path);
  return rank === -1 ? FORM_ORDER.length : rank;
}

function mergeErrors(first: FieldError[], second: FieldError[]): FieldError[] {
  const seen = new Set(first.map((error) => error.path));
  return [...first, ...second.filter((error) => !seen.has(error.path))].sort((a, b) => formOrder(a.path) - formOrder(b.path));
}

/** A row problem in the reader's language; the API's English message is the fallback. */
function problemText(problem: ImportProblem, t: Translate): string {
  if (problem.kind === 'invalid') {
    return t(`catalog.pages.import.invalid.${problem.path}`, {
      defaultValue: t(`catalog.form.errors.${problem.path}`, { defaultValue: `${problem.path}: ${problem.message}` }),
    });
  }
  const field = problem.path === '(row)' ? t('catalog.pages.import.wholeRow') : t(`catalog.fields.${problem.path}`, { defaultValue: problem.path });
  return t(`catalog.pages.import.problems.${problem.kind}`, { field, row: problem.firstRow });
}

const formOptions = (t: Translate) => ({
  categories: CATEGORIES.map((value) => ({ value, label: t(`catalog.categories.${CATEGORY_KEYS[value]}`) })),
  feeModes: FEE_MODES.map((value) => ({ value, label: t(`catalog.feeModes.${value}`) })),
});

export function registerCatalogPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/services',
    access: 'public',
    query: listQuery,
    handler: async ({ req, query }) => {
      const t = tOf(req);
      const pageSize = Math.min(query.pageSize, PAGE_SIZE);
      const result = await catalog.searchPublishedServices(deps, { ...query, pageSize });
      return view(req, 'catalog/list', t('catalog.pages.list.title'), {
        items: result.items.map((item) => displayItem(item, t)),
        total: result.total,
        q: query.q ?? '',
        category: query.category ?? '',
        searched: Boolean(query.q || query.category),
        categories: formOptions(t).categories,
        pagination: pagination('/services', { q: query.q, category: query.category }, result.page, result.total, pageSize),
        staff: isStaffRequest(req),
      });
    },
  });

  routes.page({
    method: 'get',
    path: '/services/manage',
    access: ['staff', 'admin'],
    query: workingCopiesQuery,
    handler: async ({ req, query }) => {
      const t = tOf(req);
      const pageSize = Math.min(query.pageSize, PAGE_SIZE);
      const result = await catalog.searchWorkingCopies(deps, { ...query, pageSize });
      return view(req, 'catalog/manage', t('catalog.pages.manage.title'), {
        items: result.items.map((copy) => ({ ...displayItem(copy.item, t), hasRevision: copy.revision !== null })),
        total: result.total,
        q: query.q ?? '',
        status: query.status ?? '',
        statuses: (['draft', 'published', 'retired'] as ServiceStatus[]).map((value) => ({ value, label: t(`catalog.status.${value}`) })),
        pagination: pagination('/services/manage', { q: query.q, status: query.status }, result.page, result.total, pageSize),
      });
    },
  });

  const newForm = (req: Request, values: Record<string, string>, errors?: FieldError[], status = 200) => {
    const t = tOf(req);
    return view(
      req,
      'catalog/form',
      t('catalog.pages.new.title'),
      { creating: true, action: '/services/new', values, errors: errors && formErrors(errors, t, 'catalog.form'), ...formOptions(t) },
      status,
    );
  };

  routes.page({
    method: 'get',
    path: '/services/new',
    access: ['staff', 'admin'],
    handler: async ({ req }) => newForm(req, { feeMode: 'market', category: CATEGORIES[0] }),
  });

  routes.page({
    method: 'post',
    path: '/services/new',
    access: ['staff', 'admin'],
    handler: async ({ req, body, user }) => {
      const form = body as Form;
      const { input, errors } = inputFromForm(form);
      const parsed = parseForm(createServiceSchema, input);
      const outcome =
        parsed.ok && errors.length === 0
          ? await submitForm(() => catalog.createServiceItem(deps, actorOf(user), parsed.value))
          : { ok: false as const, errors: mergeErrors(errors, parsed.ok ? [] : parsed.errors) };
      if (!outcome.ok) return newForm(req, Object.fromEntries(Object.entries(form).map(([key, value]) => [key, str(value)])), outcome.errors, 400);
      return { redirect: `/services/${encodeURIComponent(outcome.value.item.code)}?done=created` };
    },
  });

  const importPage = (req: Request, extra: { report?: ImportReport; rejected?: boolean; fileError?: string } = {}, status = 200) => {
    const t = tOf(req);
    const report = extra.report;
    const rows = report ? (extra.rejected ? report.rows.filter((row) => row.status === 'error') : report.rows) : [];
    return view(
      req,
      'catalog/import',
      t('catalog.pages.import.title'),
      {
        report,
        rejected: extra.rejected ?? false,
        rows: rows.map((row) => ({ row: row.row, code: row.code, ok: row.status === 'ok', problems: row.errors.map((problem) => problemText(problem, t)) })),
        failedRows: report?.rows.filter((row) => row.status === 'error').length ?? 0,
        errors: extra.fileError
          ? { summary: [{ href: '#field-file', text: extra.fileError }], byField: { file: extra.fileError } }
          : undefined,
      },
      status,
    );
  };

  routes.page({
    method: 'get',
    path: '/services/import',
    access: ['staff', 'admin'],
    handler: async ({ req }) => importPage(req),
  });

  routes.page({
    method: 'post',
    path: '/services/import',
    access: ['staff', 'admin'],
    handler: async ({ req, body, user }) => {
      const file = (body as Form).file;
      const t = tOf(req);
      if (!isUploadedFile(file) || file.data.length === 0) {
        return importPage(req, { fileError: t('catalog.pages.import.noFile') }, 400);
      }
      try {
        return importPage(req, { report: await importServiceItems(deps, actorOf(user), file.data) }, 201);
      } catch (error) {
        if (error instanceof ImportRejected) return importPage(req, { report: error.report, rejected: true }, 422);
        if (error instanceof AppError && error.status < 500) {
          return importPage(req, { fileError: t('catalog.pages.import.unreadable', { detail: error.message }) }, error.status);
        }
        throw error;
      }
    },
  });

  const itemPage = async (req: Request, code: string, extra: Record<string, unknown> = {}, status = 200) => {
    const t = tOf(req);
    const staff = isStaffRequest(req);
    const copy = staff ? await catalog.getWorkingCopy(deps, code) : undefined;
    const detail = !copy || copy.item.version > 0 ? await catalog.getPublicService(deps, code) : undefined;
    const item: ServiceItem = copy?.item ?? detail!;
    return view(
      req,
      'catalog/item',
      item.name,
      {
        item: displayItem(item, t),
        history: (detail?.history ?? [])
          .map((version) => ({
            version: version.version,
            publishedAt: version.publishedAt,
            first: version.version === 1,
            changes: version.changedFields.map((field) => t(`catalog.fields.${field}`)).join('、'),
          }))
          .reverse(),
        staff,
        revision: copy?.revision ? display(copy.revision, t) : undefined,
        revisionChanges: copy?.revision
          ? changedFields(contentOf(item), copy.revision).map((field) => t(`catalog.fields.${field}`)).join('、')
          : undefined,
        nextVersion: item.version + 1,
        canPublish: copy ? item.status === 'draft' || (item.status === 'published' && copy.revision !== null) : false,
        canRetire: copy ? item.status !== 'retired' : false,
        canEdit: copy ? item.status !== 'retired' : false,
        done: DONE.find((value) => value === req.query.done),
        ...extra,
      },
      status,
    );
  };

  routes.page({
    method: 'get',
    path: '/services/:code',
    access: 'public',
    params: codeParams,
    handler: async ({ req, params }) => itemPage(req, params.code),
  });

  const editForm = (req: Request, code: string, values: Record<string, string>, extra: { errors?: FieldError[]; published?: boolean } = {}, status = 200) => {
    const t = tOf(req);
    return view(
      req,
      'catalog/form',
      t('catalog.pages.edit.title', { code }),
      {
        creating: false,
        code,
        published: extra.published ?? false,
        action: `/services/${encodeURIComponent(code)}/edit`,
        values,
        errors: extra.errors && formErrors(extra.errors, t, 'catalog.form'),
        ...formOptions(t),
      },
      status,
    );
  };

  routes.page({
    method: 'get',
    path: '/services/:code/edit',
    access: ['staff', 'admin'],
    params: codeParams,
    handler: async ({ req, params }) => {
      const copy = await catalog.getWorkingCopy(deps, params.code);
      if (copy.item.status === 'retired') return { redirect: `/services/${encodeURIComponent(params.code)}` };
      return editForm(req, params.code, formValues(copy.revision ?? copy.item), { published: copy.item.status === 'published' });
    },
  });

  routes.page({
    method: 'post',
    path: '/services/:code/edit',
    access: ['staff', 'admin'],
    params: codeParams,
    handler: async ({ req, params, body, user }) => {
      const form = body as Form;
      const { input, errors } = inputFromForm(form);
      const parsed = parseForm(serviceContentSchema, input);
      const outcome =
        parsed.ok && errors.length === 0
          ? await submitForm(() => catalog.editServiceItem(deps, actorOf(user), params.code, parsed.value as ServiceContent))
          : { ok: false as const, errors: mergeErrors(errors, parsed.ok ? [] : parsed.errors) };
      if (!outcome.ok) {
        const values = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, str(value)]));
        const copy = await catalog.getWorkingCopy(deps, params.code);
        return editForm(req, params.code, values, { errors: outcome.errors, published: copy.item.status === 'published' }, 400);
      }
      return { redirect: `/services/${encodeURIComponent(params.code)}?done=saved` };
    },
  });

  /** Publish, retire and discard: buttons on the item page; a refusal (409) re-renders it with the reason. */
  const action = (path: string, done: string, run: (actor: string, code: string) => Promise<unknown>) =>
    routes.page({
      method: 'post',
      path: `/services/:code/${path}`,
      access: ['staff', 'admin'],
      params: codeParams,
      handler: async ({ req, params, user }) => {
        try {
          await run(actorOf(user), params.code);
        } catch (error) {
          if (error instanceof AppError && error.status === 409) {
            return itemPage(req, params.code, { refusal: tOf(req)(`catalog.pages.item.refusals.${error.code}`, { defaultValue: errorText(tOf(req), error) }) }, 409);
          }
          throw error;
        }
        return { redirect: `/services/${encodeURIComponent(params.code)}?done=${done}` };
      },
    });

  action('publish', 'published', (actor, code) => catalog.publishServiceItem(deps, actor, code));
  action('retire', 'retired', (actor, code) => catalog.retireServiceItem(deps, actor, code));
  action('revision/discard', 'discarded', (actor, code) => catalog.discardRevision(deps, actor, code));
}
