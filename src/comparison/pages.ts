import type { Request } from 'express';
import { csrfTokenFor } from '../auth/middleware.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError, type FieldError } from '../platform/errors.js';
import { formError, formErrors, parseForm, type FormErrors } from '../platform/http/forms.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { projectIdParams } from '../projects/schemas.js';
import { evaluateProposals, evaluationSheet } from './evaluation.js';
import { evaluationBody } from './schemas.js';
import { formatHundredths, formatMilli } from './scoring.js';
import { formulaLines } from './table.js';

type Form = Record<string, string | undefined>;
const OWNER = ['owner'] as const;
const tOf = (req: Request): Translate => req.res!.locals.t;

/** "27.5" → 27.5; anything but a number with at most one decimal → undefined. */
const planPointsOf = (text: string | undefined): number | undefined => {
  const trimmed = text?.trim() ?? '';
  return /^\d{1,3}(\.\d)?$/.test(trimmed) ? Number(trimmed) : undefined;
};

export function registerComparisonPages(routes: RouteTable, deps: PlatformDeps): void {
  /** The owner's evaluation form: one row per valid proposal. */
  const sheetPage = async (req: Request, id: number, values: Form = {}, errors?: FormErrors, status = 200): Promise<PageResult> => {
    const t = tOf(req);
    const { project, comparison, planOf, planFilesOf } = await evaluationSheet(deps, req.currentUser!, id);
    const rows = comparison.rows.map((row) => ({
      ...row,
      credit: formatHundredths(row.creditHundredths),
      price: formatMilli(row.priceScore),
      time: formatMilli(row.timeScore),
      creditPoints: formatMilli(row.creditScore),
      plan: planOf(row.firmId),
      planFiles: planFilesOf(row.firmId),
      planPoints: values[`planPoints-${row.firmId}`] ?? '',
      justification: values[`justification-${row.firmId}`] ?? '',
      planPointsError: errors?.byField[`planPoints-${row.firmId}`],
      justificationError: errors?.byField[`justification-${row.firmId}`],
    }));
    return {
      view: 'comparison/evaluate',
      status,
      data: {
        title: t('comparison.evaluate.title', { title: project.title }),
        csrfToken: csrfTokenFor(req),
        project,
        weights: comparison.weights,
        planCriteria: comparison.planCriteria ?? [],
        rows,
        errors,
        formula: formulaLines({ ...comparison, creditAt: comparison.creditAt }, t),
      },
    };
  };

  routes.page({
    method: 'get', path: '/projects/:id/evaluation', access: OWNER, params: projectIdParams,
    handler: ({ req, params }) => sheetPage(req, params.id),
  });

  routes.page({
    method: 'post', path: '/projects/:id/evaluation', access: OWNER, params: projectIdParams,
    handler: async ({ req, params, body, user }) => {
      const t = tOf(req);
      const form = body as Form;
      const { comparison } = await evaluationSheet(deps, user!, params.id);
      const max = comparison.weights.plan;
      const errors: FieldError[] = [];
      const firmIds = comparison.rows.map((row) => row.firmId);
      const nameOf = new Map(comparison.rows.map((row) => [row.firmId, row.name]));
      const scores = firmIds.map((firmId) => {
        const planPoints = planPointsOf(form[`planPoints-${firmId}`]);
        if (planPoints === undefined || planPoints > max) errors.push({ path: `planPoints-${firmId}`, message: 'is not a valid score', text: t('comparison.evaluate.errors.planPoints', { name: nameOf.get(firmId), max }) });
        return { firmId, planPoints: planPoints ?? 0, justification: form[`justification-${firmId}`] ?? '' };
      });
      const parsed = parseForm(evaluationBody, { scores });
      if (!parsed.ok) {
        for (const error of parsed.errors) {
          const match = /^scores\.(\d+)\.justification$/.exec(error.path);
          if (match) errors.push({ ...error, path: `justification-${firmIds[Number(match[1])]}`, text: t('comparison.evaluate.errors.justification', { name: nameOf.get(firmIds[Number(match[1])]!) }) });
        }
      }
      if (errors.length) return sheetPage(req, params.id, form, formErrors(errors, t, 'comparison.evaluate'), 400);
      try {
        await evaluateProposals(deps, user!, params.id, scores);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        return sheetPage(req, params.id, form, formErrors([formError(error)], t, 'comparison.evaluate'), 400);
      }
      return { redirect: `/projects/${params.id}?done=evaluated#comparison` };
    },
  });
}
