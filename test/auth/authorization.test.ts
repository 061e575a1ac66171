import type { Express } from 'express';
import { buildRouteTable } from '../../src/app.js';
import { API_PREFIX, type RouteTable } from '../../src/platform/http/routes.js';
import type { Access, Role } from '../../src/platform/http/access.js';
import { anAccount, logIn, type LoggedIn, type TestAccount } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import request from 'supertest';

type Principal = 'anonymous' | Role;
const PRINCIPALS: Principal[] = ['anonymous', 'owner', 'agency', 'staff', 'admin'];

/** What the access rule says this principal gets: 401, 403, or through (anything else). */
function expected(access: Access, principal: Principal): 401 | 403 | 'allowed' {
  if (access === 'public') return 'allowed';
  if (principal === 'anonymous') return 401;
  if (access === 'authenticated' || access.includes(principal)) return 'allowed';
  return 403;
}

const samplePath = (path: string) =>
  path.replace(/:(\w+)/g, (_match, name: string) => (name === 'year' ? '2030' : name.toLowerCase().includes('id') ? '999999' : 'sample'));

/** Every route the Express app really serves, read from its router stack. */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return found;
}

function declaredRoutes(table: RouteTable): { method: string; path: string; access: Access }[] {
  return [
    ...table.apiRoutes.map((route) => ({ method: route.method.toUpperCase(), path: API_PREFIX + route.path, access: route.access })),
    ...table.pageRoutes.map((route) => ({ method: route.method.toUpperCase(), path: route.path, access: route.access })),
  ];
}

describe('authorization of every route for every role', () => {
  let platform: TestPlatform;
  let accounts: Record<Role, TestAccount>;
  beforeAll(async () => {
    platform = await createTestPlatform();
    accounts = {
      owner: await anAccount(platform, 'owner'),
      agency: await anAccount(platform, 'agency'),
      staff: await anAccount(platform, 'staff'),
      admin: await anAccount(platform, 'admin'),
    };
  });
  afterAll(() => platform.close());

  it('serves no route that is not declared with an access rule', () => {
    const declared = new Set(declaredRoutes(buildRouteTable(platform)).map((route) => `${route.method} ${route.path}`));
    const undeclared = mountedRoutes(platform.app).filter((route) => !declared.has(route));
    expect(undeclared).toEqual([]);
    expect(declared.size).toBeGreaterThan(15);
  });

  it('answers each route as its rule says, for anonymous, owner, agency, staff and admin', async () => {
    const routes = declaredRoutes(buildRouteTable(platform));
    const failures: string[] = [];
    // one session per role, logged in again after a route that may have ended it (logout)
    const sessions = new Map<Role, LoggedIn>();
    const sessionOf = async (role: Role) => sessions.get(role) ?? sessions.set(role, await logIn(platform, accounts[role])).get(role)!;
    const statusFor = async (route: { method: string; path: string }, principal: Principal) => {
      const session = principal === 'anonymous' ? undefined : await sessionOf(principal);
      const agent = session?.agent ?? request(platform.app);
      let call = agent[route.method.toLowerCase() as 'get'](samplePath(route.path));
      if (session) call = call.set('X-CSRF-Token', session.csrfToken);
      if (route.method !== 'GET') call = call.send({});
      return (await call).status;
    };
    for (const route of routes) {
      for (const principal of PRINCIPALS) {
        let status = await statusFor(route, principal);
        if (status === 401 && principal !== 'anonymous') {
          // the session may have been ended by an earlier route: a fresh one decides
          sessions.delete(principal);
          status = await statusFor(route, principal);
        }
        if (principal !== 'anonymous' && /logout|sessions/.test(route.path)) sessions.delete(principal);
        const want = expected(route.access, principal);
        const ok = want === 'allowed' ? status !== 401 && status !== 403 && status < 500 : status === want;
        if (!ok) failures.push(`${route.method} ${route.path} as ${principal}: got ${status}, want ${want}`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
