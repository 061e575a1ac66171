import { hash, verify } from '@node-rs/argon2';
import { STRENGTH_ADVICE, weakness, WEAKNESS_MESSAGES, type WeaknessReason } from './password-strength.js';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolatedModules cannot read)

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** OWASP's argon2id baseline (m=19 MiB, t=2). The test profile is cheap and refused in production. */
export type HashProfile = 'standard' | 'test';
const PROFILES = {
  standard: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  test: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
} as const;

export type PasswordProblem = 'too_short' | 'too_long' | 'contains_username' | WeaknessReason;

/** What is wrong with a new password; `related` are the username, organisation name and the like. */
export function passwordProblem(password: string, username?: string, related: string[] = []): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (username && username.length >= 4 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'contains_username';
  }
  return weakness(password, [username ?? '', ...related]);
}

export function passwordMessage(problem: PasswordProblem): string {
  switch (problem) {
    case 'too_short':
      return `密码至少 ${MIN_PASSWORD_LENGTH} 位。${STRENGTH_ADVICE}`;
    case 'too_long':
      return `密码最多 ${MAX_PASSWORD_LENGTH} 位。`;
    case 'contains_username':
      return `密码不能包含用户名。${STRENGTH_ADVICE}`;
    default:
      return `${WEAKNESS_MESSAGES[problem]}${STRENGTH_ADVICE}`;
  }
}

export function hashPassword(password: string, profile: HashProfile): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...PROFILES[profile] });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
