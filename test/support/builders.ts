import request from 'supertest';
import type { UserRow } from '../../src/auth/repository.js';
import { createStaffUser, registerAccount } from '../../src/auth/service.js';
import { completeUscc } from '../../src/auth/uscc.js';
import type { Role } from '../../src/platform/http/access.js';
import type { TestPlatform } from './platform.js';

let sequence = 0;
const next = () => (sequence += 1);

/** A valid unified social credit code, different on every call. */
export function aUscc(): string {
  return completeUscc(`91330100${String(process.pid % 1000).padStart(3, '0')}${String(next()).padStart(6, '0')}`);
}

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';

export interface TestAccount {
  user: UserRow;
  username: string;
  password: string;
}

/** Builds an account of any role: `anAccount(platform, 'agency', { organizationName: '…' })`. */
export async function anAccount(
  platform: TestPlatform,
  role: Role,
  options: { username?: string; organizationName?: string; uscc?: string } = {},
): Promise<TestAccount> {
  const username = options.username ?? `${role}${next()}`;
  const user =
    role === 'owner' || role === 'agency'
      ? await registerAccount(platform, {
          username,
          password: TEST_PASSWORD,
          role,
          organization: {
            name: options.organizationName ?? `${role === 'owner' ? '测试业主' : '测试中介'}${next()}有限公司`,
            uscc: options.uscc ?? aUscc(),
            contactName: '张三',
            contactPhone: '13800138000',
          },
        })
      : await createStaffUser(platform, 'system:test', { username, password: TEST_PASSWORD, role });
  return { user, username, password: TEST_PASSWORD };
}

export interface LoggedIn {
  agent: ReturnType<typeof request.agent>;
  csrfToken: string;
  account: TestAccount;
}

/** Logs in over the API; the agent keeps the session cookie, csrfToken goes in X-CSRF-Token. */
export async function logIn(platform: TestPlatform, account: TestAccount): Promise<LoggedIn> {
  const agent = request.agent(platform.app);
  const response = await agent.post('/api/v1/auth/login').send({ username: account.username, password: account.password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  return { agent, csrfToken: response.body.csrfToken, account };
}

export async function loggedInAs(platform: TestPlatform, role: Role): Promise<LoggedIn> {
  return logIn(platform, await anAccount(platform, role));
}
