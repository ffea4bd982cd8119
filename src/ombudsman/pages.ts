/**
 * The Ombudsman's pages, plain HTML that works without JavaScript, in English and Spanish.
 *
 * The public's case assistance request (DHS Form 7001) in steps that keep what was typed: a draft saved on the
 * server, resumable by its link (an unguessable token; only its hash is stored):
 *   GET  /ombudsman/case-assistance                       what the Ombudsman does, what to have ready; Start
 *   POST /ombudsman/case-assistance/start                 a new draft; 303 to its first step
 *   GET  /ombudsman/case-assistance/d/:token/:step        a step (you, cases, actions, reasons) or the review
 *   POST /ombudsman/case-assistance/d/:token/:step        saves the step (always), then the next step or the errors
 *   GET  /ombudsman/case-assistance/d/:token/review       every answer, the problems left, and the advice before sending
 *   POST /ombudsman/case-assistance/d/:token/documents    multipart: files kept in the draft (PDF, JPEG, PNG by their bytes;
 *                                                         over a limit, the step again with the error, 413, never a reset)
 *   POST /ombudsman/case-assistance/d/:token/documents/remove   takes one file out of the draft
 *   POST /ombudsman/case-assistance/d/:token/submit       CaseAssistanceService#submitDraft (the files move to the request); 303 to done
 *   GET  /ombudsman/case-assistance/d/:token/done         the request number and the advice
 * The POSTs change data and carry the page context's CSRF token.
 *
 * The analyst's desk (Ombudsman staff, signed in):
 *   GET  /ombudsman/desk?status=                          the queue, oldest first, with review-by and act-by dates
 *   GET  /ombudsman/desk/:requestNumber                   the request, cited referrals and calls checked, history, actions
 *   POST /ombudsman/desk/:requestNumber/(assign|note|status)
 *   GET  /ombudsman/desk/:requestNumber/documents/:id     a document, as a download (audited)
 *   POST /ombudsman/desk/:requestNumber/<panel action>     the forms of a panel another capability adds (DeskPanel)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, longDateTime } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';
import type { Agency } from '../platform/reference.ts';
import { DRAFT_KEEP_DAYS, PRIOR_ACTION_KINDS, REVIEW_WITHIN_DAYS, STATUSES, STATUS_FLOW, type CaseAssistanceStatus } from './policy.ts';
import { draftHash, type CaseAssistanceService } from './service.ts';
import type { CaseAssistanceDocumentService, DocumentView } from '../ombudsman-documents/service.ts';
import { contentDisposition } from '../ombudsman-documents/service.ts';
import { MAX_FILES_PER_REQUEST, MAX_FILE_BYTES, MAX_REQUEST_BYTES, UPLOAD_DRAIN_LIMITS, UPLOAD_LIMITS, megabytes } from '../ombudsman-documents/policy.ts';
import { drainBeforeAnswer, readUpload, registerUploads } from '../platform/http/multipart.ts';
import { number } from '../platform/i18n/format.ts';
import type { CaseAssistanceView, Eligibility } from './views.ts';
import type { StaffActor } from '../platform/authorize.ts';

export interface OmbudsmanPageDeps {
  caseAssistance: CaseAssistanceService;
  documents: CaseAssistanceDocumentService;
  agency: Pick<Agency, 'forms' | 'timeZone'>;
  /** Where people reach the public pages (PUBLIC_URL): the resume link is shown in full. */
  publicUrl: string;
  /** A panel of the request page from another capability (src/ombudsman-agency/: questions to the agency, letters). */
  panel?: DeskPanel;
}

/** A form of a panel refused by its service: which form, what was typed, the error (400, 409 or 422). */
export interface DeskFormState { form: string; values: Record<string, string>; error: AppError }

/**
 * A panel another capability adds to the analyst's request page: its model (`panel` in the template, which
 * desk-request.njk includes) and its forms, posted at /ombudsman/desk/:requestNumber/<action>.
 */
export interface DeskPanel {
  model(actor: StaffActor, r: CaseAssistanceView, lang: Lang, state: DeskFormState | null): Promise<unknown>;
  /** The fields the panel's forms post. */
  fields: readonly string[];
  actions: Record<string, (actor: StaffActor, requestNumber: string, values: Record<string, string>, traceId: string) => Promise<void>>;
}

const STEP_VIEW = 'ombudsman/views/step.njk';
const START_VIEW = 'ombudsman/views/start.njk';
const DONE_VIEW = 'ombudsman/views/done.njk';
const MISSING_VIEW = 'ombudsman/views/missing.njk';
const QUEUE_VIEW = 'ombudsman/views/desk-queue.njk';
const REQUEST_VIEW = 'ombudsman/views/desk-request.njk';

const STEPS = ['you', 'cases', 'actions', 'reasons', 'documents', 'review'] as const;
type Step = (typeof STEPS)[number];
const ROWS = [1, 2, 3] as const;

/** The fields of each step (strings as posted), in page order. */
const STEP_FIELDS: Record<Exclude<Step, 'review' | 'documents'>, string[]> = {
  you: ['requesterName', 'requesterEmail', 'requesterPhone', 'requesterAddress', 'filingFor', 'applicantName', 'applicantDob', 'applicantCountry', 'applicantANumber', 'authority'],
  cases: [...ROWS.flatMap((n) => [`case${n}Receipt`, `case${n}Form`, `case${n}ReceiptDate`]), 'benefitType'],
  actions: ROWS.flatMap((n) => [`action${n}Date`, `action${n}Kind`, `action${n}Referral`, `action${n}Call`]),
  reasons: ['reasons'],
};
// One over the service's limit for the analyst's texts, so an over-long one is refused, never cut short.
const MAX_LEN: Record<string, number> = { reasons: 8000, requesterAddress: 500, text: 8001, outcome: 8001, question: 4001, letter: 8001 };
const ALL_FIELDS = Object.values(STEP_FIELDS).flat();

const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

function posted(body: unknown, fields: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = Array.isArray(b[f]) ? (b[f] as unknown[])[0] : b[f];
    out[f] = typeof v === 'string' ? v.slice(0, MAX_LEN[f] ?? 200) : '';
  }
  return out;
}

/** A date as typed (YYYY-MM-DD or MM/DD/YYYY) in ISO form; anything else as typed, for the service to refuse. */
function isoDate(s: string): string {
  const v = s.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  return us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : v;
}

/** The draft's strings as the API's body (the same checks and advice as POST /api/v1/ombudsman/case-assistance). */
export function draftBody(v: Record<string, string>): Record<string, unknown> {
  const val = (k: string) => (v[k] ?? '').trim();
  const other = val('filingFor') === 'other';
  const cases = ROWS.filter((n) => val(`case${n}Receipt`) || val(`case${n}Form`) || val(`case${n}ReceiptDate`)).map((n) => ({
    receiptNumber: val(`case${n}Receipt`), formType: val(`case${n}Form`),
    ...(val(`case${n}ReceiptDate`) ? { receiptDate: isoDate(val(`case${n}ReceiptDate`)) } : {}), ...(val('benefitType') ? { benefitType: val('benefitType') } : {}),
  }));
  const priorActions = ROWS.filter((n) => val(`action${n}Date`) || val(`action${n}Kind`) || val(`action${n}Referral`) || val(`action${n}Call`)).map((n) => ({
    date: isoDate(val(`action${n}Date`)), kind: val(`action${n}Kind`),
    ...(val(`action${n}Referral`) ? { referralNumber: val(`action${n}Referral`) } : {}), ...(val(`action${n}Call`) ? { callReference: val(`action${n}Call`) } : {}),
  }));
  return {
    requester: { name: val('requesterName'), email: val('requesterEmail'), phone: val('requesterPhone'), address: val('requesterAddress') },
    ...(other ? { applicant: { name: val('applicantName'), dateOfBirth: isoDate(val('applicantDob')), countryOfBirth: val('applicantCountry'), aNumber: val('applicantANumber') } } : {}),
    cases, priorActions, reasons: val('reasons'),
    consent: other && val('authority') === 'consent', g28OnFile: other && val('authority') === 'g28',
  };
}

interface PageError { step: Step; field: string; key: string }

/** The service's field names as the page's fields, steps and messages. */
function pageError(field: string): PageError {
  const m = /^(requester|applicant)\.(\w+)$/.exec(field);
  if (m) {
    const f = `${m[1]}${m[2]![0]!.toUpperCase()}${m[2]!.slice(1)}`.replace('applicantDateOfBirth', 'applicantDob');
    const known = ['requesterName', 'requesterEmail', 'applicantName', 'applicantDob', 'applicantANumber'];
    return { step: 'you', field: known.includes(f) ? f : `${m[1]}Name`, key: known.includes(f) ? f : 'other' };
  }
  if (field === 'requester' || field === 'applicant') return { step: 'you', field: `${field}Name`, key: `${field}Name` };
  if (field === 'consent' || field === 'g28OnFile') return { step: 'you', field: 'authority-consent', key: 'consent' };
  const c = /^cases\.(\d+)\.(\w+)$/.exec(field);
  if (c) {
    const n = Number(c[1]) + 1;
    const map: Record<string, [string, string]> = { receiptNumber: ['Receipt', 'caseReceipt'], formType: ['Form', 'caseForm'], receiptDate: ['ReceiptDate', 'caseReceiptDate'] };
    const [suffix, key] = map[c[2]!] ?? ['Receipt', 'other'];
    return { step: 'cases', field: `case${n}${suffix}`, key };
  }
  if (field.startsWith('cases')) return { step: 'cases', field: 'case1Receipt', key: 'cases' };
  const a = /^priorActions\.(\d+)\.(\w+)$/.exec(field);
  if (a) {
    const n = Number(a[1]) + 1;
    const map: Record<string, [string, string]> = { date: ['Date', 'actionDate'], kind: ['Kind', 'actionKind'], referralNumber: ['Referral', 'actionReferral'], callReference: ['Call', 'actionCall'] };
    const [suffix, key] = map[a[2]!] ?? ['Date', 'other'];
    return { step: 'actions', field: `action${n}${suffix}`, key };
  }
  if (field.startsWith('priorActions')) return { step: 'actions', field: 'action1Date', key: 'other' };
  return { step: 'reasons', field: 'reasons', key: field === 'reasons' ? 'reasons' : 'other' };
}

/** The problems of a draft, from the service's own checks (empty when it can be sent). */
function problemsOf(ca: CaseAssistanceService, values: Record<string, string>): PageError[] {
  try {
    ca.read(draftBody(values));
    return [];
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid-request') {
      const seen = new Set<string>();
      return ((err.extensions.errors as Array<{ field: string }> | undefined) ?? []).map((e) => pageError(e.field)).filter((e) => !seen.has(e.field) && seen.add(e.field));
    }
    throw err;
  }
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const MEDIA_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };
/** A size as people read it: whole KB under 1 MB, else MB with one decimal, in the page's language. */
export function sizeText(bytes: number, lang: Lang): string {
  if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), lang)} KB`;
  return `${number(Math.round((bytes / 1024 / 1024) * 10) / 10, lang)} MB`;
}
const documentRow = (d: DocumentView, lang: Lang) => ({ ...d, typeName: MEDIA_NAMES[d.mediaType] ?? d.mediaType, sizeText: sizeText(d.size, lang) });

/** A refused upload in the page's words: which file, which limit. */
function uploadErrorText(err: AppError, t: Translate): string {
  const x = err.extensions as { limit?: string; fileName?: string };
  if (err.code === 'unsupported-media-type' && x.fileName !== undefined) return t('ombudsman.form.documents.error.type', { name: x.fileName });
  if (err.code === 'payload-too-large') {
    if (x.limit === 'file-bytes') return x.fileName ? t('ombudsman.form.documents.error.fileTooLarge', { name: x.fileName, mb: megabytes(MAX_FILE_BYTES) }) : t('ombudsman.form.documents.error.fileTooLargeAny', { mb: megabytes(MAX_FILE_BYTES) });
    if (x.limit === 'files') return t('ombudsman.form.documents.error.tooMany', { max: MAX_FILES_PER_REQUEST });
    return t('ombudsman.form.documents.error.tooLargeTotal', { mb: megabytes(MAX_REQUEST_BYTES) });
  }
  return t('ombudsman.form.documents.error.broken');
}

export function ombudsmanPages(app: FastifyInstance, deps: OmbudsmanPageDeps): void {
  const ca = deps.caseAssistance;
  const forms = deps.agency.forms.map((f) => f.code);
  const base = (token: string, lang: Lang) => `/ombudsman/case-assistance/d/${token}`;
  const stepHref = (token: string, step: string, lang: Lang) => `${base(token, lang)}/${step}?lang=${lang}`;

  const missing = (reply: FastifyReply) => reply.page(MISSING_VIEW, { titleKey: 'ombudsman.form.missingTitle', hasError: true, days: DRAFT_KEEP_DAYS }, 404);

  app.get('/ombudsman/case-assistance', { config: { rateLimit: 'public' } }, async (request, reply) => {
    resolveLang(request, reply);
    return reply.page(START_VIEW, { titleKey: 'ombudsman.form.title' });
  });

  app.post('/ombudsman/case-assistance/start', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const token = await ca.startDraft(lang, request.id);
    return reply.redirect(stepHref(token, 'you', lang), 303);
  });

  /** A step's model: what was typed, the errors of this step (and a refused upload's), the documents, the advice on the review. */
  const stepModel = async (token: string, step: Step, lang: Lang, values: Record<string, string>, errors: PageError[], uploadError: string | null = null, notice: string | null = null) => {
    const t = translator(lang);
    const all = Object.fromEntries(ALL_FIELDS.map((f) => [f, values[f] ?? '']));
    const here = errors.filter((e) => e.step === step || step === 'review');
    const errorOf: Record<string, string> = {};
    for (const e of here) errorOf[e.field] ??= t(`ombudsman.form.error.${e.key}`);
    let eligibility: Eligibility | null = null;
    if (step === 'review' && errors.length === 0) eligibility = await ca.assess(ca.read(draftBody(values)));
    const index = STEPS.indexOf(step);
    if (uploadError) errorOf.files = uploadError;
    const documents = step === 'documents' || step === 'review' ? (await deps.documents.ofDraft(draftHash(token))).map((d) => documentRow(d, lang)) : [];
    return {
      titleKey: `ombudsman.form.steps.${step}`, step, stepNumber: index + 1, stepCount: STEPS.length, steps: STEPS,
      values: all,
      errors: [
        ...here.map((e) => ({ field: e.field, text: t(`ombudsman.form.error.${e.key}`), href: step === 'review' ? `${stepHref(token, e.step, lang)}#${e.field}` : `#${e.field}` })),
        ...(uploadError ? [{ field: 'files', text: uploadError, href: '#files' }] : []),
      ],
      errorOf, hasError: here.length > 0 || uploadError !== null,
      documents, notice, removeAction: `${base(token, lang)}/documents/remove?lang=${lang}`,
      documentRules: { fileMb: megabytes(MAX_FILE_BYTES), files: MAX_FILES_PER_REQUEST, totalMb: megabytes(MAX_REQUEST_BYTES) },
      action: `${base(token, lang)}/${step === 'review' ? 'submit' : step}?lang=${lang}`,
      backHref: index > 0 ? stepHref(token, STEPS[index - 1]!, lang) : '/ombudsman/case-assistance?lang=' + lang,
      stepHrefs: Object.fromEntries(STEPS.map((s) => [s, stepHref(token, s, lang)])),
      resumeUrl: `${deps.publicUrl}${stepHref(token, step, lang)}`,
      forms, kinds: PRIOR_ACTION_KINDS, kindNames: Object.fromEntries(PRIOR_ACTION_KINDS.map((k) => [k, t(`ombudsman.form.kind.${k}`)])), rows: ROWS, eligibility,
    };
  };

  app.get('/ombudsman/case-assistance/d/:token/:step', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    noStore(reply);
    const { token, step } = request.params as { token: string; step: string };
    const draft = await ca.draft(token);
    if (!draft) return missing(reply);
    if (draft.submittedAs && step !== 'done') return reply.redirect(`${base(token, lang)}/done?lang=${lang}`, 303);
    if (step === 'done') {
      if (!draft.submittedAs) return reply.redirect(stepHref(token, 'review', lang), 303);
      const eligibility = await ca.assess(ca.read(draftBody(draft.values))).catch(() => null);
      return reply.page(DONE_VIEW, { titleKey: 'ombudsman.form.done.title', requestNumber: draft.submittedAs, eligibility, reviewDays: REVIEW_WITHIN_DAYS });
    }
    if (!isStep(step)) throw new AppError('not-found', 'There is no such step.');
    const errors = step === 'review' ? problemsOf(ca, draft.values) : [];
    const done = queryValue(request.query, 'done');
    const notice = step === 'documents' && (done === 'added' || done === 'removed') ? translator(lang)(`ombudsman.form.documents.${done}`) : null;
    return reply.page(STEP_VIEW, await stepModel(token, step, lang, draft.values, errors, null, notice));
  });

  app.post('/ombudsman/case-assistance/d/:token/:step', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    noStore(reply);
    const { token, step } = request.params as { token: string; step: string };
    const draft = await ca.draft(token);
    if (!draft) return missing(reply);
    if (draft.submittedAs) return reply.redirect(`${base(token, lang)}/done?lang=${lang}`, 303);
    if (step === 'submit') {
      const errors = problemsOf(ca, draft.values);
      if (errors.length) return reply.page(STEP_VIEW, await stepModel(token, 'review', lang, draft.values, errors), 400);
      await ca.submitDraft(token, draftBody(draft.values), lang, request.id);
      return reply.redirect(`${base(token, lang)}/done?lang=${lang}`, 303);
    }
    if (!isStep(step) || step === 'review' || step === 'documents') throw new AppError('not-found', 'There is no such step.');
    const values = posted(request.body, STEP_FIELDS[step]);
    await ca.saveDraft(token, values, request.id);
    const merged = { ...draft.values, ...values };
    const errors = problemsOf(ca, merged).filter((e) => e.step === step);
    if (errors.length) return reply.page(STEP_VIEW, await stepModel(token, step, lang, merged, errors), 400);
    return reply.redirect(stepHref(token, STEPS[STEPS.indexOf(step) + 1]!, lang), 303);
  });

  // The documents step: files come as multipart/form-data, parsed only in this scope. The CSRF token is a field
  // of the multipart body, checked (by the page context's own check) once the body is read, before anything is kept.
  app.register(async (scope) => {
    await registerUploads(scope, UPLOAD_LIMITS);
    scope.post('/ombudsman/case-assistance/d/:token/documents', { config: { rateLimit: 'public', csrf: false, drainLimits: UPLOAD_DRAIN_LIMITS } }, async (request, reply) => {
      const lang = resolveLang(request, reply);
      noStore(reply);
      const { token } = request.params as { token: string };
      const draft = await ca.draft(token);
      if (!draft) {
        await drainBeforeAnswer(request, reply, UPLOAD_DRAIN_LIMITS);
        return missing(reply);
      }
      if (draft.submittedAs) {
        await drainBeforeAnswer(request, reply, UPLOAD_DRAIN_LIMITS);
        return reply.redirect(`${base(token, lang)}/done?lang=${lang}`, 303);
      }
      const refused = async (err: unknown) => {
        if (!(err instanceof AppError) || !['payload-too-large', 'unsupported-media-type', 'invalid-request'].includes(err.code)) throw err;
        await drainBeforeAnswer(request, reply, UPLOAD_DRAIN_LIMITS);
        return reply.page(STEP_VIEW, await stepModel(token, 'documents', lang, draft.values, [], uploadErrorText(err, translator(lang))), err.status);
      };
      let upload;
      try {
        upload = await readUpload(request, UPLOAD_LIMITS);
      } catch (err) {
        return refused(err);
      }
      request.body = upload.fields;
      await new Promise<void>((resolve, reject) => scope.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
      try {
        await deps.documents.addToDraft(draftHash(token), upload.files.map((f) => ({ fileName: f.fileName, bytes: f.bytes })), request.id);
      } catch (err) {
        return refused(err);
      }
      if (upload.fields.action === 'continue') return reply.redirect(stepHref(token, 'review', lang), 303);
      return reply.redirect(`${stepHref(token, 'documents', lang)}${upload.files.length ? '&done=added' : ''}#files`, 303);
    });
  });

  app.post('/ombudsman/case-assistance/d/:token/documents/remove', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    noStore(reply);
    const { token } = request.params as { token: string };
    const draft = await ca.draft(token);
    if (!draft) return missing(reply);
    if (draft.submittedAs) return reply.redirect(`${base(token, lang)}/done?lang=${lang}`, 303);
    const { documentId } = posted(request.body, ['documentId']);
    await deps.documents.removeFromDraft(draftHash(token), documentId ?? '', request.id);
    return reply.redirect(`${stepHref(token, 'documents', lang)}&done=removed`, 303);
  });

  // The analyst's desk.
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return actor;
  };

  app.get('/ombudsman/desk', async (request, reply) => {
    const lang = resolveLang(request, reply);
    const actor = await signedIn(request, reply);
    if (!actor) return reply;
    const status = queryValue(request.query, 'status');
    const page = await ca.list(actor, STATUSES.includes(status as CaseAssistanceStatus) ? status : undefined, 1, 200, request.id);
    const today = new Date().toISOString().slice(0, 10);
    return reply.page(QUEUE_VIEW, {
      titleKey: 'ombudsman.desk.title', statuses: STATUSES, status,
      items: page.items.map((i) => ({
        ...i, href: `/ombudsman/desk/${i.requestNumber}?lang=${lang}`, received: longDate(i.createdAt.slice(0, 10), lang),
        reviewByText: longDate(i.reviewBy, lang), actByText: longDate(i.actBy, lang), late: i.status !== 'closed' && i.actBy < today,
      })),
      total: page.total,
    });
  });

  const requestModel = async (actor: Awaited<ReturnType<typeof signedIn>> & object, n: string, lang: Lang, traceId: string, problem: string | null, state: DeskFormState | null = null) => {
    const r = await ca.get(actor, n, traceId);
    const zone = deps.agency.timeZone;
    const analysts = await ca.analysts(actor);
    const documents = (await deps.documents.list(actor, r.requestNumber)).map((d) => ({
      ...documentRow(d, lang), added: longDateTime(d.uploadedAt, lang, zone), href: `/ombudsman/desk/${r.requestNumber}/documents/${d.id}`,
    }));
    return {
      titleKey: 'ombudsman.desk.title', r, analysts, documents, next: STATUS_FLOW[r.status], problem, hasError: problem !== null || state !== null,
      panel: deps.panel ? await deps.panel.model(actor, r, lang, state) : null,
      received: longDateTime(r.createdAt, lang, zone), reviewByText: longDate(r.reviewBy, lang), actByText: longDate(r.actBy, lang),
      actions: r.priorActions.map((a) => ({
        ...a, dateText: longDate(a.date, lang),
        referralDue: a.referral?.dueDate ? longDate(a.referral.dueDate, lang) : '', callAt: a.call?.startedAt ? longDateTime(a.call.startedAt, lang, zone) : '',
      })),
      history: r.history.map((h) => ({
        ...h, when: longDateTime(h.at, lang, zone), text: typeof h.detail?.text === 'string' ? h.detail.text : '', to: h.action === 'status' && typeof h.detail?.to === 'string' ? h.detail.to : '',
        letter: typeof h.detail?.letter === 'string' ? h.detail.letter : '',
      })),
    };
  };

  app.get('/ombudsman/desk/:requestNumber', async (request, reply) => {
    const lang = resolveLang(request, reply);
    const actor = await signedIn(request, reply);
    if (!actor) return reply;
    const n = (request.params as { requestNumber: string }).requestNumber;
    return reply.page(REQUEST_VIEW, { ...(await requestModel(actor, n, lang, request.id, null)), saved: queryValue(request.query, 'done') === '1' });
  });

  app.get('/ombudsman/desk/:requestNumber/documents/:id', async (request, reply) => {
    const actor = await signedIn(request, reply);
    if (!actor) return reply;
    const { requestNumber, id } = request.params as { requestNumber: string; id: string };
    const d = await deps.documents.download(actor, requestNumber, id, request.id);
    return reply.type(d.mediaType).header('content-disposition', contentDisposition(d.fileName)).header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store').header('content-length', String(d.content.length)).send(d.content);
  });

  for (const what of ['assign', 'note', 'status'] as const) {
    app.post(`/ombudsman/desk/:requestNumber/${what}`, async (request, reply) => {
      const lang = resolveLang(request, reply);
      const actor = await signedIn(request, reply);
      if (!actor) return reply;
      const n = (request.params as { requestNumber: string }).requestNumber;
      const v = posted(request.body, ['userId', 'text', 'status', 'outcome']);
      try {
        if (what === 'assign') await ca.assign(actor, n, v.userId!, request.id);
        else if (what === 'note') await ca.note(actor, n, v.text!, request.id);
        else await ca.changeStatus(actor, n, { status: v.status!, outcome: v.outcome }, request.id);
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid-request', 'conflict'].includes(err.code)) throw err;
        const detail = err.code === 'invalid-request' ? ((err.extensions.errors as Array<{ detail: string }> | undefined)?.map((e) => e.detail).join(' ') ?? err.message) : err.message;
        return reply.page(REQUEST_VIEW, { ...(await requestModel(actor, n, lang, request.id, translator(lang)('ombudsman.desk.error', { detail }))), saved: false }, err.status);
      }
      return reply.redirect(`/ombudsman/desk/${n}?lang=${lang}&done=1`, 303);
    });
  }

  // The forms of the panel another capability adds (questions to the agency, letters to the person).
  for (const [name, act] of Object.entries(deps.panel?.actions ?? {})) {
    app.post(`/ombudsman/desk/:requestNumber/${name}`, async (request, reply) => {
      const lang = resolveLang(request, reply);
      const actor = await signedIn(request, reply);
      if (!actor) return reply;
      const n = (request.params as { requestNumber: string }).requestNumber;
      const values = posted(request.body, deps.panel!.fields);
      try {
        await act(actor, n, values, request.id);
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid-request', 'conflict', 'unprocessable'].includes(err.code)) throw err;
        return reply.page(REQUEST_VIEW, { ...(await requestModel(actor, n, lang, request.id, null, { form: name, values, error: err })), saved: false }, err.status);
      }
      return reply.redirect(`/ombudsman/desk/${n}?lang=${lang}&done=1#${name}`, 303);
    });
  }
}
