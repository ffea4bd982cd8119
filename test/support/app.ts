/** A real Switchboard on a real, empty database, driven through app.inject(). */
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { createDeps, type Deps } from '../../src/wiring.ts';
import { buildApp, type SwitchboardApp } from '../../src/app.ts';
import type { Role } from '../../src/domain/roles.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.ts';
import { responseChecker, type ResponseChecker } from './openapi-responses.ts';

export const TEST_PASSWORD = 'correct horse battery';

/** The environment a test app runs with: quick password hashing, no demo, no logs. */
export function testEnv(db: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...db.env, SEED: 'none', LOG_LEVEL: 'silent', PASSWORD_MEMORY_KIB: '1024', ...extra };
}

export interface TestApp {
  app: SwitchboardApp;
  deps: Deps;
  db: TestDatabase;
  /** Creates a staff member and signs in through the API; returns the bearer token and the account. */
  signIn(role: Role, options?: { office?: string; email?: string; skills?: string[] }): Promise<{ token: string; email: string; id: string; agentId: string }>;
  /** Creates an API client with these scopes (unlimited unless limits are given) and returns an access token for it. */
  clientToken(scopes: string[], limits?: { perSecond?: number; perDay?: number }): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

export interface TestAppOptions {
  env?: Record<string, string>;
  logStream?: NodeJS.WritableStream;
  /** Serve another app's database (a second instance); closing this app then leaves the database alone. */
  sharing?: TestApp;
  /** The staff service's clock (sign-in, session ends), for tests that move time. */
  staffClock?: () => Date;
}

export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}): Promise<TestApp> {
  const { env: extraEnv = {}, logStream, sharing, staffClock } = options;
  const db = sharing?.db ?? await createTestDatabase(kind);
  const config = loadConfig(testEnv(db, extraEnv));
  const deps = await db.whileNoSchemaIsDropped(() => createDeps(config, { database: openDatabase(config), strictViews: true, ...(logStream ? { logStream } : {}), ...(staffClock ? { staffClock } : {}) }));
  const app = await buildApp(deps);
  checkResponsesAgainstDocument(app);
  return {
    app, deps, db,
    async signIn(role, options = {}) {
      const email = options.email ?? `${role}.${++counter}@agency.test`;
      const office = options.office ?? (role === 'office' ? 'VSC' : undefined);
      const user = await deps.staff.addUser({ email, name: `Test ${role}`, role, office, password: TEST_PASSWORD, skills: options.skills }, { kind: 'cli' });
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      return { token: res.json().token as string, email, id: user.id, agentId: user.agentId };
    },
    async clientToken(scopes, limits = { perSecond: 0, perDay: 0 }) {
      const c = await deps.clients.addClient({ name: `client ${scopes.join('+')}`, scopes, ...limits }, { kind: 'cli' });
      return (await deps.clients.issueToken(c.client_id, c.client_secret))!.accessToken;
    },
    async close() {
      await app.close();
      await deps.database.close();
      if (!sharing) await db.drop();
    },
  };
}

/**
 * Every response of app.inject() is checked against the app's OpenAPI document (status, media type, body), so
 * a route that drifts from its document fails the test that exercised it. The document is built on first use.
 */
function checkResponsesAgainstDocument(app: SwitchboardApp): void {
  let checker: ResponseChecker | undefined;
  const inject = app.inject.bind(app) as (opts?: unknown, cb?: unknown) => unknown;
  const checked = (opts?: unknown, cb?: unknown) => {
    if (opts === undefined || cb !== undefined) return inject(opts, cb); // the chain and callback forms are not checked
    return (inject(opts) as Promise<LightMyRequestResponse>).then((res) => {
      checker ??= responseChecker(app.swagger() as unknown as Parameters<typeof responseChecker>[0]);
      checker.check(res);
      return res;
    });
  };
  Object.defineProperty(app, 'inject', { value: checked, configurable: true, writable: true });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts nothing itself: returns the parsed problem body, for tests to check. */
export function problem(res: LightMyRequestResponse): { type: string; title: string; status: number; detail: string; code: string; traceId: string; errors?: Array<{ field: string; code: string; detail: string }> } {
  return res.json();
}
