/**
 * The case's public status document, prepared when the case is written (the feed, a duplicate notice, a transfer)
 * instead of on every lookup (docs/adr/0015-prepared-status-document.md). Pure: no I/O.
 *   status_api        the exact bytes of GET /case-status/{receiptNumber}'s 200 body (CONTRACT.md section 6): the
 *                     current status's title and description in English and Spanish, and the earlier titles
 *   status_document   what the answer does not carry and the pages need, small: the office, the received date and
 *                     instant, and every entry (status, date, instant), merged and newest first
 *   status_vocabulary the version of the reference data (and of this format) both were rendered with: a document of
 *                     another version is not served (the row is presented live) until `switchboard status-documents`
 *                     re-renders it
 * Together they are the presented case (`preparedCase`): the public page, the legacy form, the IVR read-back and
 * "Prepare for my call" read them with two JSON parses and map lookups; only the public page's earlier entries are
 * described when shown (`withEarlierDescriptions`), which kept the document at a fifth of its first size.
 */
import { createHash } from 'node:crypto';
import {
  caseStatusApiBody, mergedHistory, presentEntries, statusTitle,
  type CaseHead, type PresentedCase, type StatusRow, type StatusVocabulary, type StoredEntry,
} from './presenter.ts';

export interface StatusColumns {
  status_vocabulary: string | null;
  status_api: string | null;
  status_document: string | null;
}

export const NO_DOCUMENT: StatusColumns = Object.freeze({ status_vocabulary: null, status_api: null, status_document: null });

/** The document's shape; a change of it changes every version (FORMAT below), so old rows are presented live. */
interface StatusDocument {
  office: string;
  receivedDate: string;
  receivedAt: string | null;
  /** [status, date, instant or null], the current entry first. */
  entries: Array<[string, string, string | null]>;
}
const FORMAT = 2;

const versions = new WeakMap<StatusVocabulary, string>();

/**
 * The version of what a document is rendered from: the document format, the time zone, the status titles and
 * description templates, the form titles and the office names (16 hex digits of a SHA-256 of them, in a fixed order).
 */
export function vocabularyVersion(v: StatusVocabulary): string {
  let version = versions.get(v);
  if (version === undefined) {
    const sorted = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    version = createHash('sha256')
      .update(JSON.stringify([FORMAT, v.timeZone, sorted(v.statuses), sorted(v.formTitles), sorted(v.officeNames)]))
      .digest('hex').slice(0, 16);
    versions.set(v, version);
  }
  return version;
}

/** The prepared columns of a case row (and their version); NO_DOCUMENT for a row with no history. */
export function statusColumns(row: StatusRow, v: StatusVocabulary): StatusColumns {
  return statusColumnsOf(row, mergedHistory(row), v);
}

/** The same from the case's merged history, oldest first (the feed has it parsed already). */
export function statusColumnsOf(row: CaseHead, history: readonly StoredEntry[], v: StatusVocabulary): StatusColumns {
  const presented = presentEntries(row, history, v, { earlierDescriptions: false });
  if (!presented) return NO_DOCUMENT;
  const entries: StatusDocument['entries'] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    entries.push([e.status, e.date, e.at ?? null]);
  }
  const document: StatusDocument = { office: row.office, receivedDate: row.received_date, receivedAt: presented.receivedAt, entries };
  // JSON.stringify keeps the agency's field order (the API lists earlier entries by date and title only).
  return { status_vocabulary: vocabularyVersion(v), status_api: JSON.stringify(caseStatusApiBody(presented, v.timeZone)), status_document: JSON.stringify(document) };
}

/**
 * The presented case from its prepared columns, when they are of this vocabulary (`version`); null otherwise
 * (present the row instead). Earlier entries come without descriptions: `withEarlierDescriptions` adds them.
 */
export function preparedCase(columns: StatusColumns, v: StatusVocabulary): PresentedCase | null {
  if (columns.status_api === null || columns.status_document === null || columns.status_vocabulary !== vocabularyVersion(v)) return null;
  const answer = (JSON.parse(columns.status_api) as { case_status: Record<string, string> }).case_status;
  const d = JSON.parse(columns.status_document) as StatusDocument;
  const [current, ...earlier] = d.entries;
  if (!current) return null;
  const formType = answer.formType!;
  return {
    receiptNumber: answer.receiptNumber!,
    formType,
    formTitle: v.formTitles.get(formType) ?? { en: formType, es: formType },
    office: d.office,
    receivedDate: d.receivedDate,
    receivedAt: d.receivedAt,
    current: {
      status: current[0], date: current[1], at: current[2], title: statusTitle(current[0], v),
      description: { en: answer.current_case_status_desc_en!, es: answer.current_case_status_desc_es! },
    },
    earlier: earlier.map(([status, date, at]) => ({ status, date, at, title: statusTitle(status, v), description: null })),
  };
}
