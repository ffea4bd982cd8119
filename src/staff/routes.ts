/** The staff sign-in API: login, session, logout. Handlers are short pipelines; rules live in the service. */
import type { App } from '../platform/http/types.ts';
import { noContent, problems } from '../platform/http/types.ts';
import { requireStaff, sessionTimesOf } from '../platform/http/auth.ts';
import { publicUser } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { StaffService } from './service.ts';
import { LoginBody, LoginResponse, SessionResponse } from './schema.ts';

export function staffApiRoutes(app: App, deps: { staff: StaffService }): void {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['Staff sign-in'], summary: 'Sign in with e-mail and password; returns a bearer token', operationId: 'signIn',
      description: 'Bad credentials answer 401, the same whether the e-mail exists or not. Repeated failures are throttled (429).',
      body: LoginBody, response: { 200: LoginResponse, ...problems(400, 401, 413, 415, 429) },
    },
  }, async (request) => {
    const r = await deps.staff.signIn(request.body.email, request.body.password, 'api', request.ip, request.id);
    return { token: r.token, expiresAt: r.expiresAt, user: publicUser(r.user) };
  });

  app.get('/api/v1/auth/session', {
    schema: {
      tags: ['Staff sign-in'], summary: 'The signed-in account behind a token, and when its session ends', operationId: 'getSession', security: [{ bearer: [] }],
      description: 'A session ends after 30 minutes without a request (idle) and 12 hours after sign-in (absolute). This request is a use of the session: it moves the idle end.',
      response: { 200: SessionResponse, ...problems(401) },
    },
  }, async (request) => {
    // Any token that is not a live staff session (an API client's included) answers 401 here.
    const actor = await request.actor();
    const times = sessionTimesOf(request);
    if (actor.kind !== 'staff' || !times) throw new AppError('unauthenticated', 'This token is not a staff session.');
    return { user: publicUser(actor.user), expiresAt: times.expiresAt, idleExpiresAt: times.idleExpiresAt, absoluteExpiresAt: times.absoluteExpiresAt };
  });

  app.post('/api/v1/auth/logout', {
    schema: {
      tags: ['Staff sign-in'], summary: 'End the session of the token sent', operationId: 'signOut', security: [{ bearer: [] }],
      description: 'Takes no body; a body that is sent is still read (and refused when it is not JSON or too large).',
      response: { 204: noContent('Signed out: the token no longer works'), ...problems(400, 401, 403, 413, 415) },
    },
  }, async (request, reply) => {
    const actor = await requireStaff(request);
    await deps.staff.signOut(actor.sessionId, actor, request.id);
    return reply.code(204).send(null);
  });
}
