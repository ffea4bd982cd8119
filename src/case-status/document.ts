/**
 * The case's public status document, prepared when the case is written (the feed, a duplicate notice, a transfer)
 * instead of on every lookup (docs/adr/0015-prepared-status-document.md). Pure: no I/O.
 *   status_api       the exact bytes of GET /case-status/{receiptNumber}'s 200 body (CONTRACT.md section 6)
 *   status_document  the presented case, English and Spanish, earlier descriptions included (the public page, the
 *                    legacy form, the IVR read-back and "Prepare for my call")
 *   status_vocabulary the version of the reference data both were rendered with: a document of another version
 *                    is not served (the row is presented live) until `switchboard status-documents` re-renders it
 */
import { createHash } from 'node:crypto';
import { caseStatusApiBody, presentCase, type PresentedCase, type StatusRow, type StatusVocabulary } from './presenter.ts';

export interface StatusColumns {
  status_vocabulary: string | null;
  status_api: string | null;
  status_document: string | null;
}

export const NO_DOCUMENT: StatusColumns = Object.freeze({ status_vocabulary: null, status_api: null, status_document: null });

const versions = new WeakMap<StatusVocabulary, string>();

/**
 * The version of what a document is rendered from: the time zone, the status titles and description templates,
 * the form titles and the office names (16 hex digits of a SHA-256 of them, in a fixed order).
 */
export function vocabularyVersion(v: StatusVocabulary): string {
  let version = versions.get(v);
  if (version === undefined) {
    const sorted = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    version = createHash('sha256')
      .update(JSON.stringify([v.timeZone, sorted(v.statuses), sorted(v.formTitles), sorted(v.officeNames)]))
      .digest('hex').slice(0, 16);
    versions.set(v, version);
  }
  return version;
}

/** The two prepared columns of a case row (and their version); NO_DOCUMENT for a row with no history. */
export function statusColumns(row: StatusRow, v: StatusVocabulary): StatusColumns {
  const presented = presentCase(row, v);
  if (!presented) return NO_DOCUMENT;
  // JSON.stringify keeps the agency's field order (the API lists earlier entries by date and title only).
  return { status_vocabulary: vocabularyVersion(v), status_api: JSON.stringify(caseStatusApiBody(presented, v.timeZone)), status_document: JSON.stringify(presented) };
}

/** A stored document read back. */
export const parseDocument = (text: string): PresentedCase => JSON.parse(text) as PresentedCase;
