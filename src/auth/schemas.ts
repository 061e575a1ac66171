import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, passwordMessage, passwordProblem } from './passwords.js';
import { USCC_MESSAGES, usccProblem } from './uscc.js';
import { ROLES } from '../platform/http/access.js';
import { entityId, text } from '../platform/text.js';

/** 项目业主 or 中介机构: who registers themselves. */
export const ORGANIZATION_KINDS = ['owner', 'agency'] as const;

export const usernameSchema = text()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, _ . -');

export const usccSchema = text()
  .trim()
  .transform((value) => value.toUpperCase())
  .superRefine((value, context) => {
    const problem = usccProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: USCC_MESSAGES[problem] });
  })
  .describe('统一社会信用代码: 18 characters, GB 32100-2015 check character');

const phoneSchema = text()
  .trim()
  .regex(/^(\+?86[- ]?)?(1\d{10}|0\d{2,3}-?\d{7,8})$/, 'must be a mainland mobile or landline number');

export const newPasswordSchema = text().max(MAX_PASSWORD_LENGTH);

function refinePassword<T extends { password?: string; username?: string; organization?: { name?: string } }>(value: T, context: z.RefinementCtx, field = 'password') {
  if (value.password === undefined) return;
  const problem = passwordProblem(value.password, value.username, value.organization?.name ? [value.organization.name] : []);
  if (problem) context.addIssue({ code: 'custom', path: [field], message: passwordMessage(problem) });
}

export const organizationSchema = z.object({
  name: text().trim().min(2).max(200),
  uscc: usccSchema,
  contactName: text().trim().min(1).max(50),
  contactPhone: phoneSchema,
  email: z.email().max(200).optional(),
});

export const registerSchema = z
  .object({
    username: usernameSchema,
    password: newPasswordSchema,
    role: z.enum(ORGANIZATION_KINDS),
    organization: organizationSchema,
  })
  .superRefine((value, context) => refinePassword(value, context));

export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  username: text().trim().min(1).max(64),
  password: text().min(1).max(MAX_PASSWORD_LENGTH),
});

export const changePasswordSchema = z
  .object({ currentPassword: text().min(1).max(MAX_PASSWORD_LENGTH), newPassword: newPasswordSchema })
  .superRefine((value, context) =>
    refinePassword({ password: value.newPassword }, context, 'newPassword'),
  );

export const createTokenSchema = z.object({ name: text().trim().min(1).max(100) });

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: newPasswordSchema,
    role: z.enum(['staff', 'admin']),
    displayName: text().trim().min(1).max(100).optional(),
  })
  .superRefine((value, context) => refinePassword(value, context));

export const updateUserSchema = z
  .object({
    role: z.enum(['staff', 'admin']).optional(),
    disabled: z.boolean().optional(),
    password: newPasswordSchema.optional().describe('A new password set by the administrator (a reset): ends the user\'s sessions and revokes their API tokens'),
  })
  .refine((value) => value.role !== undefined || value.disabled !== undefined || value.password !== undefined, 'give role, disabled or password')
  .superRefine((value, context) => refinePassword(value, context));

export const idParams = z.object({ id: entityId() });

// ---- responses ----

const id = z.number().int();

export const userSchema = z.object({ id, username: text(), role: z.enum(ROLES) });
export const loginResponseSchema = z.object({ user: userSchema, csrfToken: text() });

/** An account as presentUser shows it. */
export const accountSchema = userSchema.extend({
  displayName: text(),
  organizationId: id.nullable().describe('null for staff and admin accounts'),
  disabled: z.boolean(),
  createdAt: text(),
});
export const accountResponse = z.object({ user: accountSchema });
export const accountListResponse = z.object({ items: z.array(accountSchema) });

export const meResponse = z.object({
  user: userSchema.extend({ displayName: text() }),
  organization: z
    .object({ id, kind: z.enum(ORGANIZATION_KINDS), name: text(), uscc: text(), status: text().describe('owner: active; firm: pending, admitted, suspended or rejected') })
    .nullable()
    .describe('null for staff and admin accounts'),
  csrfToken: text().optional().describe('Only for a cookie session; a Bearer request has none'),
});

export const tokenSchema = z.object({
  id,
  name: text(),
  prefix: text().describe('The first characters of the token, to recognise it'),
  createdAt: text(),
  lastUsedAt: text().nullable(),
  revokedAt: text().nullable(),
});
export const tokenListResponse = z.object({ items: z.array(tokenSchema) });
export const createdTokenResponse = tokenSchema.extend({ token: text().describe('The secret, shown this once') });
