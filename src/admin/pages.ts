/**
 * Administration in the browser (admin, English and Spanish): staff accounts under /admin/staff (list and search,
 * create with a one-time password shown once, change role and office, skills, disable and enable, end every
 * session) and API clients under /admin/clients (list, create with the secret shown once, revoke). The pages
 * call the same StaffService and ApiClientService methods as `switchboard user …` and `switchboard client add`,
 * so the two never disagree; every change is audited there, in its transaction. Forms are CSRF-checked by the
 * page context; authorize() runs before anything is read or changed (403 for every other role).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import type { Capability } from '../domain/capabilities.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { Agency } from '../platform/reference.ts';
import { ROLES } from '../domain/roles.ts';
import { SKILLS } from '../domain/skills.ts';
import type { StaffService } from '../staff/service.ts';
import { SCOPES, type ApiClientService } from '../api-clients/service.ts';
import { CLIENTS_PAGE_SIZE, STAFF_PAGE_SIZE, TEXT_MAX } from './policy.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, TEXT_MAX) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
/** A limit field: empty means the service's default; anything else must be a whole number (the service says so). */
const limit = (v: unknown): number | undefined => {
  const s = text(v).trim();
  return s === '' ? undefined : /^[0-9]{1,9}$/.test(s) ? Number(s) : Number.NaN;
};

/** The signed-in admin, or a redirect to sign in and back (null); authorize() answers 403 for any other role. */
async function admin(request: FastifyRequest, reply: FastifyReply, next: string, capability: Capability): Promise<StaffActor | null> {
  const actor = await request.actor();
  if (actor.kind !== 'staff') {
    await reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`);
    return null;
  }
  return authorize(actor, capability);
}

/** The field errors of a refused change, translated: `admin.error.<field>.<code>`, the first per field. */
function fieldErrors(err: unknown, lang: Lang): Record<string, string> | null {
  if (!(err instanceof AppError)) return null;
  const t = translator(lang);
  if (err.code === 'conflict') return { email: t('admin.error.email.taken') };
  if (err.code !== 'invalid-request') return null;
  const errors: Record<string, string> = {};
  for (const e of (err.extensions.errors as Array<{ field: string; code: string }> | undefined) ?? []) errors[e.field] ??= t(`admin.error.${e.field}.${e.code}`);
  return errors;
}

/** The error summary's links: each field's id (a group of checkboxes links to its first box). */
const summary = (errors: Record<string, string>) => Object.entries(errors).map(([field, msg]) => ({
  href: field === 'skills' ? `skills-${SKILLS[0]}` : field === 'scopes' ? `scopes-${SCOPES[0]}` : field, text: msg,
}));

export function adminPages(app: FastifyInstance, deps: { staff: StaffService; clients: ApiClientService; agency: Agency }): void {
  const when = (instant: string, lang: Lang) => longDateTime(instant, lang, deps.agency.timeZone);
  const offices = deps.agency.offices.map((o) => ({ code: o.code, name: o.name }));
  const officeCodes = new Set(offices.map((o) => o.code));

  // ---------------------------------------------------------------- staff accounts

  app.get('/admin/staff', async (request, reply) => {
    const actor = await admin(request, reply, '/admin/staff', 'manage-staff');
    if (!actor) return reply;
    const lang = resolveLang(request, reply);
    const q = request.query as Record<string, unknown>;
    const filter = {
      words: text(q.q).trim(),
      role: (ROLES as readonly string[]).includes(text(q.role)) ? text(q.role) : '',
      office: officeCodes.has(text(q.office)) ? text(q.office) : '',
      status: ['active', 'disabled'].includes(text(q.status)) ? text(q.status) : '',
    };
    const page = pageNumber(q.page);
    const { items, total } = await deps.staff.list({
      words: filter.words || undefined, role: filter.role || undefined, office: filter.office || undefined,
      disabled: filter.status === '' ? undefined : filter.status === 'disabled',
    }, page, STAFF_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE));
    const href = (p: number) => `/admin/staff?${new URLSearchParams({ ...filter, page: String(p) }).toString()}`;
    return reply.page('admin/views/staff-list.njk', {
      titleKey: 'admin.staff.title', filter, roles: ROLES, offices, total, page, pages,
      searched: Boolean(filter.words || filter.role || filter.office || filter.status),
      accounts: items.map((a) => ({ ...a, createdText: when(a.createdAt, lang) })),
      previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null,
    });
  });

  const renderNewStaff = (reply: FastifyReply, values: { name: string; email: string; role: string; office: string; skills: string[] }, errors: Record<string, string>, status = 200) =>
    reply.page('admin/views/staff-new.njk', { titleKey: 'admin.staff.new.title', roles: ROLES, offices, skills: SKILLS, values, errors, errorList: summary(errors) }, status);

  app.get('/admin/staff/new', async (request, reply) => {
    if (!await admin(request, reply, '/admin/staff/new', 'manage-staff')) return reply;
    return renderNewStaff(reply, { name: '', email: '', role: '', office: '', skills: ['en'] }, {});
  });

  app.post('/admin/staff', async (request, reply) => {
    const actor = await admin(request, reply, '/admin/staff/new', 'manage-staff');
    if (!actor) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { name: text(body.name), email: text(body.email), role: text(body.role), office: text(body.office), skills: list(body.skills) };
    const lang = resolveLang(request, reply);
    try {
      // The office goes with the office role only (the form keeps the choice while another role is picked).
      const created = await deps.staff.addUser({ name: values.name, email: values.email, role: values.role, office: values.role === 'office' ? values.office : null, skills: values.skills }, actor, request.id);
      // The one-time password is on this answer only: never cached (no-store), never in an address, never logged.
      reply.header('cache-control', 'no-store');
      return reply.page('admin/views/staff-created.njk', { titleKey: 'admin.staff.created.title', account: { id: created.id, name: created.name, email: created.email, agentId: created.agentId }, password: created.password ?? '' }, 201);
    } catch (err) {
      const errors = fieldErrors(err, lang);
      if (!errors) throw err;
      return renderNewStaff(reply, values, errors, err instanceof AppError && err.code === 'conflict' ? 409 : 400);
    }
  });

  const account = async (id: string) => {
    const found = /^[0-9a-zA-Z-]{1,64}$/.test(id) ? await deps.staff.account(id) : null;
    if (!found) throw new AppError('not-found', 'No staff account has this ID.');
    return found;
  };
  const accountPath = (id: string) => `/admin/staff/${encodeURIComponent(id)}`;
  const DONE = ['role', 'skills', 'ended', 'disabled', 'enabled'] as const;

  const renderAccount = async (request: FastifyRequest, reply: FastifyReply, actor: StaffActor, id: string, extra: { done?: string; errors?: Record<string, string>; values?: { role?: string; office?: string; skills?: string[] } } = {}, status = 200) => {
    const lang = resolveLang(request, reply);
    const a = await account(id);
    const errors = extra.errors ?? {};
    const done = extra.done && (DONE as readonly string[]).includes(extra.done) ? extra.done : '';
    const t = translator(lang);
    return reply.page('admin/views/staff-account.njk', {
      titleKey: 'admin.staff.account.title', ...(done ? { outcome: t(`admin.staff.done.${done}`) } : {}), done,
      account: { ...a, createdText: when(a.createdAt, lang) }, self: a.id === actor.user.id,
      roles: ROLES, offices, skills: SKILLS, errors, errorList: summary(errors),
      values: { role: extra.values?.role ?? a.role, office: extra.values?.office ?? a.office ?? '', skills: extra.values?.skills ?? a.skills },
    }, status);
  };

  app.get('/admin/staff/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = await admin(request, reply, accountPath(id), 'manage-staff');
    if (!actor) return reply;
    return renderAccount(request, reply, actor, id, { done: text((request.query as Record<string, unknown>).done) });
  });

  /** A change to one account: found first (404), done by the service, then back to the account's page saying so. */
  const change = (path: string, done: (typeof DONE)[number], run: (actor: StaffActor, email: string, body: Record<string, unknown>, request: FastifyRequest) => Promise<unknown>, values?: (body: Record<string, unknown>) => { role?: string; office?: string; skills?: string[] }) => {
    app.post(`/admin/staff/:id/${path}`, async (request, reply) => {
      const { id } = request.params as { id: string };
      const actor = await admin(request, reply, accountPath(id), 'manage-staff');
      if (!actor) return reply;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const a = await account(id);
      // An admin does not lock themselves out: another admin disables an admin's own account.
      if (done === 'disabled' && a.id === actor.user.id) throw new AppError('forbidden', 'You may not disable your own account; ask another admin.');
      try {
        await run(actor, a.email, body, request);
      } catch (err) {
        const errors = fieldErrors(err, resolveLang(request, reply));
        if (!errors) throw err;
        return renderAccount(request, reply, actor, id, { errors, ...(values ? { values: values(body) } : {}) }, 400);
      }
      return reply.redirect(`${accountPath(id)}?done=${done}`, 303);
    });
  };

  change('role', 'role', (actor, email, body, request) => {
    const role = text(body.role);
    return deps.staff.setRole(email, role, role === 'office' ? text(body.office) : null, actor, request.id);
  }, (body) => ({ role: text(body.role), office: text(body.office) }));
  change('skills', 'skills', (actor, email, body, request) => deps.staff.setSkills(email, list(body.skills), actor, request.id), (body) => ({ skills: list(body.skills) }));
  change('end-sessions', 'ended', (actor, email, _body, request) => deps.staff.endSessions(email, actor, request.id));
  change('disable', 'disabled', (actor, email, _body, request) => deps.staff.disableUser(email, actor, request.id));
  change('enable', 'enabled', (actor, email, _body, request) => deps.staff.enableUser(email, actor, request.id));

  // ---------------------------------------------------------------- API clients

  app.get('/admin/clients', async (request, reply) => {
    if (!await admin(request, reply, '/admin/clients', 'manage-api-clients')) return reply;
    const lang = resolveLang(request, reply);
    const q = request.query as Record<string, unknown>;
    const page = pageNumber(q.page);
    const { items, total } = await deps.clients.listClients(page, CLIENTS_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / CLIENTS_PAGE_SIZE));
    const revoked = q.revoked === '1';
    return reply.page('admin/views/clients-list.njk', {
      titleKey: 'admin.clients.title', ...(revoked ? { outcome: translator(lang)('admin.clients.revokedDone') } : {}), revoked,
      clients: items.map((c) => ({ ...c, createdText: when(c.createdAt, lang) })), total, page, pages,
      previous: page > 1 ? `/admin/clients?page=${page - 1}` : null, next: page < pages ? `/admin/clients?page=${page + 1}` : null,
    });
  });

  const renderNewClient = (reply: FastifyReply, values: { name: string; scopes: string[]; perSecond: string; perDay: string }, errors: Record<string, string>, status = 200) =>
    reply.page('admin/views/client-new.njk', { titleKey: 'admin.clients.new.title', scopes: SCOPES, values, errors, errorList: summary(errors) }, status);

  app.get('/admin/clients/new', async (request, reply) => {
    if (!await admin(request, reply, '/admin/clients/new', 'manage-api-clients')) return reply;
    return renderNewClient(reply, { name: '', scopes: [], perSecond: '5', perDay: '1000' }, {});
  });

  app.post('/admin/clients', async (request, reply) => {
    const actor = await admin(request, reply, '/admin/clients/new', 'manage-api-clients');
    if (!actor) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { name: text(body.name), scopes: list(body.scopes), perSecond: text(body.perSecond), perDay: text(body.perDay) };
    try {
      const c = await deps.clients.addClient({ name: values.name, scopes: values.scopes, perSecond: limit(values.perSecond), perDay: limit(values.perDay) }, actor, request.id);
      reply.header('cache-control', 'no-store');
      return reply.page('admin/views/client-created.njk', { titleKey: 'admin.clients.created.title', client: { ...c, name: values.name.trim() } }, 201);
    } catch (err) {
      const errors = fieldErrors(err, resolveLang(request, reply));
      if (!errors) throw err;
      return renderNewClient(reply, values, errors, 400);
    }
  });

  app.post('/admin/clients/:id/revoke', async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = await admin(request, reply, '/admin/clients', 'manage-api-clients');
    if (!actor) return reply;
    await deps.clients.revokeClient(id, actor, request.id);
    return reply.redirect('/admin/clients?revoked=1', 303);
  });
}
