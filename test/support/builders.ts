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

/** Staff acting in service calls (builders and service-level tests). */
export async function aStaffUser(platform: TestPlatform) {
  const account = await anAccount(platform, 'staff');
  return { id: account.user.id, username: account.username, role: 'staff' as const, organizationId: null, displayName: account.username, via: 'session' as const };
}

export function currentUserOf(account: TestAccount) {
  return {
    id: account.user.id,
    username: account.username,
    role: account.user.role as Role,
    organizationId: account.user.organizationId,
    displayName: account.user.displayName,
    via: 'session' as const,
  };
}

/**
 * A firm in a given state: `aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'] })`.
 * Qualifications are verified by staff and valid for a year unless `validUntil` says otherwise.
 */
export async function aFirm(
  platform: TestPlatform,
  options: { admitted?: boolean; qualifiedFor?: string[]; validUntil?: string; legalRepresentativeId?: string; name?: string } = {},
) {
  const { addQualification, decideFirm, reviewQualification, updateProfile } = await import('../../src/firms/service.js');
  const account = await anAccount(platform, 'agency', { organizationName: options.name });
  const firmId = account.user.organizationId!;
  const firmUser = currentUserOf(account);
  await updateProfile(platform, firmUser, firmId, {
    legalRepresentative: '周法人',
    legalRepresentativeId: options.legalRepresentativeId,
    address: '浙江省杭州市西湖区文三路 100 号',
    contactName: '吴联系',
    contactPhone: '13900000000',
  });
  const staff = await aStaffUser(platform);
  for (const serviceCode of options.qualifiedFor ?? []) {
    await aPublishedServiceWithCode(platform, serviceCode);
    const qualification = await addQualification(platform, firmUser, firmId, {
      serviceCode,
      level: '甲级',
      certificateNo: `CERT-${serviceCode}-${firmId}`,
      issuer: '浙江省住房和城乡建设厅',
      validUntil: options.validUntil ?? '2027-11-30',
    });
    await reviewQualification(platform, staff, firmId, qualification.id, 'approve', '证书核验无误');
  }
  if (options.admitted) await decideFirm(platform, staff, firmId, 'approve', '材料齐全');
  return { account, firmId, firmUser, staff };
}

/**
 * The same user over a personal API token: for tests that move the clock by days, where a
 * browser session would (rightly) have expired.
 */
export async function withToken(platform: TestPlatform, session: LoggedIn): Promise<LoggedIn> {
  const created = await session.agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', session.csrfToken).send({ name: 'test' });
  if (created.status !== 201) throw new Error(`token failed: ${created.status}`);
  const agent = request.agent(platform.app).set('Authorization', `Bearer ${created.body.token}`);
  return { agent: agent as unknown as LoggedIn['agent'], csrfToken: '', account: session.account };
}

/** Makes sure a published catalogue item with this code exists (firms can only qualify for real items). */
export async function aPublishedServiceWithCode(platform: TestPlatform, code: string): Promise<void> {
  const { findPublishedService } = await import('../../src/catalog/service.js');
  if (await findPublishedService(platform.database.db, code)) return;
  const { aPublishedService } = await import('../catalog/builders.js');
  await aPublishedService(platform, { code });
}

/** The CSRF token a rendered form carries in its hidden `_csrf` field. */
export const csrfFrom = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** An unsafe request as this user: with the CSRF header a cookie session needs (Bearer ignores it). */
export const post = (session: LoggedIn, path: string, body: object = {}, headers: Record<string, string> = {}) => {
  let call = session.agent.post(path).set('X-CSRF-Token', session.csrfToken);
  for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
  return call.send(body);
};
