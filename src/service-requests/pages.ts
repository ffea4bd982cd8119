/**
 * The public's online service requests (CONTRACT.md section 10), as plain pages that work without JavaScript,
 * in English and Spanish:
 *   GET  /service-requests                 "Ask us online": the kinds the public may file, and the ones that need a call
 *   GET  /service-requests/new/:type       one form per kind (receipt number, name and date of birth, details, the kind's fields)
 *   POST /service-requests/new/:type       checks on the page, then ServiceRequestService#create; 303 to the result
 *   GET  /service-requests/created         the referral number and due date, printable
 *   GET  /service-requests/status          referral number + receipt number → status and due date (the answer mail links here)
 *   POST /service-requests/reopen          "This did not solve my problem" on an answered request; 303 back to the status
 * The POST forms change data, so they carry the page context's CSRF token (unlike the read-only case status form).
 * The create form also carries a random form token used as an idempotency key: a double submit shows one result.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, monthNames } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { formatReferralNumber, parseReferralNumber } from '../domain/referral-number.ts';
import { checkFields } from '../domain/service-request-rules.ts';
import type { KindRule } from '../domain/service-request-policy.ts';
import { keyProblem, requestHash } from '../platform/idempotency/key.ts';
import type { IdempotentAnswer } from '../platform/idempotency/service.ts';
import { REASON_MAX } from './policy.ts';
import type { CreateInput, ServiceRequestService } from './service.ts';
import type { PublicStatus } from './views.ts';

export interface ServiceRequestPageDeps {
  serviceRequests: ServiceRequestService;
  /** The agency's receipt number prefixes, to check the receipt number on the page with every other field. */
  receiptPrefixes: readonly string[];
  /** How long to wait for a first submit still running before answering a second one (tests shorten it). */
  inFlightWaitMs?: number;
}

const INDEX = 'service-requests/views/index.njk';
const FORM = 'service-requests/views/form.njk';
const CREATED = 'service-requests/views/created.njk';
const STATUS = 'service-requests/views/status.njk';

/** A field in error: the form field it belongs to and the catalogue message (requestOnline.error.<key>). */
interface PageError {
  field: string;
  key: string;
}

/** A message box in place of a field error: a refusal of the whole request (not matched, too early, advice, duplicate). */
interface Notice {
  kind: 'notMatched' | 'tooEarly' | 'advice' | 'duplicate' | 'notAnswered' | 'closed';
  text?: string;
  date?: string;
  existing?: { referral: string; referralNumber: string; dueDate: string; status: string; href: string };
}

/** What the form posts (strings only), kept to put back into the form after an error. */
type Values = Record<(typeof FORM_FIELDS)[number], string>;
const FORM_FIELDS = ['receiptNumber', 'name', 'dobMonth', 'dobDay', 'dobYear', 'details', 'urgency', 'expediteCriterion', 'street', 'street2', 'city', 'state', 'zip', 'formToken'] as const;

/** Field lengths the page keeps (longer text is cut, never echoed in full). */
const MAX_LEN: Partial<Record<keyof Values, number>> = { details: 8000, name: 200, street: 200, street2: 200, city: 100, state: 20, zip: 20 };

/** The messages the catalogue has for a rule's field error (requestOnline.error.<field>.<code>); others use the general one. */
const RULE_MESSAGES = new Set(['details.required', 'details.too-long', 'newAddress.required', 'urgency.not-allowed', 'expediteCriterion.required', 'expediteCriterion.not-allowed']);
/** Where a rule's field error points on the page. */
const RULE_FIELD_ID: Record<string, string> = { details: 'details', newAddress: 'street', urgency: 'urgency-urgent', expediteCriterion: 'expediteCriterion-0' };

/** The form's fields from top to bottom (the ids error summary links point at). */
const FIELD_ORDER = ['receiptNumber', 'name', 'dobMonth', 'street', 'street2', 'city', 'state', 'zip', 'expediteCriterion-0', 'details', 'urgency-urgent'];

const STATUSES = new Set(['open', 'claimed', 'answered', 'closed', 'reopened']);

function formValues(body: unknown): Values {
  const b = (body ?? {}) as Record<string, unknown>;
  const out = {} as Values;
  for (const f of FORM_FIELDS) {
    const v = Array.isArray(b[f]) ? (b[f] as unknown[])[0] : b[f];
    out[f] = typeof v === 'string' ? v.slice(0, MAX_LEN[f] ?? 60) : '';
  }
  return out;
}

/** The date of birth from its three fields: an ISO date, or the reason it is not one. */
export function dateOfBirth(month: string, day: string, year: string, today: string): { ok: true; value: string } | { ok: false; code: 'required' | 'invalid' | 'future' } {
  const [m, d, y] = [month.trim(), day.trim(), year.trim()];
  if (!m && !d && !y) return { ok: false, code: 'required' };
  if (!/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d) || !/^\d{4}$/.test(y)) return { ok: false, code: 'invalid' };
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso || Number(y) < 1900) return { ok: false, code: 'invalid' };
  if (iso > today) return { ok: false, code: 'future' };
  return { ok: true, value: iso };
}

const today = () => new Date().toISOString().slice(0, 10);

/** The page's field checks: receipt number, name, date of birth (and, for change of address, the address's parts). */
function pageChecks(v: Values, prefixes: readonly string[], addressed: boolean): { errors: PageError[]; receipt: string | null; dob: string | null } {
  const errors: PageError[] = [];
  let receipt: string | null = null;
  if (!v.receiptNumber.trim()) errors.push({ field: 'receiptNumber', key: 'receiptNumber.required' });
  else {
    receipt = parseReceiptNumber(v.receiptNumber, prefixes)?.value ?? null;
    if (!receipt) errors.push({ field: 'receiptNumber', key: 'receiptNumber.invalid' });
  }
  if (!v.name.trim()) errors.push({ field: 'name', key: 'name.required' });
  const dob = dateOfBirth(v.dobMonth, v.dobDay, v.dobYear, today());
  if (!dob.ok) errors.push({ field: 'dobMonth', key: `dateOfBirth.${dob.code}` });
  // An address with nothing in it is the rules' "required"; one begun is checked part by part.
  if (addressed && [v.street, v.street2, v.city, v.state, v.zip].some((x) => x.trim())) {
    if (!v.street.trim()) errors.push({ field: 'street', key: 'street.required' });
    if (!v.city.trim()) errors.push({ field: 'city', key: 'city.required' });
    if (!v.state.trim()) errors.push({ field: 'state', key: 'state.required' });
    else if (!/^[A-Za-z]{2}$/.test(v.state.trim())) errors.push({ field: 'state', key: 'state.invalid' });
    if (!v.zip.trim()) errors.push({ field: 'zip', key: 'zip.required' });
    else if (!/^\d{5}(-?\d{4})?$/.test(v.zip.trim())) errors.push({ field: 'zip', key: 'zip.invalid' });
  }
  return { errors, receipt, dob: dob.ok ? dob.value : null };
}

/** The rules' field errors (from the page's own check or the service's invalid-request) as page errors. */
function ruleErrors(errors: ReadonlyArray<{ field: string; code: string }>): PageError[] {
  return errors.map((e) => ({ field: RULE_FIELD_ID[e.field] ?? 'details', key: RULE_MESSAGES.has(`${e.field}.${e.code}`) ? `${e.field}.${e.code}` : 'other' }));
}

/** What the request carries of the form: the rules' fields the kind has, and the new address as an object. */
function requestFieldsOf(v: Values, kind: KindRule): Record<string, unknown> {
  const fields: Record<string, unknown> = { details: v.details.trim() };
  if (v.urgency) fields.urgency = v.urgency;
  if ('expediteCriterion' in kind.fields && v.expediteCriterion) fields.expediteCriterion = v.expediteCriterion;
  if ('newAddress' in kind.fields && [v.street, v.street2, v.city, v.state, v.zip].some((x) => x.trim())) {
    fields.newAddress = {
      street: v.street.trim(), ...(v.street2.trim() ? { street2: v.street2.trim() } : {}), city: v.city.trim(), state: v.state.trim().toUpperCase(), zip: v.zip.trim(),
    };
  }
  return fields;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const statusHref = (referralNumber: string, receiptNumber: string, lang: Lang, extra: Record<string, string> = {}) =>
  `/service-requests/status?${new URLSearchParams({ referralNumber, receiptNumber, ...extra, lang }).toString()}`;

function duplicateNotice(err: AppError, receipt: string, lang: Lang): Notice {
  const e = err.extensions.existing as { referralNumber: string; status: string; dueDate: string };
  return {
    kind: 'duplicate',
    existing: {
      referral: formatReferralNumber(e.referralNumber), referralNumber: e.referralNumber, dueDate: longDate(e.dueDate, lang),
      status: STATUSES.has(e.status) ? e.status : 'open', href: statusHref(e.referralNumber, receipt, lang),
    },
  };
}

export function serviceRequestPages(app: FastifyInstance, deps: ServiceRequestPageDeps): void {
  const sr = deps.serviceRequests;
  const rules = sr.rules;
  const publicKind = (type: string): KindRule | undefined => sr.kindsFor('public').find((k) => k.type === type);
  const has = (t: Translate, key: string) => t(key) !== key;

  app.get('/service-requests', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const online = sr.kindsFor('public');
    const receiptNumber = parseReceiptNumber(queryValue(request.query, 'receiptNumber'), deps.receiptPrefixes)?.value ?? '';
    const kinds = online.map((k) => ({
      type: k.type, title: k.title[lang], when: has(t, `requestOnline.kind.${k.type}`) ? t(`requestOnline.kind.${k.type}`) : '',
      href: `/service-requests/new/${k.type}?${new URLSearchParams({ ...(receiptNumber ? { receiptNumber } : {}), lang }).toString()}`,
    }));
    const byPhone = rules.policy.kinds.filter((k) => !online.includes(k)).map((k) => ({
      type: k.type, title: k.title[lang], when: has(t, `requestOnline.byPhone.${k.type}`) ? t(`requestOnline.byPhone.${k.type}`) : '',
    }));
    return reply.page(INDEX, { titleKey: 'requestOnline.title', kinds, byPhone });
  });

  /** The form's model: the kind, its fields, what was typed, and what went wrong. */
  const formModel = (kind: KindRule, lang: Lang, values: Values, errors: PageError[], notice: Notice | null) => {
    const t = translator(lang);
    const kindFields = Object.keys(kind.fields);
    const criteria = kind.fields.expediteCriterion?.oneOf ?? [];
    const errorOf: Record<string, string> = {};
    // The summary lists the problems in the order of the fields on the page.
    errors = [...errors].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
    for (const e of errors) errorOf[e.field] ??= t(`requestOnline.error.${e.key}`);
    return {
      titleKey: 'requestOnline.form.title', outcome: kind.title[lang],
      kind: { type: kind.type, title: kind.title[lang], when: has(t, `requestOnline.kind.${kind.type}`) ? t(`requestOnline.kind.${kind.type}`) : '' },
      address: kindFields.includes('newAddress'), criteria: kindFields.includes('expediteCriterion') ? criteria : [],
      urgency: kind.urgentPriority !== undefined && rules.policy.commonFields.urgency !== undefined,
      detailsMax: rules.policy.commonFields.details?.maxLength ?? null,
      values: { ...values, formToken: keyProblem(values.formToken) === null ? values.formToken : randomUUID() },
      monthNames: monthNames(lang), errors: errors.map((e) => ({ field: e.field, text: t(`requestOnline.error.${e.key}`) })), errorOf,
      notice, hasError: errors.length > 0 || notice !== null,
    };
  };

  app.get('/service-requests/new/:type', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const type = (request.params as { type: string }).type;
    const kind = rules.kind(type);
    if (!kind) throw new AppError('not-found', 'There is no such kind of request.');
    if (!publicKind(type)) {
      // A kind the public cannot file online (an expedite): say so and give the number, without a form.
      return reply.page(FORM, { titleKey: 'requestOnline.form.title', outcome: kind.title[lang], byPhone: { title: kind.title[lang], type } });
    }
    const values = formValues({});
    values.receiptNumber = parseReceiptNumber(queryValue(request.query, 'receiptNumber'), deps.receiptPrefixes)?.value ?? '';
    values.formToken = randomUUID();
    return reply.page(FORM, formModel(kind, lang, values, [], null));
  });

  app.post('/service-requests/new/:type', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const type = (request.params as { type: string }).type;
    const kind = rules.kind(type);
    if (!kind) throw new AppError('not-found', 'There is no such kind of request.');
    const values = formValues(request.body);
    const again = (errors: PageError[], notice: Notice | null, status: number) => reply.page(FORM, formModel(kind, lang, values, errors, notice), status);

    const { errors, receipt, dob } = pageChecks(values, deps.receiptPrefixes, 'newAddress' in kind.fields);
    const fields = requestFieldsOf(values, kind);
    errors.push(...ruleErrors(checkFields({ ...rules.policy.commonFields, ...kind.fields }, fields, kind.type)));
    if (errors.length || !receipt || !dob) return again(errors, null, 400);

    const input: CreateInput = { receiptNumber: receipt, type: kind.type, ...fields, verification: { name: values.name.trim(), dateOfBirth: dob } } as CreateInput;
    const token = keyProblem(values.formToken) === null ? values.formToken : null;
    const hash = requestHash({ method: 'POST', route: '/service-requests/new/:type', params: { type: kind.type }, body: input });
    const create = (key: string | null) => sr.create({ kind: 'anonymous' }, input, { scope: 'public:form', key, requestHash: hash }, { lang, traceId: request.id });
    try {
      let answer: IdempotentAnswer | undefined;
      const deadline = Date.now() + (deps.inFlightWaitMs ?? 5000);
      for (let key = token; answer === undefined;) {
        try {
          answer = await create(key);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // The same form sent twice while the first is running: wait for its answer, then show the same result.
          if (err.code === 'conflict' && key !== null && Date.now() < deadline) await sleep(100);
          // The same form token with other answers (the form sent, changed and sent again): a new request.
          else if (err.code === 'idempotency-key-reused' && key !== null) key = null;
          else throw err;
        }
      }
      const created = JSON.parse(answer.body) as { referralNumber: string };
      return reply.redirect(`/service-requests/created?${new URLSearchParams({ referralNumber: created.referralNumber, receiptNumber: receipt, lang }).toString()}`, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      switch (err.code) {
        case 'invalid-receipt-number': return again([{ field: 'receiptNumber', key: 'receiptNumber.invalid' }], null, 400);
        case 'invalid-request': return again(ruleErrors((err.extensions.errors as Array<{ field: string; code: string }> | undefined) ?? []), null, 400);
        case 'not-found': return again([], { kind: 'notMatched' }, 404);
        case 'too-early': return again([], { kind: 'tooEarly', date: longDate(String(err.extensions.earliestInquiryDate), lang) }, 422);
        case 'unprocessable':
        case 'forbidden': {
          const advice = err.extensions.advice as Record<Lang, string> | undefined;
          return again([], { kind: 'advice', text: advice?.[lang] ?? translator(lang)('requestOnline.notice.adviceFallback') }, err.status);
        }
        case 'duplicate-service-request': return again([], duplicateNotice(err, receipt, lang), 409);
        case 'conflict': return again([], { kind: 'advice', text: translator(lang)('requestOnline.notice.stillSending') }, 409);
        default: throw err;
      }
    }
  });

  /** A request as its pages show it. */
  const present = (s: PublicStatus, receiptNumber: string, lang: Lang) => ({
    referralNumber: s.referralNumber, referral: formatReferralNumber(s.referralNumber), receiptNumber, status: s.status,
    dueDate: longDate(s.dueDate, lang), dueIso: s.dueDate,
  });

  const lookup = async (referral: string, receipt: string): Promise<PublicStatus | null> => {
    try {
      return await sr.publicStatus(referral, receipt);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not-found') return null;
      throw err;
    }
  };

  app.get('/service-requests/created', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const receipt = parseReceiptNumber(queryValue(request.query, 'receiptNumber'), deps.receiptPrefixes)?.value ?? '';
    const found = receipt ? await lookup(queryValue(request.query, 'referralNumber'), receipt) : null;
    if (!found) return reply.page(STATUS, { ...statusBase(), notFound: true, hasError: true, outcome: translator(lang)('requestOnline.status.notFoundHeading') }, 404);
    return reply.page(CREATED, {
      titleKey: 'requestOnline.created.title', outcome: translator(lang)('requestOnline.created.heading'),
      request: present(found, receipt, lang), statusHref: statusHref(found.referralNumber, receipt, lang), today: longDate(today(), lang),
    });
  });

  /** The status page's model before anything is looked up. */
  function statusBase() {
    return {
      titleKey: 'requestOnline.status.title', values: { referralNumber: '', receiptNumber: '' }, errors: [] as Array<{ field: string; text: string }>, errorOf: {} as Record<string, string>,
      result: null as ReturnType<typeof present> | null, notFound: false, reopened: false, notice: null as Notice | null,
      reopen: { name: '', dobMonth: '', dobDay: '', dobYear: '', reason: '' }, reopenErrors: [] as Array<{ field: string; text: string }>, reopenErrorOf: {} as Record<string, string>,
      monthNames: [] as string[], reasonMax: REASON_MAX,
    };
  }

  const statusResult = (result: ReturnType<typeof present>, lang: Lang) => ({
    ...statusBase(), result, monthNames: monthNames(lang), values: { referralNumber: result.referral, receiptNumber: result.receiptNumber },
    outcome: translator(lang)(`requestOnline.statusWord.${result.status}`),
  });

  app.get('/service-requests/status', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = (request.query ?? {}) as Record<string, unknown>;
    const referralInput = queryValue(q, 'referralNumber').slice(0, 40);
    const receiptInput = queryValue(q, 'receiptNumber').slice(0, 40);
    const base = { ...statusBase(), values: { referralNumber: referralInput, receiptNumber: receiptInput } };
    if (!('referralNumber' in q) && !('receiptNumber' in q)) return reply.page(STATUS, base);

    const errors: PageError[] = [];
    const referral = parseReferralNumber(referralInput);
    if (!referralInput) errors.push({ field: 'referralNumber', key: 'referralNumber.required' });
    else if (!referral.ok) errors.push({ field: 'referralNumber', key: `referralNumber.${referral.reason}` });
    const receipt = parseReceiptNumber(receiptInput, deps.receiptPrefixes)?.value ?? null;
    if (!receiptInput) errors.push({ field: 'receiptNumber', key: 'receiptNumber.required' });
    else if (!receipt) errors.push({ field: 'receiptNumber', key: 'receiptNumber.invalid' });
    if (errors.length || !referral.ok || !receipt) {
      const errorOf: Record<string, string> = {};
      for (const e of errors) errorOf[e.field] = t(`requestOnline.error.${e.key}`);
      return reply.page(STATUS, { ...base, errors: errors.map((e) => ({ field: e.field, text: t(`requestOnline.error.${e.key}`) })), errorOf }, 400);
    }
    const found = await lookup(referral.value, receipt);
    if (!found) return reply.page(STATUS, { ...base, notFound: true, hasError: true, outcome: t('requestOnline.status.notFoundHeading') }, 404);
    return reply.page(STATUS, { ...statusResult(present(found, receipt, lang), lang), reopened: queryValue(q, 'reopened') === '1' });
  });

  app.post('/service-requests/reopen', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const b = (request.body ?? {}) as Record<string, unknown>;
    const str = (k: string, max = 60) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, max) : '');
    const reopen = { name: str('name', 200), dobMonth: str('dobMonth'), dobDay: str('dobDay'), dobYear: str('dobYear'), reason: str('reason', REASON_MAX * 2) };
    const receipt = parseReceiptNumber(str('receiptNumber'), deps.receiptPrefixes)?.value ?? '';
    const referral = parseReferralNumber(str('referralNumber'));
    const found = referral.ok && receipt ? await lookup(referral.value, receipt) : null;
    if (!referral.ok || !found) return reply.page(STATUS, { ...statusBase(), notFound: true, hasError: true, outcome: t('requestOnline.status.notFoundHeading') }, 404);
    const again = (errors: PageError[], notice: Notice | null, status: number, current: PublicStatus = found) => {
      const reopenErrorOf: Record<string, string> = {};
      for (const e of errors) reopenErrorOf[e.field] ??= t(`requestOnline.error.${e.key}`);
      return reply.page(STATUS, {
        ...statusResult(present(current, receipt, lang), lang), reopen, notice, hasError: true,
        reopenErrors: errors.map((e) => ({ field: e.field, text: t(`requestOnline.error.${e.key}`) })), reopenErrorOf,
      }, status);
    };

    const errors: PageError[] = [];
    if (!reopen.name.trim()) errors.push({ field: 'name', key: 'name.required' });
    const dob = dateOfBirth(reopen.dobMonth, reopen.dobDay, reopen.dobYear, today());
    if (!dob.ok) errors.push({ field: 'dobMonth', key: `dateOfBirth.${dob.code}` });
    if (!reopen.reason.trim()) errors.push({ field: 'reason', key: 'reason.required' });
    else if (reopen.reason.trim().length > REASON_MAX) errors.push({ field: 'reason', key: 'reason.too-long' });
    if (errors.length || !dob.ok) return again(errors, null, 400);

    try {
      await sr.publicReopen(referral.value, { receiptNumber: receipt, verification: { name: reopen.name.trim(), dateOfBirth: dob.value }, reason: reopen.reason.trim() }, request.id);
      return reply.redirect(statusHref(referral.value, receipt, lang, { reopened: '1' }), 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      switch (err.code) {
        case 'not-found': return again([], { kind: 'notMatched' }, 404);
        case 'conflict': return again([], { kind: 'notAnswered' }, 409, (await lookup(referral.value, receipt)) ?? found);
        case 'unprocessable': return again([], { kind: 'closed' }, 422, (await lookup(referral.value, receipt)) ?? found);
        case 'duplicate-service-request': return again([], duplicateNotice(err, receipt, lang), 409);
        case 'invalid-request': return again([{ field: 'reason', key: 'reason.required' }], null, 400);
        default: throw err;
      }
    }
  });
}

