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

/** Status-change alerts (src/alerts/): sign-ups, confirmations and unsubscriptions, and the messages queued. */
export async function alertCounts(db: Db, r: Range): Promise<{ signups: number; confirmed: number; unsubscribed: number; confirmationMessages: number; alertMessages: number }> {
  const { rows } = await sql<{ signups: unknown; confirmed: unknown; unsubscribed: unknown; confirm_messages: unknown; alert_messages: unknown }>`
    select (select count(*) from alert_subscriptions where created_at >= ${r.start} and created_at < ${r.end}) as signups,
           (select count(*) from alert_subscriptions where confirmed_at >= ${r.start} and confirmed_at < ${r.end}) as confirmed,
           (select count(*) from alert_subscriptions where unsubscribed_at >= ${r.start} and unsubscribed_at < ${r.end}) as unsubscribed,
           (select count(*) from outbox where template = 'alert-confirm' and created_at >= ${r.start} and created_at < ${r.end}) as confirm_messages,
           (select count(*) from outbox where template = 'alert-status-changed' and created_at >= ${r.start} and created_at < ${r.end}) as alert_messages`.execute(db);
  const row = rows[0];
  return { signups: n(row?.signups), confirmed: n(row?.confirmed), unsubscribed: n(row?.unsubscribed), confirmationMessages: n(row?.confirm_messages), alertMessages: n(row?.alert_messages) };
}

// ---------------------------------------------------------------------------------------------------------------
// Rollups (migration 20261202T0640_report_rollups, ADR 0014): the same figures as above, summed per UTC hour of a
// record's creation, and the report's one read of them.

/** 'YYYY-MM-DDTHH' of an instant. */
const hourExpr = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 13)`;

export interface HourlyRow { hour: string; metric: string; dimension: string; value: number }

/** Up to `limit` hours marked changed, oldest first (read only; takeDirtyHours removes the marks). */
export async function dirtyHours(db: Db, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('report_dirty_hours').select('hour').distinct().orderBy('hour').limit(limit).execute();
  return rows.map((r) => r.hour);
}

/**
 * Removes the marks of these hours, committed before they are summed: on PostgreSQL the DELETE waits for any writer
 * still holding a mark's row (its trigger's upsert), so the sums that follow see that writer's rows; a writer after
 * the DELETE marks the hour again.
 */
export async function clearDirtyHours(db: Db, hours: readonly string[]): Promise<void> {
  if (hours.length) await db.deleteFrom('report_dirty_hours').where('hour', 'in', hours).execute();
}

/** Marks hours changed (a failed refresh puts its marks back; a rebuild marks every hour with data). */
export async function markDirtyHours(db: Db, dialect: 'sqlite' | 'postgres', hours: readonly string[]): Promise<void> {
  for (let i = 0; i < hours.length; i += 500) {
    const q = db.insertInto('report_dirty_hours').values(hours.slice(i, i + 500).map((hour) => ({ hour, marks: 1 })));
    // PostgreSQL's marks are an append-only log (no key); SQLite's one row per hour.
    await (dialect === 'postgres' ? q : q.onConflict((oc) => oc.column('hour').doNothing())).execute();
  }
}

/** Every hour that holds a call, an escalation, a service request or rollup rows (what a rebuild sums). */
export async function hoursWithData(db: Db): Promise<string[]> {
  const [a, b, c, d, e, f] = await Promise.all([
    db.selectFrom('contacts').select(hourExpr('started_at').as('h')).distinct().execute(),
    db.selectFrom('escalations').select(hourExpr('created_at').as('h')).distinct().execute(),
    db.selectFrom('service_requests').select(hourExpr('created_at').as('h')).distinct().execute(),
    db.selectFrom('report_hourly').select('hour as h').distinct().execute(),
    db.selectFrom('report_repeat_calls').select('hour as h').distinct().execute(),
    db.selectFrom('report_daily').select(sql<string>`day || 'T00'`.as('h')).distinct().execute(),
  ]);
  return [...new Set([...a, ...b, ...c, ...d, ...e, ...f].map((r) => r.h))].sort();
}

/** The raw sums of [start, end) per hour, for the service to turn into rollup rows. */
export async function hourlySums(db: Db, r: Range) {
  const h = hourExpr('started_at');
  const calls = await db.selectFrom('contacts').select((eb) => [h.as('hour'), 'tier', 'language', eb.fn.countAll().as('n')])
    .where('started_at', '>=', r.start).where('started_at', '<', r.end).groupBy([h, 'tier', 'language']).execute();
  const he = hourExpr('created_at');
  const callback = (eb: any, extra?: any) => eb.case().when(extra ? eb.and([eb('mode', '=', 'callback'), extra]) : eb('mode', '=', 'callback')).then(1).else(0).end();
  const esc = await db.selectFrom('escalations').select((eb) => [
    he.as('hour'), eb.fn.countAll().as('total'),
    eb.fn.sum(callback(eb)).as('made'),
    eb.fn.sum(callback(eb, eb.and([eb('status', '=', 'done'), eb('closed_at', '<=', eb.ref('due_at'))]))).as('on_time'),
    eb.fn.sum(callback(eb, eb.and([eb('status', '=', 'done'), eb('closed_at', '>', eb.ref('due_at'))]))).as('late_done'),
    eb.fn.sum(callback(eb, eb('status', '=', 'missed'))).as('missed'),
  ]).where('created_at', '>=', r.start).where('created_at', '<', r.end).groupBy(he).execute();
  const sr = await db.selectFrom('service_requests').select((eb) => [
    he.as('hour'), 'type', 'office', eb.fn.countAll().as('n'), eb.fn.sum(eb.case().when('reopen_count', '>', 0).then(1).else(0).end()).as('reopened'),
  ]).where('created_at', '>=', r.start).where('created_at', '<', r.end).groupBy([he, 'type', 'office']).execute();
  const answeredHour = sql<string>`substr(answered_at, 1, 13)`;
  const answered = await db.selectFrom('service_requests').select((eb) => [he.as('hour'), 'office', 'created_date', 'due_date', answeredHour.as('answered_hour'), eb.fn.countAll().as('n')])
    .where('created_at', '>=', r.start).where('created_at', '<', r.end)
    // Written so no index can serve it: an hour's few rows come by creation instant from the covering index
    // service_requests_report; SQLite without statistics (after a bulk load) otherwise walked every answered
    // request by status through service_requests_answered (5.2 s an hour at 2 M requests).
    .where(sql<boolean>`(case when status in ('answered', 'closed') and answered_at is not null then 1 else 0 end) = 1`)
    .groupBy([he, 'office', 'created_date', 'due_date', answeredHour]).execute();
  return {
    calls: calls.map((x) => ({ hour: x.hour, tier: x.tier, language: x.language, n: n(x.n) })),
    escalations: esc.map((x) => ({ hour: x.hour, total: n(x.total), made: n(x.made), onTime: n(x.on_time), lateDone: n(x.late_done), missed: n(x.missed) })),
    serviceRequests: sr.map((x) => ({ hour: x.hour, type: x.type, office: x.office, n: n(x.n), reopened: n(x.reopened) })),
    answered: answered.map((x) => ({ hour: x.hour, office: x.office, createdDate: x.created_date, dueDate: x.due_date, answeredHour: x.answered_hour, n: n(x.n) })),
  };
}

/**
 * Replaces the rollup rows of [start, end) (hour-aligned) with `rows`, and re-derives its repeat calls: for each
 * call in the range linked to a case, the latest earlier call from the same phone about the same case (ties broken
 * by id), kept when there is one.
 */
export async function replaceRollups(db: Db, r: Range, rows: readonly HourlyRow[], options: { repeatCalls: boolean } = { repeatCalls: true }): Promise<void> {
  const hs = r.start.slice(0, 13);
  const he = r.end.slice(0, 13);
  await db.deleteFrom('report_hourly').where('hour', '>=', hs).where('hour', '<', he).execute();
  if (!options.repeatCalls) {
    // A rebuild derives every repeat call at the end in one pass (rebuildRepeatCalls), not range by range.
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('report_hourly').values(rows.slice(i, i + 500) as HourlyRow[]).execute();
    await replaceDays(db, r);
    return;
  }
  // The phones whose rows go (their later rows' blocked_until may change), then those whose rows come.
  await sql`insert into report_repeat_dirty_phones (caller_phone)
    select distinct caller_phone from report_repeat_calls where hour >= ${hs} and hour < ${he}`.execute(db);
  await db.deleteFrom('report_repeat_calls').where('hour', '>=', hs).where('hour', '<', he).execute();
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('report_hourly').values(rows.slice(i, i + 500) as HourlyRow[]).execute();
  // Materialised, so the previous-call lookup runs once a link (SQLite would otherwise run it for the filter too).
  // The lookup walks the phone's calls backwards from this one (index contacts_phone_id: phone, instant, id) and
  // stops at the first linked to the same case: a caller calls again mostly about the same case, so one or two
  // probes, not one per earlier call of the phone (9 s for an hour of 8,000 links at 15 M calls on PostgreSQL).
  // Distinct: a call linked to two cases whose previous calls are one earlier call is one row.
  await sql`
    with linked as materialized (
      select substr(c.started_at, 1, 13) as hour, c.caller_phone as caller_phone, c.started_at as at,
        (select c2.started_at from contacts c2
          where c2.caller_phone = c.caller_phone and c2.started_at <= c.started_at and (c2.started_at < c.started_at or c2.id < c.id)
            and exists (select 1 from contact_cases cc2 where cc2.contact_id = c2.id and cc2.receipt_number = cc.receipt_number)
          order by c2.started_at desc, c2.id desc limit 1) as previous_at
      from contacts c join contact_cases cc on cc.contact_id = c.id
      where c.started_at >= ${r.start} and c.started_at < ${r.end} and c.caller_phone is not null
    )
    insert into report_repeat_calls (hour, caller_phone, at, previous_at)
    select distinct hour, caller_phone, at, previous_at from linked where previous_at is not null`.execute(db);
  await sql`insert into report_repeat_dirty_phones (caller_phone)
    select distinct caller_phone from report_repeat_calls where hour >= ${hs} and hour < ${he}`.execute(db);
  await replaceDays(db, r);
}

/** The UTC day after 'YYYY-MM-DD'. */
const nextUtcDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

/** Re-sums into report_daily every UTC day that [start, end) touches, whole, from its report_hourly rows. */
async function replaceDays(db: Db, r: Range): Promise<void> {
  const first = r.start.slice(0, 10);
  const last = new Date(Date.parse(r.end) - 1).toISOString().slice(0, 10);
  const after = nextUtcDay(last);
  await db.deleteFrom('report_daily').where('day', '>=', first).where('day', '<=', last).execute();
  await sql`
    insert into report_daily (day, metric, dimension, value)
    select substr(hour, 1, 10), metric, dimension, sum(value) from report_hourly
    where hour >= ${`${first}T00`} and hour < ${`${after}T00`}
    group by substr(hour, 1, 10), metric, dimension`.execute(db);
}

/**
 * The rollups' sums over the hours of [start, end): one row per metric and dimension. The whole UTC days inside the
 * period are read from report_daily, the hours at either end (a local midnight is a UTC hour) from report_hourly.
 */
export async function rollupSums(db: Db, r: Range): Promise<Array<{ metric: string; dimension: string; value: number }>> {
  const hs = r.start.slice(0, 13);
  const he = r.end.slice(0, 13);
  // The first whole day starts at or after start; the last ends at or before end.
  const firstDay = hs.endsWith('T00') ? hs.slice(0, 10) : nextUtcDay(hs.slice(0, 10));
  const endDay = he.slice(0, 10); // days before it are whole (end is exclusive)
  const sums = new Map<string, { metric: string; dimension: string; value: number }>();
  const add = (rows: Array<{ metric: string; dimension: string; value: unknown }>) => {
    for (const x of rows) {
      const key = `${x.metric}\u0000${x.dimension}`;
      const row = sums.get(key);
      if (row) row.value += n(x.value); else sums.set(key, { metric: x.metric, dimension: x.dimension, value: n(x.value) });
    }
  };
  const hourly = (from: string, to: string) => db.selectFrom('report_hourly').select((eb) => ['metric', 'dimension', eb.fn.sum<string | number>('value').as('value')])
    .where('hour', '>=', from).where('hour', '<', to).groupBy(['metric', 'dimension']).execute();
  if (firstDay >= endDay) {
    add(await hourly(hs, he));
  } else {
    const [head, days, tail] = await Promise.all([
      hourly(hs, `${firstDay}T00`),
      db.selectFrom('report_daily').select((eb) => ['metric', 'dimension', eb.fn.sum<string | number>('value').as('value')])
        .where('day', '>=', firstDay).where('day', '<', endDay).groupBy(['metric', 'dimension']).execute(),
      hourly(`${endDay}T00`, he),
    ]);
    add(head); add(days); add(tail);
  }
  return [...sums.values()];
}

/**
 * Recomputes blocked_until for every row of the phones a refresh replaced rows of (migration 0800 explains why one
 * row per repeat caller then has blocked_until before the period's start), and clears the list. The phones are
 * read first and named in each statement (500 at a time), on both sides of the join: with a subquery the planner,
 * knowing nothing of the list's size, hashed all 12 M rows of a year to update a few hundred (33 s on PostgreSQL
 * after a live hour). Only rows whose value changes are written.
 */
export async function recomputeRepeatOrder(db: Db): Promise<void> {
  const phones = (await db.selectFrom('report_repeat_dirty_phones').select('caller_phone').distinct().execute()).map((r) => r.caller_phone);
  for (let i = 0; i < phones.length; i += REPEAT_ORDER_CHUNK) {
    const list = sql.join(phones.slice(i, i + REPEAT_ORDER_CHUNK));
    await sql`
      update report_repeat_calls set blocked_until = w.m
      from (
        select caller_phone, at, previous_at,
          max(previous_at) over (partition by caller_phone order by at, previous_at rows between unbounded preceding and 1 preceding) as m
        from report_repeat_calls where caller_phone in (${list})
      ) w
      where report_repeat_calls.caller_phone in (${list})
        and report_repeat_calls.caller_phone = w.caller_phone and report_repeat_calls.at = w.at and report_repeat_calls.previous_at = w.previous_at
        and report_repeat_calls.blocked_until is distinct from w.m`.execute(db);
  }
  await db.deleteFrom('report_repeat_dirty_phones').execute();
}
const REPEAT_ORDER_CHUNK = 500;

/**
 * A rebuild's repeat calls, every one in one pass instead of one correlated lookup per case link: each link's
 * previous call about the same case from the same phone is the one before it in (started_at, id) order (a window
 * LAG, the same call the range-by-range derivation in replaceRollups finds); a call linked to two cases with one
 * previous call is one row; blocked_until is the window that recomputeRepeatOrder applies, over every phone.
 * The count index is dropped and made again after the load (one sort, not 12 M inserts in random order); its
 * definition is migration 20261202T0800_report_daily's.
 */
export async function rebuildRepeatCalls(db: Db, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') {
    // Sorts of ~15 M links in memory rather than spilled in 4 MB runs; for this transaction only.
    await sql`set local work_mem = '256MB'`.execute(db);
    await sql`set local maintenance_work_mem = '512MB'`.execute(db);
    await sql`truncate report_repeat_calls, report_repeat_dirty_phones`.execute(db);
  } else {
    await db.deleteFrom('report_repeat_calls').execute();
    await db.deleteFrom('report_repeat_dirty_phones').execute();
  }
  await db.schema.dropIndex('report_repeat_calls_count').execute();
  await sql`
    insert into report_repeat_calls (hour, caller_phone, at, previous_at, blocked_until)
    select substr(at, 1, 13), caller_phone, at, previous_at,
      max(previous_at) over (partition by caller_phone order by at, previous_at rows between unbounded preceding and 1 preceding)
    from (
      select distinct caller_phone, at, previous_at from (
        select c.caller_phone as caller_phone, c.started_at as at,
          lag(c.started_at) over (partition by c.caller_phone, cc.receipt_number order by c.started_at, c.id) as previous_at
        from contacts c join contact_cases cc on cc.contact_id = c.id
        where c.caller_phone is not null
      ) links
      where previous_at is not null
    ) calls`.execute(db);
  await db.schema.createIndex('report_repeat_calls_count').on('report_repeat_calls').columns(['hour', 'previous_at', 'blocked_until']).execute();
}

/** Whether a refresh left phones whose repeat rows need ordering again. */
export async function repeatOrderPending(db: Db): Promise<boolean> {
  return (await db.selectFrom('report_repeat_dirty_phones').select('caller_phone').limit(1).execute()).length > 0;
}

/**
 * Repeat callers from the rollup: phones with a call in the period whose previous call about that case is in it too,
 * one row each (the first of its rows to qualify: blocked_until before the start).
 */
export async function rollupRepeatCallers(db: Db, r: Range): Promise<number> {
  const row = await db.selectFrom('report_repeat_calls').select((eb) => eb.fn.countAll().as('n'))
    .where('hour', '>=', r.start.slice(0, 13)).where('hour', '<', r.end.slice(0, 13)).where('previous_at', '>=', r.start)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', r.start)])).executeTakeFirstOrThrow();
  return n(row.n);
}

/** Callbacks asked for in the period, still open and past due at `now` (late now; the rollups hold only settled ones). */
export async function openLateCallbacks(db: Db, r: Range, now: string): Promise<number> {
  // Literal values, so SQLite may use the partial index escalations_open_callbacks (a bound parameter cannot imply it).
  const row = await db.selectFrom('escalations').select((eb) => eb.fn.countAll().as('n'))
    .where(sql<boolean>`mode = 'callback' and status = 'open'`).where('due_at', '<', now)
    .where('created_at', '>=', r.start).where('created_at', '<', r.end).executeTakeFirstOrThrow();
  return n(row.n);
}

/**
 * After a rebuild rewrote every rollup row: on PostgreSQL, VACUUM ANALYZE the rollup tables, so the visibility map
 * lets the repeat-caller count read its index alone and the planner knows the new sizes (autovacuum would, later).
 */
export async function afterRebuild(db: Db, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`vacuum analyze report_hourly, report_daily, report_repeat_calls`.execute(db);
}

/** Serialises rollup writers across instances on PostgreSQL (held to the end of the transaction). */
export async function lockRollups(db: Db, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':report-rollups'))`.execute(db);
}
