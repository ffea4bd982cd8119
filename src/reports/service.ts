/**
 * The contact center report (CONTRACT.md section 12) for any period of days in the agency's time zone, `to`
 * included; by default the current federal fiscal year to date. Every figure is an SQL aggregate (store.ts); the
 * office calendars (src/domain/business-days.ts) are applied here to groups of answered service requests, for the
 * median business days to answer and the share answered on time. Definitions: docs/reports.md.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import type { Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { dateOrInstantToInstant, todayIn } from '../domain/calendar.ts';
import type { BusinessCalendar } from '../domain/business-days.ts';
import { parsePeriod, share, weightedMedian, type Period, type PeriodQuery } from './checks.ts';
import { ROLLUP_BRIDGE_HOURS, ROLLUP_DIRTY_BATCH, ROLLUP_HOURS_PER_TRANSACTION, ROLLUP_MAX_ROUNDS } from './policy.ts';
import type { ContactCenterReport } from './views.ts';
import * as store from './store.ts';

export interface ReportDeps {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  agency: { timeZone: string };
  /** The holding office's calendar (deps.serviceRequests.rules). */
  calendars: { calendarFor(office: string): BusinessCalendar };
  clock?: () => Date;
}

const DAY_MS = 86_400_000;
const nextDay = (date: string) => new Date(Date.parse(date) + DAY_MS).toISOString().slice(0, 10);

export class ReportService {
  readonly #clock: () => Date;

  constructor(private readonly deps: ReportDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  withClock(clock: () => Date): ReportService {
    return new ReportService({ ...this.deps, clock });
  }

  /** The period a query names (400 with each bad field), without reading anything. */
  period(query: PeriodQuery): Period {
    return parsePeriod(query, todayIn(this.deps.agency.timeZone, this.#clock()));
  }

  /**
   * The report; 403 for roles without 'view-reports' (checked before anything is read). It first sums the hours
   * changed since the last refresh, then reads the rollups; `source: 'raw'` (or a period whose bounds are not on
   * whole UTC hours) aggregates the rows themselves instead, the same figures by another road (the tests compare
   * the two).
   */
  async contactCenter(actor: Actor, query: PeriodQuery, options: { source?: 'rollups' | 'raw' } = {}): Promise<{ report: ContactCenterReport; period: Period }> {
    authorize(actor, 'view-reports');
    const period = this.period(query);
    const zone = this.deps.agency.timeZone;
    const range = { start: dateOrInstantToInstant(period.from, zone, 'start')!, end: dateOrInstantToInstant(nextDay(period.to), zone, 'start')! };
    const now = this.#clock().toISOString();
    const db = this.deps.db;
    const useRollups = options.source !== 'raw' && onTheHour(range.start) && onTheHour(range.end);
    if (useRollups) await this.refresh();
    const [figures, repeat, reviews, assistance, feedback, alerts] = await Promise.all([
      useRollups ? this.#fromRollups(range, now) : this.#fromRows(range, now),
      useRollups ? store.rollupRepeatCallers(db, range) : store.repeatCallers(db, range),
      store.callReviewCount(db, range), store.caseAssistanceCount(db, range), store.feedbackCounts(db, range),
      store.alertCounts(db, range),
    ]);
    const { byTier, byLanguage, byType, byOffice, answeredDays } = figures;
    const callTotal = total(byTier);
    const srTotal = total(byType);
    const answeredTotal = answeredDays.reduce((a, d) => a + d.n, 0);
    const report: ContactCenterReport = {
      period: { from: period.from, to: period.to },
      calls: { total: callTotal, byTier: sorted(byTier), byLanguage: sorted(byLanguage) },
      escalations: { total: figures.escalations, share: share(figures.escalations, callTotal) },
      callbacks: { made: figures.made, onTime: figures.onTime, late: figures.late, missed: figures.missed },
      serviceRequests: {
        total: srTotal, byType: sorted(byType), byOffice: sorted(byOffice),
        onTimeShare: share(figures.answeredOnTime, answeredTotal), medianBusinessDaysToAnswer: weightedMedian(answeredDays.map((d) => ({ value: d.value, n: d.n }))),
        reopenedShare: share(figures.reopened, srTotal),
      },
      repeatCallers: repeat,
      ombudsman: { caseAssistance: assistance, callReviews: reviews },
      feedback,
      alerts,
    };
    return { report, period };
  }

  /**
   * Sums the hours marked changed (by the tables' triggers) into the rollups; returns how many hours it summed.
   * Each batch's marks are removed and committed first, then its hours are summed, a week of hours a transaction;
   * a failure puts the marks back. Every instance may run it at once: the sums are serialised by a lock.
   */
  async refresh(onProgress?: (hoursSummed: number) => void, maxRounds = ROLLUP_MAX_ROUNDS): Promise<number> {
    return this.#refresh(onProgress, maxRounds, true);
  }

  /** refresh; `repeatCalls` false leaves the repeat calls to the caller (a rebuild derives them all at the end). */
  async #refresh(onProgress: ((hoursSummed: number) => void) | undefined, maxRounds: number, repeatCalls: boolean): Promise<number> {
    const db = this.deps.db;
    let done = 0;
    for (let round = 0; round < maxRounds; round++) {
      const hours = await store.dirtyHours(db, ROLLUP_DIRTY_BATCH);
      if (!hours.length) break;
      await db.transaction().execute((trx) => store.clearDirtyHours(trx, hours));
      try {
        for (const run of hourRuns(hours)) {
          await this.#sumHours(run, repeatCalls);
          done += hours.filter((h) => h >= run.start.slice(0, 13) && h < run.end.slice(0, 13)).length;
          onProgress?.(done);
        }
      } catch (e) {
        await store.markDirtyHours(db, this.deps.dialect, hours);
        throw e;
      }
    }
    // Once, after every run (each phone's repeat rows ordered in one pass, not once a week).
    if (repeatCalls && await store.repeatOrderPending(db)) {
      await db.transaction().execute(async (trx) => {
        await store.lockRollups(trx, this.deps.dialect);
        await store.recomputeRepeatOrder(trx);
      });
    }
    return done;
  }

  /**
   * Marks every hour holding data or rollup rows and sums them all (after a bulk load, or to repair), then derives
   * every repeat call in one pass. A call written meanwhile marks its hour, which the next refresh sums.
   */
  async rebuild(onProgress?: (done: number, total: number) => void): Promise<number> {
    const hours = await store.hoursWithData(this.deps.db);
    await store.markDirtyHours(this.deps.db, this.deps.dialect, hours);
    const summed = await this.#refresh((done) => onProgress?.(done, hours.length), Number.POSITIVE_INFINITY, false);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.lockRollups(trx, this.deps.dialect);
      await store.rebuildRepeatCalls(trx, this.deps.dialect);
    });
    await store.afterRebuild(this.deps.db, this.deps.dialect);
    return summed;
  }

  /** Sums one hour-aligned range of at most a week into its rollup rows, in one transaction. */
  async #sumHours(range: { start: string; end: string }, repeatCalls: boolean): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await store.lockRollups(trx, this.deps.dialect);
      const sums = await store.hourlySums(trx, range);
      const rows = new Map<string, store.HourlyRow>();
      const add = (hour: string, metric: string, dimension: string, value: number) => {
        if (!value) return;
        const key = `${hour}\u0000${metric}\u0000${dimension}`;
        const row = rows.get(key);
        if (row) row.value += value; else rows.set(key, { hour, metric, dimension, value });
      };
      for (const c of sums.calls) add(c.hour, 'calls', `${c.tier ?? 'unknown'}\t${c.language}`, c.n);
      for (const e of sums.escalations) {
        add(e.hour, 'escalations', 'total', e.total); add(e.hour, 'escalations', 'made', e.made); add(e.hour, 'escalations', 'on-time', e.onTime);
        add(e.hour, 'escalations', 'late-done', e.lateDone); add(e.hour, 'escalations', 'missed', e.missed);
      }
      for (const r of sums.serviceRequests) {
        add(r.hour, 'service-requests', `${r.type}\t${r.office}`, r.n);
        add(r.hour, 'reopened', `${r.type}\t${r.office}`, r.reopened);
      }
      for (const g of sums.answered) {
        const a = this.#answered(g);
        add(g.hour, 'answered', `${a.days}\t${a.onTime ? 1 : 0}`, g.n);
      }
      await store.replaceRollups(trx, range, [...rows.values()], { repeatCalls });
    });
  }

  /** An answered group's business days to answer and whether it was on time, by its holding office's calendar. */
  #answered(g: { office: string; createdDate: string; dueDate: string; answeredHour: string }): { days: number; onTime: boolean } {
    // Each group's answers fall in one UTC hour; offices' zones are whole hours from UTC, so one local date each.
    const calendar = this.deps.calendars.calendarFor(g.office);
    const answerDate = calendar.dateAt(new Date(`${g.answeredHour}:00:00.000Z`));
    // Business days after the creation date up to the answer date: answered the day it was made = 0.
    const days = answerDate > g.createdDate ? calendar.businessDaysBetween(nextDay(g.createdDate), answerDate) : 0;
    return { days, onTime: answerDate <= g.dueDate };
  }

  async #fromRollups(range: { start: string; end: string }, now: string): Promise<Figures> {
    const f = emptyFigures();
    const days = new Map<number, number>();
    for (const s of await store.rollupSums(this.deps.db, range)) {
      const [a = '', b = ''] = s.dimension.split('\t');
      if (s.metric === 'calls') { bump(f.byTier, a, s.value); bump(f.byLanguage, b, s.value); }
      else if (s.metric === 'service-requests') { bump(f.byType, a, s.value); bump(f.byOffice, b, s.value); }
      else if (s.metric === 'reopened') f.reopened += s.value;
      else if (s.metric === 'answered') {
        days.set(Number(a), (days.get(Number(a)) ?? 0) + s.value);
        if (b === '1') f.answeredOnTime += s.value;
      } else if (s.metric === 'escalations') {
        if (a === 'total') f.escalations += s.value;
        else if (a === 'made') f.made += s.value;
        else if (a === 'on-time') f.onTime += s.value;
        else if (a === 'late-done') f.late += s.value;
        else if (a === 'missed') f.missed += s.value;
      }
    }
    f.late += await store.openLateCallbacks(this.deps.db, range, now);
    f.answeredDays = [...days].map(([value, n]) => ({ value, n }));
    return f;
  }

  async #fromRows(range: { start: string; end: string }, now: string): Promise<Figures> {
    const db = this.deps.db;
    const [calls, esc, requests, answered] = await Promise.all([
      store.callCounts(db, range), store.escalationCounts(db, range, now), store.serviceRequestCounts(db, range), store.answeredGroups(db, range),
    ]);
    const f = emptyFigures();
    for (const c of calls) { bump(f.byTier, c.tier ?? 'unknown', c.n); bump(f.byLanguage, c.language, c.n); }
    for (const r of requests) { bump(f.byType, r.type, r.n); bump(f.byOffice, r.office, r.n); f.reopened += r.reopened; }
    Object.assign(f, { escalations: esc.escalations, made: esc.made, onTime: esc.onTime, late: esc.late, missed: esc.missed });
    for (const g of answered) {
      const a = this.#answered(g);
      if (a.onTime) f.answeredOnTime += g.n;
      f.answeredDays.push({ value: a.days, n: g.n });
    }
    return f;
  }
}

interface Figures {
  byTier: Record<string, number>; byLanguage: Record<string, number>; byType: Record<string, number>; byOffice: Record<string, number>;
  escalations: number; made: number; onTime: number; late: number; missed: number;
  reopened: number; answeredOnTime: number; answeredDays: Array<{ value: number; n: number }>;
}
const emptyFigures = (): Figures => ({
  byTier: {}, byLanguage: {}, byType: {}, byOffice: {}, escalations: 0, made: 0, onTime: 0, late: 0, missed: 0, reopened: 0, answeredOnTime: 0, answeredDays: [],
});
const bump = (o: Record<string, number>, k: string, v: number) => { o[k] = (o[k] ?? 0) + v; };
const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

const HOUR_MS = 3_600_000;
const onTheHour = (instant: string) => /T\d\d:00:00(\.000)?Z$/.test(instant);
const hourStart = (hour: string) => Date.parse(`${hour}:00:00.000Z`);
const hourIso = (ms: number) => new Date(ms).toISOString();

/**
 * Sorted hours ('YYYY-MM-DDTHH') as ranges, each at most ROLLUP_HOURS_PER_TRANSACTION long; a gap of up to
 * ROLLUP_BRIDGE_HOURS between marked hours is summed with them (cheaper than another transaction: a night, a
 * weekend), a longer one starts a new range.
 */
export function hourRuns(hours: readonly string[]): Array<{ start: string; end: string }> {
  const runs: Array<{ start: string; end: string }> = [];
  let start = -1;
  let end = -1;
  for (const h of [...new Set(hours)].sort()) {
    const t = hourStart(h);
    if (start >= 0 && t - end <= ROLLUP_BRIDGE_HOURS * HOUR_MS && (t + HOUR_MS - start) / HOUR_MS <= ROLLUP_HOURS_PER_TRANSACTION) { end = t + HOUR_MS; continue; }
    if (start >= 0) runs.push({ start: hourIso(start), end: hourIso(end) });
    start = t;
    end = t + HOUR_MS;
  }
  if (start >= 0) runs.push({ start: hourIso(start), end: hourIso(end) });
  return runs;
}

/** A breakdown with its keys in order, so the JSON and CSV read the same every time. */
function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
