/**
 * The office's notice re-issue work: the re-issue requests Tier 2 sent to the office holding each case, oldest
 * first, each with a button that issues the duplicate notice (the case history then shows "Duplicate Notice Was
 * Mailed" and the request is done). Office staff see their own office; supervisors choose one (?office=) and
 * read, but only the office holding a case issues its notices. Cookie session, CSRF, POST then redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Agency } from '../platform/reference.ts';
import type { Actor } from '../platform/actor.ts';
import type { CaseDetailsService } from '../case-details/service.ts';
import type { ReissueQueueItem } from '../case-details/views.ts';
import type { StaffService } from '../staff/service.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { requestHash } from '../platform/idempotency/key.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import { REISSUE_DONE_SHOWN, REISSUE_PAGE_SIZE } from './policy.ts';

export interface NoticePagesDeps {
  caseDetails: CaseDetailsService;
  agency: Pick<Agency, 'offices' | 'timeZone'>;
  staff: Pick<StaffService, 'namesOf'>;
}

type StaffActor = Extract<Actor, { kind: 'staff' }>;

const PATH = '/office/notice-reissue-requests';
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const staffIdOf = (label: string): string | null => (label.startsWith('staff:') ? label.slice(6) : null);

export function noticePages(app: FastifyInstance, deps: NoticePagesDeps): void {
  const cd = deps.caseDetails;
  const officeCodes = new Set(deps.agency.offices.map((o) => o.code));
  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
  const officeZone = (code: string) => deps.agency.offices.find((o) => o.code === code)?.timeZone ?? deps.agency.timeZone;

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return requireStaff(request);
  }

  const hrefFor = (supervisor: boolean, office: string, extra: Record<string, string> = {}) => {
    const u = new URLSearchParams({ ...(supervisor ? { office } : {}), ...extra });
    const qs = u.toString();
    return `${PATH}${qs ? `?${qs}` : ''}`;
  };

  async function render(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, problem: { id: string; text: string } | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const supervisor = staff.user.role === 'supervisor';
    const asked = text(q.office).trim().toUpperCase();
    const office = supervisor ? (officeCodes.has(asked) ? asked : null) : staff.user.office;
    const offices = deps.agency.offices.map((o) => ({ code: o.code, name: o.name[lang] }));
    const base = { titleKey: 'noticeWork.title', supervisor, office, officeName: office ? officeName(office, lang) : null, offices };
    if (!office) {
      // A supervisor (or an account with no office) chooses the office first; office staff of no office are refused by the service.
      if (!supervisor) await cd.reissueQueue(staff, '', 'open', 1, 1);
      return reply.page('back-office/views/notice-reissue.njk', { ...base, list: null }, status);
    }
    const page = pageNumber(q.page);
    const list = await cd.reissueQueue(staff, office, 'open', page, REISSUE_PAGE_SIZE);
    // The latest done ones (the list is oldest first, so its last page).
    const doneCount = (await cd.reissueQueue(staff, office, 'done', 1, 1)).total;
    const doneLast = doneCount > 0 ? await cd.reissueQueue(staff, office, 'done', Math.max(1, Math.ceil(doneCount / REISSUE_DONE_SHOWN)), REISSUE_DONE_SHOWN) : null;
    let done = doneLast ? [...doneLast.items].reverse() : [];
    if (doneLast && done.length < REISSUE_DONE_SHOWN && doneLast.page > 1) {
      const before = await cd.reissueQueue(staff, office, 'done', doneLast.page - 1, REISSUE_DONE_SHOWN);
      done = [...done, ...[...before.items].reverse()].slice(0, REISSUE_DONE_SHOWN);
    }
    const names = await deps.staff.namesOf([...list.items, ...done].map((r) => staffIdOf(r.requestedBy)).filter((x): x is string => x !== null));
    const zone = officeZone(office);
    const issued = text(q.issued);
    const issuedItem = problem === null && issued ? done.find((r) => r.id === issued) ?? null : null;
    const outcome = issuedItem ? t('noticeWork.done', { notice: issuedItem.noticeId, receipt: issuedItem.receiptNumber }) : null;
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    return reply.page('back-office/views/notice-reissue.njk', {
      ...base, ...(outcome ? { outcome } : {}), ...(problem ? { hasError: true } : {}),
      doneText: outcome, issuedDuplicate: issuedItem?.duplicateNoticeId ?? null, problem,
      canIssue: staff.user.role === 'office' && staff.user.office === office,
      list: { ...list, items: list.items.map((r) => row(r, lang, t, zone, names)) },
      done: done.map((r) => row(r, lang, t, zone, names)),
      here: hrefFor(supervisor, office, page > 1 ? { page: String(page) } : {}),
      pager: { page, pages, previous: page > 1 ? hrefFor(supervisor, office, { page: String(page - 1) }) : null, next: page < pages ? hrefFor(supervisor, office, { page: String(page + 1) }) : null },
    }, status);
  }

  const row = (r: ReissueQueueItem, lang: Lang, t: Translate, zone: string, names: Map<string, string>) => ({
    ...r,
    createdText: longDateTime(r.createdAt, lang, zone),
    doneText: r.doneAt ? longDateTime(r.doneAt, lang, zone) : null,
    by: names.get(staffIdOf(r.requestedBy) ?? '') ?? t('noticeWork.someone'),
    caseHref: `/desk/cases/${r.receiptNumber}?purpose=${encodeURIComponent(r.id)}`,
  });

  app.get(PATH, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return render(request, reply, staff, null);
  });

  app.post(`${PATH}/:id/issue`, async (request, reply) => {
    const staff = await requireStaff(request);
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const receipt = text(body.receiptNumber);
    const noticeId = text(body.noticeId);
    const office = staff.user.office ?? '';
    const input = { type: 'duplicate', noticeId };
    // The request's id is the key, shared by the office: a second click, or a colleague's, issues no second duplicate.
    const idem = { scope: `office:${office}:notice-reissue`, key: `reissue:${id}`.slice(0, 255), requestHash: requestHash({ method: 'POST', route: `${PATH}/:id/issue`, params: { id }, body: { receipt, ...input } }) };
    try {
      await cd.issueNotice(staff, receipt, input, idem, { purpose: id, traceId: request.id });
    } catch (err) {
      if (!(err instanceof AppError) || !['forbidden', 'not-found', 'conflict', 'unprocessable', 'invalid-request', 'invalid-receipt-number', 'idempotency-key-reused'].includes(err.code)) throw err;
      if (err.code === 'forbidden' && !err.audited) await request.recordDenial(err.code);
      const t = translator(resolveLang(request, reply));
      const known = ['forbidden', 'not-found', 'conflict'].includes(err.code) ? err.code : 'invalid';
      return render(request, reply, staff, { id, text: t(`noticeWork.error.${known}`) }, err.status);
    }
    return reply.redirect(hrefFor(false, office, { issued: id }), 303);
  });
}
