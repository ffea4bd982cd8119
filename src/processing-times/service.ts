/**
 * Processing times and inquiry eligibility (CONTRACT.md section 7). A published figure beats one computed from
 * the loaded cases, which beats the default of 6 months. Computed figures are cached per group and day; the case
 * feed deletes the cache rows of the groups it changes, so a figure is recomputed at most once a day per group
 * unless its cases change.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { CaseTable } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { Agency, Form, Office } from '../platform/reference.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { isIsoDate, todayIn } from '../domain/calendar.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import {
  applicablePublished, chooseFigure, earliestInquiryDate, inquiryReceiptDate, isOutsideNormalTime, months80FromDurations, windowStart, type Basis,
} from '../domain/processing-time.ts';
import { MONTHS80_MAX, officeForTimes, roundMonths } from './policy.ts';
import * as store from './store.ts';

/** The cache key of "all categories" (and the feed's convention when it invalidates a group). */
const ALL_CATEGORIES = '*';

export interface PublishInput {
  formType: string;
  formCategory?: string | null;
  office: string;
  months80: number;
  asOf: string;
}

export interface PublishedRowView {
  formType: string;
  formCategory: string | null;
  office: string;
  months80: number;
  asOf: string;
}

export interface Figure {
  formType: string;
  /** The category asked about (the reference data's spelling when it knows it); null for all categories. */
  formCategory: string | null;
  office: string;
  months80: number;
  basis: Basis;
  asOf: string;
  inquiryReceiptDate: string;
}

/** The columns of a case an inquiry reads. */
export type InquiryCase = Pick<CaseTable, 'form_type' | 'form_category' | 'office' | 'field_office' | 'received_date' | 'decided_date'>;

export interface Inquiry {
  outsideNormalProcessingTime: boolean;
  inquiryReceiptDate: string;
  /** Null for a decided case: it never becomes outside normal processing time. */
  earliestInquiryDate: string;
  receivedDate: string;
  decided: boolean;
  /** The office that holds the case; processingTime.office differs when another office's times apply. */
  caseOffice: string;
  /** The figure used: the case's form and category, at the office whose times apply. */
  processingTime: Figure;
}

/** How categories are compared: as the case feed keeps them (trimmed, lower case); '' means none. */
export const categoryKey = (c: string | null | undefined): string => (c ?? '').trim().toLowerCase();

export class ProcessingTimeService {
  private readonly forms: Map<string, Form>;
  private readonly offices: Map<string, Office>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly agency: Pick<Agency, 'forms' | 'offices' | 'timeZone' | 'receiptPrefixes'>,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.forms = new Map(agency.forms.map((f) => [f.code, f]));
    this.offices = new Map(agency.offices.map((o) => [o.code, o]));
  }

  /** Today in the agency's time zone. */
  today(): string {
    return todayIn(this.agency.timeZone, this.clock());
  }

  /** Publishes rows, each replacing the row of its form, category and office; one transaction with its audit entry. */
  async publish(rows: readonly PublishInput[], actor: Actor, traceId?: string): Promise<PublishedRowView[]> {
    const { stored, errors } = this.checkRows(rows);
    if (errors.length) throw validationError(errors);
    await this.db.transaction().execute(async (trx) => {
      await store.upsertPublished(trx, stored);
      await this.audit.record(trx, {
        actor: actorLabel(actor), action: 'processing-times-publish', outcome: 'allowed', traceId: traceId ?? null,
        detail: { rows: stored.length, forms: new Set(stored.map((s) => s.form_type)).size, offices: new Set(stored.map((s) => s.office)).size },
      });
    });
    return stored.map((s) => ({ formType: s.form_type, formCategory: this.categoryLabel(s.form_type, s.form_category), office: s.office, months80: s.months80, asOf: s.as_of }));
  }

  /** What publish() would refuse, each problem named by its row and field (`0.months80`); nothing is written. */
  problems(rows: readonly PublishInput[]): FieldError[] {
    return this.checkRows(rows).errors;
  }

  /** Rows as they would be stored (codes normalised, months80 to two decimals), and every problem with them. */
  private checkRows(rows: readonly PublishInput[]) {
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    const publishedAt = this.clock().toISOString();
    const stored = rows.map((r, i) => {
      const formType = r.formType.trim().toUpperCase();
      const office = r.office.trim().toUpperCase();
      if (!this.forms.has(formType)) errors.push({ field: `${i}.formType`, code: 'unknown-form', detail: 'Not a form in the reference data.' });
      if (!this.offices.has(office)) errors.push({ field: `${i}.office`, code: 'unknown-office', detail: 'Not an office code in the reference data.' });
      if (!(roundMonths(r.months80) > 0 && r.months80 <= MONTHS80_MAX)) errors.push({ field: `${i}.months80`, code: 'out-of-range', detail: `More than 0 and at most ${MONTHS80_MAX} months.` });
      if (!isIsoDate(r.asOf)) errors.push({ field: `${i}.asOf`, code: 'invalid-date', detail: 'Use a real date, YYYY-MM-DD.' });
      const category = categoryKey(r.formCategory);
      const key = `${formType}|${category}|${office}`;
      if (seen.has(key)) errors.push({ field: `${i}`, code: 'duplicate', detail: `Row ${seen.get(key)} already publishes this form, category and office.` });
      seen.set(key, i);
      return { form_type: formType, form_category: category, office, months80: roundMonths(r.months80), as_of: r.asOf, published_at: publishedAt };
    });
    return { stored, errors };
  }

  /** The figure for a form, category (omitted: all) and office; 400 naming the field for an unknown form or office. */
  async figure(q: { formType: string; formCategory?: string | null; office: string }): Promise<Figure> {
    const formType = q.formType.trim().toUpperCase();
    const office = q.office.trim().toUpperCase();
    const errors: FieldError[] = [];
    if (!this.forms.has(formType)) errors.push({ field: 'formType', code: 'unknown-form', detail: 'Not a form in the reference data (for example I-130).' });
    if (!this.offices.has(office)) errors.push({ field: 'office', code: 'unknown-office', detail: 'Not an office code in the reference data.' });
    if (errors.length) throw validationError(errors);
    return this.figureFor(formType, categoryKey(q.formCategory) || null, office, this.today());
  }

  /**
   * Whether a case is outside normal processing time, by its form, category and the office whose times apply
   * (its current office; a benefits-center case of some forms uses its field office). Other capabilities call this.
   */
  async inquiryFor(c: InquiryCase): Promise<Inquiry> {
    const today = this.today();
    const office = officeForTimes(c, (code) => this.offices.get(code)?.kind);
    const figure = await this.figureFor(c.form_type, c.form_category || null, office, today);
    const decided = c.decided_date !== null;
    return {
      outsideNormalProcessingTime: isOutsideNormalTime(c.received_date, decided, today, figure.months80),
      inquiryReceiptDate: figure.inquiryReceiptDate,
      // Given for decided cases too (the date the contract's formula names); outsideNormalProcessingTime says they never are.
      earliestInquiryDate: earliestInquiryDate(c.received_date, figure.months80),
      receivedDate: c.received_date,
      decided,
      caseOffice: c.office,
      processingTime: figure,
    };
  }

  /** inquiryFor by receipt number: 400 invalid-receipt-number (never echoed) or 404 not-found. */
  async inquiryByReceipt(input: string): Promise<Inquiry & { receiptNumber: string }> {
    const receipt = parseReceiptNumber(input, this.agency.receiptPrefixes);
    if (!receipt) throw new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
    const c = await store.inquiryCase(this.db, receipt.value);
    if (!c) throw new AppError('not-found', 'No case with this receipt number has been loaded.');
    return { receiptNumber: receipt.value, ...(await this.inquiryFor(c)) };
  }

  /** The published rows of one form, as stored (every category and office), for the admin's view of what applies. */
  async publishedOf(formType: string): Promise<PublishedRowView[]> {
    const form = formType.trim().toUpperCase();
    return (await store.publishedOfForm(this.db, form)).map((r) => ({
      formType: r.form_type, formCategory: this.categoryLabel(r.form_type, r.form_category), office: r.office, months80: roundMonths(Number(r.months80)), asOf: r.as_of,
    }));
  }

  /** True when any processing time has been published. */
  async hasPublished(): Promise<boolean> {
    return (await store.countPublished(this.db)) > 0;
  }

  /** The forms and offices the agency's reference data knows, for pages. */
  reference() {
    return { forms: this.agency.forms, offices: this.agency.offices };
  }

  private async figureFor(formType: string, category: string | null, office: string, today: string): Promise<Figure> {
    const rows = await store.publishedRows(this.db, formType, office, category ? [category, ''] : ['']);
    const published = applicablePublished(rows.map((r) => ({ formCategory: r.form_category, months80: roundMonths(Number(r.months80)), asOf: r.as_of })), category);
    const computed = published ? null : await this.computed(formType, category, office, today);
    const chosen = chooseFigure(published, computed, today);
    return {
      formType, formCategory: category ? this.categoryLabel(formType, category) : null, office, ...chosen,
      inquiryReceiptDate: inquiryReceiptDate(today, chosen.months80),
    };
  }

  /**
   * The computed figure of a group for today: from the cache when computed today, else from its decided cases.
   * The cache row is claimed before the cases are read and filled only if the claim survived, so a feed change
   * that lands while the figure is being computed (and deletes the row) is never hidden behind a stale figure.
   */
  private async computed(formType: string, category: string | null, office: string, today: string): Promise<number | null> {
    const key = { form_type: formType, form_category: category ?? ALL_CATEGORIES, office };
    const cached = await store.cachedFigure(this.db, formType, key.form_category, office);
    if (cached && cached.today === today) return cached.months80 === null ? null : Math.round(Number(cached.months80) * 10) / 10;
    const token = randomBytes(6).toString('hex');
    await store.claimFigure(this.db, key, token);
    const days = await store.decisionDays(this.db, { formType, category, office, from: windowStart(today), to: today });
    const months80 = months80FromDurations(days);
    await store.fillFigure(this.db, key, token, { today, months80, decisions: days.length });
    return months80;
  }

  /** The reference data's spelling of a category key ("h-1b" → "H-1B"), or the key itself. */
  private categoryLabel(formType: string, key: string): string | null {
    if (!key) return null;
    return this.forms.get(formType)?.categories.find((c) => c.code.toLowerCase() === key)?.code ?? key;
  }
}
