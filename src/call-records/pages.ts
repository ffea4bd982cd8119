/**
 * The public call-record look-up (CONTRACT.md section 8, ContactService.publicRecord), a plain page that works
 * without JavaScript, in English and Spanish:
 *   GET  /call-record   the form (reference and the phone number the call came from); the mailed record links here
 *                       with ?reference= filled in
 *   POST /call-record   the record: reference, date and time in the agency's time zone, agent ID, service request
 *                       referral numbers, callbacks promised. A wrong pair says only that no call has both: never
 *                       which one was wrong. The phone number travels in the body, never in an address.
 * The POST only reads, so it takes no CSRF token (like the case status form); both are limited per address.
 */
import type { FastifyInstance } from 'fastify';
import type { ContactService } from '../contacts/service.ts';
import type { CallRecord } from '../contacts/views.ts';
import type { Agency } from '../platform/reference.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';
import { formatContactReference, parseContactReference } from '../domain/contact-reference.ts';
import { normalisePhone } from '../domain/phone-number.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import { FIELD_MAX, OMBUDSMAN_REVIEW_DAYS } from './policy.ts';

export interface CallRecordPageDeps {
  contacts: Pick<ContactService, 'publicRecord'>;
  agency: Pick<Agency, 'timeZone'>;
  clock?: () => Date;
}

const PAGE = 'call-records/views/call-record.njk';

export function callRecordPages(app: FastifyInstance, deps: CallRecordPageDeps): void {
  const now = deps.clock ?? (() => new Date());
  const base = (values: { reference: string; phone: string }) => ({ titleKey: 'callRecord.title', values, reviewDays: OMBUDSMAN_REVIEW_DAYS });

  function present(r: CallRecord, phone: string, lang: Lang) {
    const zone = deps.agency.timeZone;
    const ageDays = (now().getTime() - Date.parse(r.startedAt)) / 86_400_000;
    return {
      reference: formatContactReference(r.reference),
      startedAt: longDateTime(r.startedAt, lang, zone),
      endedAt: r.endedAt ? longDateTime(r.endedAt, lang, zone) : null,
      agentId: r.agentId,
      phone,
      serviceRequests: r.serviceRequests.map(formatReferralNumber),
      callbacks: r.callbacks.map((c) => ({ due: longDateTime(c.dueAt, lang, zone), status: c.status === 'open' || c.status === 'done' || c.status === 'missed' ? c.status : 'other' })),
      tooOldForReview: ageDays > OMBUDSMAN_REVIEW_DAYS,
    };
  }

  app.get('/call-record', { config: { rateLimit: 'public' } }, async (request, reply) => {
    resolveLang(request, reply);
    const reference = queryValue(request.query, 'reference').slice(0, FIELD_MAX);
    return reply.page(PAGE, base({ reference, phone: '' }));
  });

  app.post('/call-record', { config: { csrf: false, rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim().slice(0, FIELD_MAX) : '');
    const values = { reference: field('reference'), phone: field('phone') };
    const errors: Array<{ field: string; text: string }> = [];
    const reference = parseContactReference(values.reference);
    if (!values.reference) errors.push({ field: 'reference', text: t('callRecord.error.referenceRequired') });
    else if (!reference) errors.push({ field: 'reference', text: t('callRecord.error.referenceInvalid') });
    const phone = normalisePhone(values.phone);
    if (!values.phone) errors.push({ field: 'phone', text: t('callRecord.error.phoneRequired') });
    else if (!phone) errors.push({ field: 'phone', text: t('callRecord.error.phoneInvalid') });
    if (errors.length || !reference || !phone) {
      return reply.page(PAGE, { ...base(values), errors, errorOf: Object.fromEntries(errors.map((e) => [e.field, e.text])) }, 400);
    }
    let record: CallRecord;
    try {
      record = await deps.contacts.publicRecord(reference, phone);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not-found') {
        return reply.page(PAGE, { ...base(values), notFound: true, hasError: true, outcome: t('callRecord.notFoundHeading') }, 404);
      }
      throw err;
    }
    return reply.page(PAGE, { ...base({ reference: '', phone: '' }), record: present(record, values.phone, lang), outcome: t('callRecord.resultHeading') });
  });
}
