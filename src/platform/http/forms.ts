import type { ZodType } from 'zod';
import { AppError, fieldErrorsFromZod, type FieldError } from '../errors.js';
import { errorText, fieldErrorText } from '../i18n/error-text.js';
import type { Translate } from '../i18n/index.js';

export interface FormErrors {
  /** For the error summary at the top: each links to its field (#id). */
  summary: { href: string; text: string }[];
  /** Per field path, for the message next to the input. */
  byField: Record<string, string>;
}

export const fieldId = (path: string) => `field-${path.replace(/\./g, '-')}`;

/** A field's problem, or the whole form's (a service error's code), in the reader's language. */
export function describeFieldError(t: Translate, error: FieldError): string {
  if (error.text) return error.text;
  return error.code ? errorText(t, { code: error.code, params: error.params, status: 400 }) : fieldErrorText(t, error);
}

/** Field errors in the user's language: `<page>.errors.<path>` when the page defines one. */
export function formErrors(errors: FieldError[], t: Translate, pageKey: string): FormErrors {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const path = error.path.replace(/^body\./, '');
    // a page's own words for a field say what to type; a service refusal (with its code) says why
    byField[path] ??= error.code || error.text ? describeFieldError(t, error) : t(`${pageKey}.errors.${path}`, { defaultValue: describeFieldError(t, error) });
  }
  return {
    summary: Object.entries(byField).map(([path, text]) => ({ href: `#${fieldId(path)}`, text })),
    byField,
  };
}

export type FormOutcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function parseForm<T>(schema: ZodType<T>, input: unknown): FormOutcome<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrorsFromZod(result.error) };
}

/** A service error that concerns the whole form rather than one field. */
export const formError = (error: AppError): FieldError => ({ path: '(form)', message: error.message, code: error.code, ...(error.params ? { params: error.params } : {}) });

/** Runs a service call for a form; a 4xx with field errors becomes form errors, else rethrows. */
export async function submitForm<T>(run: () => Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 429 && error.status !== 403) {
      return { ok: false, errors: error.errors ?? [formError(error)] };
    }
    throw error;
  }
}
