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
import type { ContactCenterReport } from './views.ts';
import * as store from './store.ts';

export interface ReportDeps {
  db: Kysely<Database>;
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

  /** The report; 403 for roles without 'view-reports' (checked before anything is read). */
  async contactCenter(actor: Actor, query: PeriodQuery): Promise<{ report: ContactCenterReport; period: Period }> {
    authorize(actor, 'view-reports');
    const period = this.period(query);
    const zone = this.deps.agency.timeZone;
    const range = { start: dateOrInstantToInstant(period.from, zone, 'start')!, end: dateOrInstantToInstant(nextDay(period.to), zone, 'start')! };
    const now = this.#clock().toISOString();
    const db = this.deps.db;
    const [calls, esc, requests, answered, repeat, reviews, assistance, feedback] = await Promise.all([
      store.callCounts(db, range), store.escalationCounts(db, range, now), store.serviceRequestCounts(db, range),
      store.answeredGroups(db, range), store.repeatCallers(db, range), store.callReviewCount(db, range),
      store.caseAssistanceCount(db, range), store.feedbackCounts(db, range),
    ]);

    const byTier: Record<string, number> = {};
    const byLanguage: Record<string, number> = {};
    let callTotal = 0;
    for (const c of calls) {
      const tier = c.tier ?? 'unknown';
      byTier[tier] = (byTier[tier] ?? 0) + c.n;
      byLanguage[c.language] = (byLanguage[c.language] ?? 0) + c.n;
      callTotal += c.n;
    }
    const byType: Record<string, number> = {};
    const byOffice: Record<string, number> = {};
    let srTotal = 0;
    let reopened = 0;
    for (const r of requests) {
      byType[r.type] = (byType[r.type] ?? 0) + r.n;
      byOffice[r.office] = (byOffice[r.office] ?? 0) + r.n;
      srTotal += r.n;
      reopened += r.reopened;
    }
    // Each group's answers fall in one UTC hour; offices' zones are whole hours from UTC, so one local date each.
    const days: Array<{ value: number; n: number }> = [];
    let answeredTotal = 0;
    let onTime = 0;
    for (const g of answered) {
      const calendar = this.deps.calendars.calendarFor(g.office);
      const answerDate = calendar.dateAt(new Date(`${g.answeredHour}:00:00.000Z`));
      answeredTotal += g.n;
      if (answerDate <= g.dueDate) onTime += g.n;
      // Business days after the creation date up to the answer date: answered the day it was made = 0.
      days.push({ value: answerDate > g.createdDate ? calendar.businessDaysBetween(nextDay(g.createdDate), answerDate) : 0, n: g.n });
    }

    const report: ContactCenterReport = {
      period: { from: period.from, to: period.to },
      calls: { total: callTotal, byTier: sorted(byTier), byLanguage: sorted(byLanguage) },
      escalations: { total: esc.escalations, share: share(esc.escalations, callTotal) },
      callbacks: { made: esc.made, onTime: esc.onTime, late: esc.late, missed: esc.missed },
      serviceRequests: {
        total: srTotal, byType: sorted(byType), byOffice: sorted(byOffice),
        onTimeShare: share(onTime, answeredTotal), medianBusinessDaysToAnswer: weightedMedian(days), reopenedShare: share(reopened, srTotal),
      },
      repeatCallers: repeat,
      ombudsman: { caseAssistance: assistance, callReviews: reviews },
      feedback,
    };
    return { report, period };
  }
}

/** A breakdown with its keys in order, so the JSON and CSV read the same every time. */
function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
