import type { AppError, FieldError } from '../errors.js';
import { formatFen } from '../money.js';
import { formatBeijing } from '../time.js';
import { languageOf, type Translate } from './index.js';

/**
 * Errors in the reader's language. API clients get the stable `code` and an English `message`;
 * a page shows `errors.codes.<code>` (a service error) or `errors.validation.<issue>` (a schema
 * issue) with the error's figures formatted for people: fen as yuan, instants as Beijing time.
 */

function formatParams(t: Translate, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const formatted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (name.endsWith('Fen') && typeof value === 'number' && Number.isSafeInteger(value)) formatted[name] = formatFen(value);
    else if (name.endsWith('At') && (value instanceof Date || typeof value === 'string')) formatted[name] = formatBeijing(new Date(value), languageOf(t));
    else if (name === 'status' && typeof value === 'string') formatted[name] = t(`projects.status.${value}`, { defaultValue: value });
    else formatted[name] = value;
  }
  return formatted;
}

/**
 * The key of a literal English field message (`is above the upper limit` →
 * `is_above_the_upper_limit`): schemas and services name a field's problem in English once, and
 * `errors.messages` says it in each language.
 */
export const messageKey = (message: string) =>
  message
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 80);

/** A service error as a sentence for the page. */
export function errorText(t: Translate, error: Pick<AppError, 'code' | 'params' | 'status'>): string {
  return t(`errors.codes.${error.code}`, {
    ...formatParams(t, error.params),
    defaultValue: t(error.status >= 500 ? 'errors.generic.server' : 'errors.generic.request'),
  });
}

/** One field's problem as a phrase for the message next to it. */
export function fieldErrorText(t: Translate, error: FieldError): string {
  const params = formatParams(t, error.params);
  if (error.issue && error.issue !== 'custom') {
    const origin = typeof error.params?.origin === 'string' ? error.params.origin : undefined;
    const keys = [...(origin ? [`errors.validation.${error.issue}_${origin}`] : []), `errors.validation.${error.issue}`];
    return t(keys, { ...params, defaultValue: t('errors.validation.invalid') });
  }
  return t(`errors.messages.${messageKey(error.message)}`, { ...params, defaultValue: t('errors.validation.invalid') });
}
