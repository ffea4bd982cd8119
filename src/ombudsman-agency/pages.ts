/**
 * The pages of the Ombudsman's requests to the agency, plain HTML without JavaScript, English and Spanish.
 *
 * On the analyst's request page (a panel of /ombudsman/desk/:requestNumber, see DeskPanel in ombudsman/pages.ts):
 * the questions asked and their answers, "Ask the agency" (one of the cited cases and the question) and "Send a
 * letter" (to the person's e-mail, or by post), posted at /ombudsman/desk/:requestNumber/(agency-requests|letters).
 *
 * For the office holding the case (office staff; supervisors choose an office with ?office= and read):
 *   GET  /office/ombudsman-requests                 the waiting items, oldest due first (due dates, overdue marked),
 *                                                   Claim on each open one; the latest answered under them
 *   GET  /office/ombudsman-requests/:id             one item: the question, the case, claim or answer
 *   POST /office/ombudsman-requests/:id/(claim|answer)
 * Cookie session, CSRF on every form, POST then redirect.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Agency } from '../platform/reference.ts';
import type { Actor } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { requestHash } from '../platform/idempotency/key.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, longDateTime } from '../platform/i18n/format.ts';
import type { DeskPanel, DeskFormState } from '../ombudsman/pages.ts';
import type { CaseAssistanceView } from '../ombudsman/views.ts';
import type { StaffActor } from '../platform/authorize.ts';
import type { OmbudsmanAgencyService } from './service.ts';
import type { AgencyRequestView } from './views.ts';
import { AGENCY_ANSWER_BUSINESS_DAYS, ANSWER_LIMITS, ANSWERED_SHOWN, LETTER_LIMITS, OFFICE_PAGE_SIZE, QUESTION_LIMITS } from './policy.ts';

type Offices = Pick<Agency, 'offices' | 'timeZone'>;

const PATH = '/office/ombudsman-requests';
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
/** The page's name of a service field. */
const PAGE_FIELD: Record<string, string> = { receiptNumber: 'receiptNumber', question: 'question', text: 'letter', answer: 'answer' };

/** Field messages from a refused form, in the page's language (ombudsmanAgency.error.<field>.<code>). */
function fieldErrors(err: AppError, t: Translate): Record<string, string> {
  const list = (err.extensions.errors as Array<{ field: string; code: string }> | undefined) ?? [];
  const out: Record<string, string> = {};
  for (const e of list) {
    const field = PAGE_FIELD[e.field] ?? e.field;
    out[field] ??= t(`ombudsmanAgency.error.${field}.${e.code}`, { min: limitOf(field).min, max: limitOf(field).max });
  }
  return out;
}
const limitOf = (field: string) => (field === 'question' ? QUESTION_LIMITS : field === 'letter' ? LETTER_LIMITS : ANSWER_LIMITS);

const officeNameOf = (agency: Offices, code: string, lang: Lang) => agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
const zoneOf = (agency: Offices, code: string) => agency.offices.find((o) => o.code === code)?.timeZone ?? agency.timeZone;

/** An item as the pages show it: dates written out, the office named, the status in words. */
function itemRow(v: AgencyRequestView, agency: Offices, lang: Lang, t: Translate) {
  const zone = zoneOf(agency, v.office);
  return {
    ...v, officeName: officeNameOf(agency, v.office, lang), askedText: longDateTime(v.askedAt, lang, zone), dueText: longDate(v.dueDate, lang),
    answeredText: v.answeredAt ? longDateTime(v.answeredAt, lang, zone) : null, statusText: t(`ombudsmanAgency.status.${v.status}`),
    href: `${PATH}/${v.id}`,
  };
}

/** The panel of the analyst's request page: the questions and answers, and the two forms. */
export function agencyDeskPanel(service: OmbudsmanAgencyService, agency: Offices): DeskPanel {
  const idem = (actor: StaffActor, form: string, values: Record<string, string>) => ({
    scope: `staff:${actor.user.id}:ombudsman-desk-${form}`,
    key: /^[0-9a-f-]{36}$/.test(values.formKey ?? '') ? values.formKey! : null,
    requestHash: requestHash({ method: 'POST', route: `/ombudsman/desk/:requestNumber/${form}`, params: {}, body: values }),
  });
  return {
    fields: ['receiptNumber', 'question', 'letter', 'formKey'],
    actions: {
      'agency-requests': async (actor, n, values, traceId) => {
        await service.ask(actor, n, { receiptNumber: values.receiptNumber ?? '', question: values.question ?? '' }, idem(actor, 'agency-requests', values), traceId);
      },
      letters: async (actor, n, values, traceId) => {
        await service.sendLetter(actor, n, { text: values.letter ?? '' }, idem(actor, 'letters', values), traceId);
      },
    },
    async model(actor: StaffActor, r: CaseAssistanceView, lang: Lang, state: DeskFormState | null) {
      const t = translator(lang);
      const items = (await service.ofRequest(actor, r.requestNumber)).map((v) => itemRow(v, agency, lang, t));
      const errors = state ? fieldErrors(state.error, t) : {};
      const problem = state && Object.keys(errors).length === 0 ? t(`ombudsmanAgency.error.${state.error.code === 'conflict' ? 'closed' : 'other'}`) : null;
      const valuesOf = (form: string) => ({ receiptNumber: '', question: '', letter: '', ...(state?.form === form ? state.values : {}) });
      const email = r.requester.email ?? r.applicant.email ?? null;
      return {
        items, cases: r.citedCases, canAsk: r.status !== 'closed', email,
        waiting: items.filter((i) => i.status !== 'answered').length,
        ask: { values: valuesOf('agency-requests'), errors: state?.form === 'agency-requests' ? errors : {}, formKey: state?.form === 'agency-requests' ? state.values.formKey : randomUUID() },
        letter: { values: valuesOf('letters'), errors: state?.form === 'letters' ? errors : {}, formKey: state?.form === 'letters' ? state.values.formKey : randomUUID() },
        problem, form: state?.form ?? null,
        summary: state ? [...Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message })), ...(problem ? [{ href: `#${state.form}`, message: problem }] : [])] : [],
        limits: { question: QUESTION_LIMITS, letter: LETTER_LIMITS }, days: AGENCY_ANSWER_BUSINESS_DAYS,
      };
    },
  };
}

export interface OmbudsmanAgencyPageDeps {
  ombudsmanAgency: OmbudsmanAgencyService;
  agency: Offices;
}

/** What a refused office form shows: which form, what was typed, the field messages or a problem. */
interface ItemState { values: Record<string, string>; errors: Record<string, string>; problem: string | null }

export function ombudsmanAgencyPages(app: FastifyInstance, deps: OmbudsmanAgencyPageDeps): void {
  const oa = deps.ombudsmanAgency;
  const officeCodes = new Set(deps.agency.offices.map((o) => o.code));

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<Extract<Actor, { kind: 'staff' }> | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return requireStaff(request);
  }

  const listHref = (supervisor: boolean, office: string, extra: Record<string, string> = {}) => {
    const qs = new URLSearchParams({ ...(supervisor ? { office } : {}), ...extra }).toString();
    return `${PATH}${qs ? `?${qs}` : ''}`;
  };

  app.get(PATH, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const supervisor = staff.user.role === 'supervisor';
    const asked = text(q.office).trim().toUpperCase();
    const office = supervisor ? (officeCodes.has(asked) ? asked : null) : staff.user.office;
    const offices = deps.agency.offices.map((o) => ({ code: o.code, name: o.name[lang] }));
    const base = { titleKey: 'ombudsmanAgency.office.title', supervisor, office, officeName: office ? officeNameOf(deps.agency, office, lang) : null, offices, doneText: null };
    if (!office) {
      // A supervisor chooses the office first; anyone else without an office is refused by the service.
      if (!supervisor) await oa.officeQueue(staff, '', undefined, 1, 1);
      return reply.page('ombudsman-agency/views/office-queue.njk', { ...base, list: null });
    }
    const page = pageNumber(q.page);
    const list = await oa.officeQueue(staff, office, undefined, page, OFFICE_PAGE_SIZE);
    const answered = await oa.officeQueue(staff, office, 'answered', 1, ANSWERED_SHOWN);
    const answeredId = text(q.answered);
    const justAnswered = answered.items.find((i) => i.id === answeredId) ?? null;
    const outcome = justAnswered ? t('ombudsmanAgency.office.answeredDone', { number: justAnswered.requestNumber, receipt: justAnswered.receiptNumber }) : null;
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    return reply.page('ombudsman-agency/views/office-queue.njk', {
      ...base, ...(outcome ? { outcome } : {}), doneText: outcome,
      canClaim: staff.user.role === 'office' && staff.user.office === office,
      list: { ...list, items: list.items.map((i) => itemRow(i, deps.agency, lang, t)) },
      answered: answered.items.map((i) => itemRow(i, deps.agency, lang, t)),
      pager: { page, pages, previous: page > 1 ? listHref(supervisor, office, { page: String(page - 1) }) : null, next: page < pages ? listHref(supervisor, office, { page: String(page + 1) }) : null },
      backHref: listHref(supervisor, office),
    });
  });

  async function renderItem(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, state: ItemState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const v = await oa.get(staff, id, request.id);
    const done = text((request.query as Record<string, unknown>).done);
    const outcome = state === null && done === 'claimed' && v.claimedBy?.id === staff.user.id ? t('ombudsmanAgency.item.claimedDone') : null;
    const isHolderOffice = staff.user.role === 'office' && staff.user.office === v.office;
    const supervisor = staff.user.role === 'supervisor';
    return reply.page('ombudsman-agency/views/item.njk', {
      titleKey: 'ombudsmanAgency.item.title', ...(outcome ? { outcome } : {}), doneText: outcome, hasError: state !== null,
      v: itemRow(v, deps.agency, lang, t), state: state ?? { values: { answer: '' }, errors: {}, problem: null },
      can: {
        claim: isHolderOffice && v.status === 'open',
        answer: isHolderOffice && v.status === 'claimed' && v.claimedBy?.id === staff.user.id,
      },
      backHref: listHref(supervisor, v.office),
      caseHref: `/desk/cases/${v.receiptNumber}?purpose=${encodeURIComponent(v.id)}`,
      minAnswer: ANSWER_LIMITS.min,
    }, status);
  }

  app.get(`${PATH}/:id`, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderItem(request, reply, staff, (request.params as { id: string }).id, null);
  });

  app.post(`${PATH}/:id/claim`, async (request, reply) => {
    const staff = await requireStaff(request);
    const { id } = request.params as { id: string };
    try {
      await oa.claim(staff, id, request.id);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
      const t = translator(resolveLang(request, reply));
      return renderItem(request, reply, staff, id, { values: {}, errors: {}, problem: t('ombudsmanAgency.error.claimConflict') }, err.status);
    }
    return reply.redirect(`${PATH}/${id}?done=claimed`, 303);
  });

  app.post(`${PATH}/:id/answer`, async (request, reply) => {
    const staff = await requireStaff(request);
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const answer = text(body.answer).slice(0, ANSWER_LIMITS.max + 1);
    let office: string;
    try {
      office = (await oa.answer(staff, id, { answer }, request.id)).office;
    } catch (err) {
      if (!(err instanceof AppError) || !['invalid-request', 'conflict', 'forbidden'].includes(err.code)) throw err;
      if (err.code === 'forbidden') await request.recordDenial(err.code);
      const t = translator(resolveLang(request, reply));
      const errors = err.code === 'invalid-request' ? fieldErrors(err, t) : {};
      const problem = err.code === 'invalid-request' ? null : t(`ombudsmanAgency.error.${err.code === 'conflict' ? 'answerConflict' : 'notClaimant'}`);
      return renderItem(request, reply, staff, id, { values: { answer }, errors, problem }, err.status);
    }
    return reply.redirect(`${PATH}?answered=${encodeURIComponent(id)}${staff.user.role === 'supervisor' ? `&office=${office}` : ''}`, 303);
  });
}
