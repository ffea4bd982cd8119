/**
 * Receipt numbers worth trying after a seed: a pending case, an approved one, an e-filed (IOE) one, one
 * waiting on an RFE response, and one outside normal processing time, worked out the way CONTRACT.md
 * section 7 computes figures (nearest-rank 80th percentile of the last six months' decisions per form,
 * category and office; 6 months with fewer than 10). Pure: it watches records go by, in constant memory.
 */
import { DEFAULT_MONTHS, MIN_DECISIONS, daysToMonths, inquiryReceiptDate, windowStart } from '../../domain/processing-time.ts';
import { dayNumber } from './days.ts';
import type { SeedRecord } from './generate.ts';

export interface Sample {
  receiptNumber: string;
  formType: string;
  /** The current status code. */
  status: string;
  /** Why it is worth trying, in a few words. */
  why: string;
}

const MAX_DAYS = 4096;

interface Group {
  /** Decisions in the window, counted by receipt-to-decision days. */
  days: Uint32Array;
  decisions: number;
  oldestPending: { receiptNumber: string; formType: string; status: string; received: string; index: number } | null;
}

/**
 * What a collector has seen, to be merged with what others saw of other cases of the same seed (the bulk seed's
 * threads each watch their own cases): the same samples as one collector watching every case in order.
 */
export interface CollectorState {
  groups: Map<string, Group>;
  picked: Map<string, { sample: Sample; index: number }>;
}

export class SampleCollector {
  readonly #today: string;
  readonly #todayDay: number;
  readonly #windowStart: string;
  readonly #groups = new Map<string, Group>();
  readonly #picked = new Map<string, { sample: Sample; index: number }>();
  #seen = 0;

  constructor(today: string) {
    this.#today = today;
    this.#todayDay = dayNumber(today);
    this.#windowStart = windowStart(today);
  }

  /** Looks at one generated record; `index` is its position in the seed (default: the next after the last seen). */
  observe(r: SeedRecord, index = this.#seen): void {
    this.#seen = index + 1;
    const status = r.history[r.history.length - 1]!.status;
    const take = (key: string, why: string) => {
      if (!this.#picked.has(key)) this.#picked.set(key, { sample: { receiptNumber: r.receiptNumber, formType: r.formType, status, why }, index });
    };
    if (r.decidedDate === null) {
      if ((r.formType === 'I-485' || r.formType === 'I-130') && status === 'case-is-being-actively-reviewed') take('pending', 'pending');
      if (status === 'request-for-evidence-was-sent') take('rfe', 'waiting for a response to a request for evidence');
    } else if (r.formType === 'I-765' && status === 'card-was-delivered') {
      take('approved', 'approved, card delivered');
    }
    if (r.receiptNumber.startsWith('IOE') && r.formType === 'N-400') take('ioe', 'filed online (IOE)');

    const key = `${r.formType}|${r.formCategory.toLowerCase()}|${r.office}`;
    let g = this.#groups.get(key);
    if (!g) {
      g = { days: new Uint32Array(MAX_DAYS), decisions: 0, oldestPending: null };
      this.#groups.set(key, g);
    }
    if (r.decidedDate === null) {
      // A case on hold for litigation is outside any normal time by definition: not an instructive example.
      if (status !== 'case-on-hold-pending-litigation' && (!g.oldestPending || r.receivedDate < g.oldestPending.received)) {
        g.oldestPending = { receiptNumber: r.receiptNumber, formType: r.formType, status, received: r.receivedDate, index };
      }
    } else if (r.decidedDate >= this.#windowStart && r.decidedDate <= this.#today) {
      g.days[Math.min(MAX_DAYS - 1, dayNumber(r.decidedDate) - dayNumber(r.receivedDate))]!++;
      g.decisions++;
    }
  }

  /** What this collector has seen (structured-cloneable, for another thread). */
  state(): CollectorState {
    return { groups: this.#groups, picked: this.#picked };
  }

  /** Adds what another collector saw of other cases: first seen and oldest are decided by position in the seed. */
  absorb(other: CollectorState): void {
    for (const [key, p] of other.picked) {
      const mine = this.#picked.get(key);
      if (!mine || p.index < mine.index) this.#picked.set(key, p);
    }
    for (const [key, g] of other.groups) {
      const mine = this.#groups.get(key);
      if (!mine) {
        this.#groups.set(key, { days: Uint32Array.from(g.days), decisions: g.decisions, oldestPending: g.oldestPending });
        continue;
      }
      for (let d = 0; d < MAX_DAYS; d++) mine.days[d]! += g.days[d]!;
      mine.decisions += g.decisions;
      const a = mine.oldestPending;
      const b = g.oldestPending;
      if (b && (!a || b.received < a.received || (b.received === a.received && b.index < a.index))) mine.oldestPending = b;
    }
  }

  /** The samples found, most interesting first. */
  samples(): Sample[] {
    const out: Sample[] = [];
    const outside = this.#outsideNormalTime();
    if (outside) out.push(outside);
    for (const key of ['pending', 'approved', 'ioe', 'rfe']) {
      const s = this.#picked.get(key);
      if (s) out.push(s.sample);
    }
    return out;
  }

  /** The oldest pending case of the busiest group whose figure it exceeds. */
  #outsideNormalTime(): Sample | null {
    let best: { group: Group; months: number } | null = null;
    for (const g of this.#groups.values()) {
      if (!g.oldestPending) continue;
      const months = g.decisions >= MIN_DECISIONS ? daysToMonths(percentile80(g.days, g.decisions)) : DEFAULT_MONTHS;
      if (g.oldestPending.received >= inquiryReceiptDate(this.#today, months)) continue;
      if (!best || g.decisions > best.group.decisions) best = { group: g, months };
    }
    if (!best) return null;
    const p = best.group.oldestPending!;
    const days = this.#todayDay - dayNumber(p.received);
    return { receiptNumber: p.receiptNumber, formType: p.formType, status: p.status, why: `outside normal processing time (${days} days; 80% decided within ${best.months} months)` };
  }
}

/** Nearest-rank 80th percentile of a histogram of days. */
function percentile80(days: Uint32Array, n: number): number {
  const rank = Math.max(1, Math.ceil(0.8 * n));
  let seen = 0;
  for (let d = 0; d < days.length; d++) {
    seen += days[d]!;
    if (seen >= rank) return d;
  }
  return days.length - 1;
}
