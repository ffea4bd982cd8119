/**
 * All SQL of the contact center report: each figure is one aggregate (GROUP BY / SUM / COUNT) over the period's
 * rows, the same SQL on SQLite and PostgreSQL. Instants are fixed-width ISO 8601 UTC text, so a period is the
 * half-open text range [start, end) of its first and last local days' bounds.
 * Median business days and on-time answers need each office's calendar (holidays, time zone), which SQL does not
 * have: the database groups answered requests by office, creation date, due date and the UTC hour of the answer,
 * and the service applies the calendar to each group (never to each row).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

type Db = Kysely<Database>;
export interface Range { start: string; end: string }

const n = (v: unknown): number => Number(v ?? 0);

/** Contacts (all sources) started in the period, by tier and language. */
export async function callCounts(db: Db, r: Range): Promise<Array<{ tier: string | null; language: string; n: number }>> {
  const rows = await db.selectFrom('contacts').select((eb) => ['tier', 'language', eb.fn.countAll().as('n')])
    .where('started_at', '>=', r.start).where('started_at', '<', r.end).groupBy(['tier', 'language']).execute();
  return rows.map((x) => ({ tier: x.tier, language: x.language, n: n(x.n) }));
}

/**
 * Escalations to Tier 2 asked for in the period (live transfers and callbacks), and of the callbacks: made, done
 * with the reaching attempt (closed_at) at or before due_at, late (done after due_at, or still open past due at
 * `now`), missed.
 */
export async function escalationCounts(db: Db, r: Range, now: string) {
  const row = await db.selectFrom('escalations').select((eb) => [
    eb.fn.countAll().as('escalations'),
    eb.fn.sum(eb.case().when('mode', '=', 'callback').then(1).else(0).end()).as('made'),
    eb.fn.sum(eb.case().when(eb.and([eb('mode', '=', 'callback'), eb('status', '=', 'done'), eb('closed_at', '<=', eb.ref('due_at'))])).then(1).else(0).end()).as('on_time'),
    eb.fn.sum(eb.case().when(eb.and([eb('mode', '=', 'callback'), eb.or([
      eb.and([eb('status', '=', 'done'), eb('closed_at', '>', eb.ref('due_at'))]),
      eb.and([eb('status', '=', 'open'), eb('due_at', '<', now)]),
    ])])).then(1).else(0).end()).as('late'),
    eb.fn.sum(eb.case().when(eb.and([eb('mode', '=', 'callback'), eb('status', '=', 'missed')])).then(1).else(0).end()).as('missed'),
  ]).where('created_at', '>=', r.start).where('created_at', '<', r.end).executeTakeFirstOrThrow();
  return { escalations: n(row.escalations), made: n(row.made), onTime: n(row.on_time), late: n(row.late), missed: n(row.missed) };
}

/** Service requests created in the period by type and office, with how many were ever reopened. */
export async function serviceRequestCounts(db: Db, r: Range): Promise<Array<{ type: string; office: string; n: number; reopened: number }>> {
  const rows = await db.selectFrom('service_requests').select((eb) => [
    'type', 'office', eb.fn.countAll().as('n'),
    eb.fn.sum(eb.case().when('reopen_count', '>', 0).then(1).else(0).end()).as('reopened'),
  ]).where('created_at', '>=', r.start).where('created_at', '<', r.end).groupBy(['type', 'office']).execute();
  return rows.map((x) => ({ type: x.type, office: x.office, n: n(x.n), reopened: n(x.reopened) }));
}

/**
 * The answered requests created in the period (answered or closed after an answer; a reopened one waits for its
 * next answer), grouped by holding office, creation date, due date and the UTC hour of the (latest) answer.
 */
export async function answeredGroups(db: Db, r: Range): Promise<Array<{ office: string; createdDate: string; dueDate: string; answeredHour: string; n: number }>> {
  const hour = sql<string>`substr(answered_at, 1, 13)`;
  const rows = await db.selectFrom('service_requests').select((eb) => ['office', 'created_date', 'due_date', hour.as('answered_hour'), eb.fn.countAll().as('n')])
    .where('created_at', '>=', r.start).where('created_at', '<', r.end).where('status', 'in', ['answered', 'closed']).where('answered_at', 'is not', null)
    .groupBy(['office', 'created_date', 'due_date', hour]).execute();
  return rows.map((x) => ({ office: x.office, createdDate: x.created_date, dueDate: x.due_date, answeredHour: x.answered_hour, n: n(x.n) }));
}

/** Callers (caller_phone) with more than one call in the period linked to the same case (contact_cases). */
export async function repeatCallers(db: Db, r: Range): Promise<number> {
  const pairs = db.selectFrom('contacts').innerJoin('contact_cases', 'contact_cases.contact_id', 'contacts.id')
    .select('contacts.caller_phone').where('contacts.started_at', '>=', r.start).where('contacts.started_at', '<', r.end)
    .where('contacts.caller_phone', 'is not', null)
    .groupBy(['contacts.caller_phone', 'contact_cases.receipt_number'])
    .having((eb) => eb.fn.count(eb.ref('contacts.id')).distinct(), '>', 1);
  const row = await db.selectFrom(pairs.as('p')).select((eb) => eb.fn.count(eb.ref('p.caller_phone')).distinct().as('n')).executeTakeFirstOrThrow();
  return n(row.n);
}

/** Call reviews the Ombudsman asked for in the period. */
export async function callReviewCount(db: Db, r: Range): Promise<number> {
  const row = await db.selectFrom('call_reviews').select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '>=', r.start).where('created_at', '<', r.end).executeTakeFirstOrThrow();
  return n(row.n);
}

/** Case assistance requests (DHS Form 7001) made in the period: table case_assistance_requests (src/case-assistance). */
export async function caseAssistanceCount(db: Db, r: Range): Promise<number> {
  const { rows } = await sql<{ n: unknown }>`select count(*) as n from case_assistance_requests where created_at >= ${r.start} and created_at < ${r.end}`.execute(db);
  return n(rows[0]?.n);
}

/** "Was this page helpful?" answers in the period: yes (1), no (0), and non-empty comments; table feedback. */
export async function feedbackCounts(db: Db, r: Range): Promise<{ helpful: number; notHelpful: number; comments: number }> {
  const { rows } = await sql<{ helpful: unknown; not_helpful: unknown; comments: unknown }>`
    select sum(case when helpful = 1 then 1 else 0 end) as helpful,
           sum(case when helpful = 0 then 1 else 0 end) as not_helpful,
           sum(case when comment is not null and trim(comment) <> '' then 1 else 0 end) as comments
    from feedback where created_at >= ${r.start} and created_at < ${r.end}`.execute(db);
  return { helpful: n(rows[0]?.helpful), notHelpful: n(rows[0]?.not_helpful), comments: n(rows[0]?.comments) };
}
