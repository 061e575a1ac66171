import type { Request } from 'express';
import type { FieldError } from '../errors.js';

/**
 * A form posted from a page block that redirects back (post/redirect/get) keeps what the user
 * typed and why it was refused across the redirect, for one showing. Files cannot be kept: the
 * form says to choose them again.
 */
export interface RememberedForm {
  values: Record<string, string>;
  errors: FieldError[];
}

declare module 'express-session' {
  interface SessionData {
    forms?: Record<string, RememberedForm>;
  }
}

export function rememberForm(req: Request, form: string, remembered: RememberedForm): void {
  if (!req.session) return;
  req.session.forms = { ...req.session.forms, [form]: remembered };
}

/** The form's remembered input, once: reading it forgets it. */
export function recallForm(req: Request, form: string): RememberedForm | undefined {
  const remembered = req.session?.forms?.[form];
  if (remembered && req.session.forms) {
    const { [form]: _recalled, ...rest } = req.session.forms;
    req.session.forms = rest;
  }
  return remembered;
}
