/**
 * The bulk seed's rows: the generator's records turned into case rows by the feed's own checkFeedRecord (the
 * record → row mapping every fed case goes through), flattened in the upsert's column order, a batch at a time.
 * Each of `of` producers runs the generator's sequential part over every case and builds the
 * rows of every `of`-th batch only: it draws only the heads of the other batches' cases (generate.ts), so two threads
 * share the generating as well as the checking. Also collects, per case, the facts
 * the contact seed needs (receipt number, office, phone, decided or not, received day). Pure: no I/O.
 */
import { checkFeedRecord, type FeedVocabulary } from '../feed-record.ts';
import { CASE_COLUMNS } from '../store.ts';
import { createGenerator, nextCase, skipCase, type SeedRecord } from './generate.ts';
import { dayNumber } from './days.ts';
import { SampleCollector, type CollectorState } from './samples.ts';

export interface RowBatch {
  /** Batch number from 0; its first record is line `index × batchSize + 1`. */
  index: number;
  count: number;
  /** count × CASE_COLUMNS.length values. */
  values: unknown[];
  facts: FactsPart;
  rejected: Array<{ line: number; code: string; detail: string }>;
}

/** The contact seed's facts of a run of cases, as transferable arrays. */
export interface FactsPart {
  /** 13 ASCII characters per case. */
  receipts: string;
  /** Index into the office list given to the producer. */
  offices: Uint8Array;
  /** The applicant's phone, +1555 and these seven digits. */
  phones: Uint32Array;
  decided: Uint8Array;
  receivedDay: Int32Array;
}

export interface ProducerOptions {
  randomSeed: number;
  today: string;
  cases: number;
  batchSize: number;
  /** updated_at of every row (the feed's clock). */
  now: string;
  vocabulary: FeedVocabulary;
  offices: readonly string[];
  /** This producer builds batches with index % of === part. */
  part: number;
  of: number;
  /** Watch this producer's records for receipt numbers to try (merged with the other producers'). */
  samples: boolean;
}

const RECEIPT_LENGTH = 13;

/** The facts of one record. */
export function factsOf(r: SeedRecord): { office: string; phone: number; decided: boolean; receivedDay: number } {
  return { office: r.office, phone: Number(r.applicant.phone.slice(5)), decided: r.decidedDate !== null, receivedDay: dayNumber(r.receivedDate) };
}

/** Produces this producer's batches in order; awaits `emit` before going on (back-pressure). */
export async function produceRows(o: ProducerOptions, emit: (b: RowBatch) => Promise<void> | void): Promise<CollectorState | null> {
  const state = createGenerator(o.randomSeed, o.today);
  const collector = o.samples ? new SampleCollector(o.today) : null;
  const officeIndex = new Map(o.offices.map((c, i) => [c, i]));
  const width = CASE_COLUMNS.length;
  for (let index = 0, start = 0; start < o.cases; index++, start += o.batchSize) {
    const count = Math.min(o.batchSize, o.cases - start);
    const mine = index % o.of === o.part;
    if (!mine) {
      for (let i = 0; i < count; i++) skipCase(state);
      continue;
    }
    const values: unknown[] = new Array(count * width);
    const receipts: string[] = [];
    const offices = new Uint8Array(count);
    const phones = new Uint32Array(count);
    const decided = new Uint8Array(count);
    const receivedDay = new Int32Array(count);
    const rejected: RowBatch['rejected'] = [];
    for (let i = 0; i < count; i++) {
      const r = nextCase(state);
      collector?.observe(r, start + i);
      if (r.receiptNumber.length !== RECEIPT_LENGTH) throw new Error(`unexpected receipt number ${r.receiptNumber}`);
      receipts.push(r.receiptNumber);
      const f = factsOf(r);
      offices[i] = officeIndex.get(f.office) ?? 255;
      phones[i] = f.phone;
      decided[i] = f.decided ? 1 : 0;
      receivedDay[i] = f.receivedDay;
      const checked = checkFeedRecord(r, o.vocabulary, o.now);
      if (!checked.ok) {
        rejected.push({ line: start + i + 1, code: checked.rejection.code, detail: checked.rejection.detail });
        continue;
      }
      const row = checked.row as unknown as Record<string, unknown>;
      for (let c = 0; c < width; c++) values[i * width + c] = row[CASE_COLUMNS[c]!];
    }
    await emit({ index, count, values: rejected.length ? [] : values, facts: { receipts: receipts.join(''), offices, phones, decided, receivedDay }, rejected });
  }
  return collector?.state() ?? null;
}

/** The facts of the first `cases` cases, regenerated (when the cases were seeded by an earlier run). */
export function regenerateFacts(randomSeed: number, today: string, cases: number, offices: readonly string[]): CaseFacts {
  const state = createGenerator(randomSeed, today);
  const facts = new CaseFacts(cases, offices);
  const officeIndex = new Map(offices.map((c, i) => [c, i]));
  for (let i = 0; i < cases; i++) {
    const r = nextCase(state);
    const f = factsOf(r);
    facts.set(i, r.receiptNumber, officeIndex.get(f.office) ?? 255, f.phone, f.decided, f.receivedDay);
  }
  return facts;
}

/** Per-case facts for the whole seed, in compact arrays (10 million cases: about 230 MB). */
export class CaseFacts {
  readonly receipts: Buffer;
  readonly offices: Uint8Array;
  readonly phones: Uint32Array;
  readonly decided: Uint8Array;
  readonly receivedDay: Int32Array;
  constructor(readonly count: number, readonly officeCodes: readonly string[]) {
    this.receipts = Buffer.alloc(count * RECEIPT_LENGTH);
    this.offices = new Uint8Array(count);
    this.phones = new Uint32Array(count);
    this.decided = new Uint8Array(count);
    this.receivedDay = new Int32Array(count);
  }

  set(i: number, receipt: string, office: number, phone: number, decided: boolean, receivedDay: number): void {
    this.receipts.write(receipt, i * RECEIPT_LENGTH, 'latin1');
    this.offices[i] = office;
    this.phones[i] = phone;
    this.decided[i] = decided ? 1 : 0;
    this.receivedDay[i] = receivedDay;
  }

  /** Copies a batch's facts in at case `start`. */
  add(start: number, part: FactsPart): void {
    this.receipts.write(part.receipts, start * RECEIPT_LENGTH, 'latin1');
    this.offices.set(part.offices, start);
    this.phones.set(part.phones, start);
    this.decided.set(part.decided, start);
    this.receivedDay.set(part.receivedDay, start);
  }

  receipt(i: number): string {
    return this.receipts.toString('latin1', i * RECEIPT_LENGTH, (i + 1) * RECEIPT_LENGTH);
  }

  office(i: number): string {
    return this.officeCodes[this.offices[i]!] ?? 'NBC';
  }

  phone(i: number): string {
    return `+1555${this.phones[i]}`;
  }
}
