/**
 * "Prepare for my call": for each receipt number, the status, whether the case is outside normal processing
 * time, where its priority date stands, what can be done online instead of calling, and what to have ready.
 * Only what the public status page would show, plus standing and advice: never the applicant's details.
 */
import type { Db } from '../platform/db/database.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { selfServiceAdvice, type Advice } from '../domain/self-service.ts';
import { daysBetween } from '../domain/processing-time.ts';
import { presentCase, type PresentedCase, type StatusVocabulary } from '../case-status/presenter.ts';
import { preparedCase } from '../case-status/document.ts';
import type { Inquiry, ProcessingTimeService } from '../processing-times/service.ts';
import type { CheckResult, VisaBulletinService } from '../visa-bulletin/service.ts';
import { casesForPreparation, type PreparationRow } from './store.ts';

/** At most this many receipt numbers on one page. */
export const MAX_RECEIPTS = 10;

export type PreparedCase =
  | { kind: 'invalid'; position: number }
  | { kind: 'unknown'; receiptNumber: string }
  | {
    kind: 'found';
    receiptNumber: string;
    presented: PresentedCase;
    inquiry: Inquiry;
    /** Null when the case has no priority date or no bulletin row applies. */
    priority: CheckResult | null;
    advice: Advice[];
    hasANumber: boolean;
    notices: Array<{ type: string; date: string }>;
  };

/** Splits what a person typed (one per line, or separated by commas or semicolons) into candidates. */
export function splitReceiptInput(input: string): string[] {
  return input.split(/[\n\r,;]+/).map((s) => s.trim()).filter(Boolean).slice(0, MAX_RECEIPTS);
}

export class PrepareService {
  constructor(
    private readonly db: Db,
    private readonly vocabulary: StatusVocabulary,
    private readonly receiptPrefixes: readonly string[],
    private readonly processingTimes: Pick<ProcessingTimeService, 'inquiryFor' | 'today'>,
    private readonly visaBulletins: Pick<VisaBulletinService, 'check'>,
  ) {}

  /** Prepares each entry in the order given; duplicates are shown once. */
  async prepare(inputs: string[]): Promise<PreparedCase[]> {
    const parsed = inputs.slice(0, MAX_RECEIPTS).map((input, i) => ({ position: i + 1, value: parseReceiptNumber(input, this.receiptPrefixes)?.value ?? null }));
    const wanted = [...new Set(parsed.map((p) => p.value).filter((v): v is string => v !== null))];
    const rows = new Map((await casesForPreparation(this.db, wanted)).map((r) => [r.receipt_number, r]));
    const seen = new Set<string>();
    const out: PreparedCase[] = [];
    for (const p of parsed) {
      if (!p.value) {
        out.push({ kind: 'invalid', position: p.position });
        continue;
      }
      if (seen.has(p.value)) continue;
      seen.add(p.value);
      const row = rows.get(p.value);
      out.push(row ? await this.prepareOne(row) : { kind: 'unknown', receiptNumber: p.value });
    }
    return out;
  }

  private async prepareOne(row: PreparationRow): Promise<PreparedCase> {
    // The case's prepared public status document when it is of this reference data (case-status/document.ts).
    const presented = preparedCase(row, this.vocabulary) ?? presentCase(row, this.vocabulary, { earlierDescriptions: false })!;
    const inquiry = await this.processingTimes.inquiryFor(row);
    const priority = row.priority_date && row.preference_category
      ? await this.visaBulletins.check({ priorityDate: row.priority_date, category: row.preference_category, chargeability: row.chargeability ?? 'ALL' }).catch(() => null)
      : null;
    const advice = selfServiceAdvice({
      status: row.status,
      decided: row.decided_date !== null,
      outsideNormalProcessingTime: inquiry.outsideNormalProcessingTime,
      daysInStatus: daysBetween(row.status_date, this.processingTimes.today()),
      protectedCategory: row.protected_category !== null,
      hasPriorityDate: priority !== null,
    });
    const notices = (JSON.parse(row.notices) as Array<{ type?: string; date: string }>).map((n) => ({ type: n.type ?? 'other', date: n.date }));
    return { kind: 'found', receiptNumber: row.receipt_number, presented, inquiry, priority, advice, hasANumber: row.a_number !== null, notices };
  }
}
