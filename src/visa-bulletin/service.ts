/**
 * The visa bulletin: monthly charts of cut-off dates (Final Action Dates, Dates for Filing), published by the
 * agency, and the public check of a priority date against the bulletin that applies today.
 */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { VisaBulletinTable } from '../platform/db/schema.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { isIsoDate, todayIn } from '../domain/calendar.ts';
import {
  applicableMonth, checkChart, isBulletinMonth, isCurrent, lookupCell, normaliseCategory, normaliseChargeability, type Cell, type Chart, type ChartTable,
} from '../domain/visa-bulletin.ts';
import * as store from './store.ts';

export interface BulletinView {
  month: string;
  finalActionDates: ChartTable;
  datesForFiling: ChartTable;
  publishedAt: string;
}

/** A bulletin as sent: each chart {CATEGORY: {CHARGEABILITY: cell}}, checked by checkChart. */
export interface BulletinInput {
  finalActionDates: Record<string, Record<string, string>>;
  datesForFiling: Record<string, Record<string, string>>;
}

export interface CheckInput {
  priorityDate: string;
  category: string;
  chargeability?: string | undefined;
  chart?: Chart | string | undefined;
}

export interface CheckResult {
  current: boolean;
  chart: Chart;
  cutoff: Cell;
  bulletin: string;
  priorityDate: string;
  category: string;
  chargeability: string;
  /** The column the cut-off came from: the chargeability, or ALL when the bulletin has no column for it. */
  column: string;
}

const view = (r: VisaBulletinTable): BulletinView => ({
  month: r.month, finalActionDates: JSON.parse(r.final_action) as ChartTable, datesForFiling: JSON.parse(r.dates_for_filing) as ChartTable, publishedAt: r.published_at,
});

export class VisaBulletinService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly timeZone: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Today in the agency's time zone. */
  today(): string {
    return todayIn(this.timeZone, this.clock());
  }

  /** Publishes (or replaces) a month's bulletin after checking every cell; one transaction with its audit entry. */
  async publish(month: string, body: BulletinInput, actor: Actor, traceId?: string): Promise<BulletinView> {
    const { fa, df, problems } = this.validate(month, body);
    if (problems.length) throw validationError(problems, 'One or more cells of the bulletin are not valid.');
    const row: VisaBulletinTable = { month, final_action: JSON.stringify(fa.table), dates_for_filing: JSON.stringify(df.table), published_at: this.clock().toISOString() };
    await this.db.transaction().execute(async (trx) => {
      const before = await store.findBulletin(trx, month);
      await store.upsertBulletin(trx, row);
      await this.audit.record(trx, {
        actor: actorLabel(actor), action: 'visa-bulletin-publish', subject: `visa-bulletin:${month}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { replaced: Boolean(before), finalActionRows: Object.keys(fa.table).length, datesForFilingRows: Object.keys(df.table).length },
      });
    });
    return view(row);
  }

  /**
   * Every problem publishing would refuse, each named by its path (`month`, `finalActionDates.F2A.MEXICO`), and the
   * charts as they would be stored. publish() runs this first; the admin page runs it to name every bad cell at once.
   */
  validate(month: string, body: BulletinInput): { fa: ReturnType<typeof checkChart>; df: ReturnType<typeof checkChart>; problems: FieldError[] } {
    const fa = checkChart(body.finalActionDates, 'finalActionDates');
    const df = checkChart(body.datesForFiling, 'datesForFiling');
    const monthProblem: FieldError[] = isBulletinMonth(month) ? [] : [{ field: 'month', code: 'invalid-month', detail: 'A bulletin month is YYYY-MM.' }];
    return { fa, df, problems: [...monthProblem, ...fa.problems, ...df.problems] };
  }

  /** Every published month, newest first, with when it was published (one row a month: a short list). */
  async list(): Promise<Array<{ month: string; publishedAt: string }>> {
    return (await store.listBulletins(this.db)).map((r) => ({ month: r.month, publishedAt: r.published_at }));
  }

  /** A month's bulletin, or 404. */
  async get(month: string): Promise<BulletinView> {
    const row = await store.findBulletin(this.db, month);
    if (!row) throw new AppError('not-found', `No visa bulletin has been published for ${month}.`);
    return view(row);
  }

  /** The bulletin that applies today: this month's, else the latest published; null when none is. */
  async applicable(): Promise<BulletinView | null> {
    const month = applicableMonth(await store.publishedMonths(this.db), this.today());
    const row = month ? await store.findBulletin(this.db, month) : undefined;
    return row ? view(row) : null;
  }

  /** Whether a priority date is current in the applicable bulletin; 400 naming bad fields, 404 without a bulletin. */
  async check(q: CheckInput): Promise<CheckResult> {
    const errors: FieldError[] = [];
    if (!isIsoDate(q.priorityDate)) errors.push({ field: 'priorityDate', code: 'invalid-date', detail: 'Use a real date, YYYY-MM-DD.' });
    const category = normaliseCategory(q.category);
    if (!category) errors.push({ field: 'category', code: 'unknown-category', detail: 'Use one of: F1, F2A, F2B, F3, F4, EB1, EB2, EB3, EW, EB4, EB5.' });
    const chargeability = q.chargeability === undefined || q.chargeability.trim() === '' ? 'ALL' : normaliseChargeability(q.chargeability);
    if (!chargeability) errors.push({ field: 'chargeability', code: 'invalid-chargeability', detail: 'A chargeability is a country or area name, like ALL, CHINA or MEXICO.' });
    const chart = (q.chart ?? 'final-action') as Chart;
    if (chart !== 'final-action' && chart !== 'dates-for-filing') errors.push({ field: 'chart', code: 'enum', detail: 'Use final-action or dates-for-filing.' });
    if (errors.length || !category || !chargeability) throw validationError(errors);

    const bulletin = await this.applicable();
    if (!bulletin) throw new AppError('not-found', 'No visa bulletin has been published yet, so a priority date cannot be checked.');
    const table = chart === 'final-action' ? bulletin.finalActionDates : bulletin.datesForFiling;
    const found = lookupCell(table, category, chargeability);
    if (!found) throw new AppError('not-found', `The ${bulletin.month} visa bulletin has no ${category} row in its ${chart} chart.`);
    return {
      current: isCurrent(q.priorityDate, found.cell), chart, cutoff: found.cell, bulletin: bulletin.month,
      priorityDate: q.priorityDate, category, chargeability, column: found.column,
    };
  }
}
