import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, passwordMessage, passwordProblem } from './passwords.js';
import { USCC_MESSAGES, usccProblem } from './uscc.js';
import { entityId, text } from '../platform/text.js';

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
    role: z.enum(['owner', 'agency']),
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

export const userSchema = z.object({ id: z.number().int(), username: text(), role: text() });
export const loginResponseSchema = z.object({ user: userSchema, csrfToken: text() });
