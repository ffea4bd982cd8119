/**
 * The pure part of case details: a stored case row read into its parts (applicant, notices, RFEs, the history
 * merged with Switchboard's own entries), the actions a role may take on it, input checks, and the errors they
 * raise. No I/O.
 */
import type { CaseTable } from '../platform/db/schema.ts';
import type { Role } from '../domain/roles.ts';
import { can } from '../domain/capabilities.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { parseArray, parseObject } from '../service-requests/checks.ts';
import { CASE_ACTIONS, DUPLICATE_NOTICE_STATUS, ISSUABLE_NOTICE_TYPES, REISSUE_REASON_LIMITS } from './policy.ts';
import type { ApplicantView, HistoryView, NoticeView } from './views.ts';

/**
 * An entry Switchboard adds to `local_history`. A duplicate notice is one entry: its status shows in the public
 * history ("Duplicate Notice Was Mailed") and its `notice` lists it among the case's notices, so the one column
 * the feed never writes keeps both across re-sends.
 */
export interface LocalEntry {
  date: string;
  at?: string;
  status: string;
  notice?: { id: string; type: string; of: string };
  /** Who added it: "staff:<id>". */
  by?: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** History entries as stored (the feed's or Switchboard's own), in stored order; malformed ones are skipped. */
export function localEntries(json: string | null): LocalEntry[] {
  return (parseArray(json) as LocalEntry[]).filter((e) => e && typeof e.date === 'string' && typeof e.status === 'string');
}

/** The applicant as the case view shows them: the A-number in full (from its own column, stored as A + 9 digits). */
export function applicantOf(row: Pick<CaseTable, 'applicant' | 'a_number'>): ApplicantView {
  const a = parseObject(row.applicant);
  const addr = a.address && typeof a.address === 'object' ? a.address as Record<string, unknown> : null;
  return {
    name: str(a.name) ?? '', dateOfBirth: str(a.dateOfBirth) ?? '', aNumber: row.a_number ?? str(a.aNumber),
    countryOfBirth: str(a.countryOfBirth), phone: str(a.phone), email: str(a.email),
    address: addr ? { street: str(addr.street), city: str(addr.city), state: str(addr.state), zip: str(addr.zip) } : null,
  };
}

export function representativeOf(row: Pick<CaseTable, 'representative'>): { name: string | null; g28OnFile: boolean } | null {
  if (!row.representative) return null;
  const r = parseObject(row.representative);
  return { name: str(r.name), g28OnFile: r.g28OnFile === true };
}

/** The feed's history and Switchboard's own, oldest first (merged as Case Status Online merges them), each saying where it came from. */
export function historyOf(row: Pick<CaseTable, 'history' | 'local_history'>): HistoryView[] {
  const feed = localEntries(row.history).map((e) => ({ e, source: 'feed' as const }));
  const local = localEntries(row.local_history).map((e) => ({ e, source: 'switchboard' as const }));
  // The same order as mergedHistory (src/case-status/presenter.ts): by date; on one day, feed entries first.
  return [...feed, ...local].map((x, i) => ({ ...x, i })).sort((a, b) => a.e.date.localeCompare(b.e.date) || a.i - b.i)
    .map(({ e, source }) => ({ date: e.date, at: e.at ?? null, status: e.status, source }));
}

/** The case's notices: the feed's, then the duplicates issued here, each oldest first. */
export function noticesOf(row: Pick<CaseTable, 'notices' | 'local_history'>): NoticeView[] {
  const feed = (parseArray(row.notices) as Array<Record<string, unknown>>)
    .filter((n) => n && typeof n.id === 'string')
    .map((n) => ({ id: n.id as string, type: str(n.type) ?? '', date: str(n.date) ?? '', of: null, source: 'feed' as const }));
  const local = localEntries(row.local_history).filter((e) => e.notice && typeof e.notice.id === 'string')
    .map((e) => ({ id: e.notice!.id, type: e.notice!.type, date: e.date, of: e.notice!.of, source: 'switchboard' as const }));
  return [...feed, ...local];
}

/** The case's RFEs with their text (only the holding office reads it). */
export function rfesOf(row: Pick<CaseTable, 'rfes'>): Array<{ id: string; date: string; text: string }> {
  return (parseArray(row.rfes) as Array<Record<string, unknown>>)
    .filter((r) => r && typeof r.id === 'string')
    .map((r) => ({ id: r.id as string, date: str(r.date) ?? '', text: str(r.text) ?? '' }));
}

/** The actions a staff member may take on a case: the matrix's capabilities, office ones only at the holding office. */
export function caseActions(role: Role, staffOffice: string | null, caseOffice: string): string[] {
  return CASE_ACTIONS.filter((a) => can(role, a.action) && (!a.holdingOffice || staffOffice === caseOffice)).map((a) => a.action);
}

/** The duplicate-notice entry for local_history. */
export function duplicateEntry(input: { date: string; at: string; noticeId: string; of: string; by: string }): LocalEntry {
  return { date: input.date, at: input.at, status: DUPLICATE_NOTICE_STATUS, notice: { id: input.noticeId, type: 'duplicate', of: input.of }, by: input.by };
}

/** A re-issue request's reason, trimmed; 400 naming the field when too short or too long. */
export function checkReissueReason(input: unknown): string {
  const reason = typeof input === 'string' ? input.trim() : '';
  const { minChars, maxChars } = REISSUE_REASON_LIMITS;
  if (reason.length < minChars) throw validationError([{ field: 'reason', code: reason ? 'too-short' : 'required', detail: `Say why the notice is needed again, in at least ${minChars} characters.` }]);
  if (reason.length > maxChars) throw validationError([{ field: 'reason', code: 'too-long', detail: `At most ${maxChars} characters.` }]);
  return reason;
}

/** The notice type an office issues; 400 naming the field for any other. */
export function checkNoticeType(input: unknown): (typeof ISSUABLE_NOTICE_TYPES)[number] {
  const t = ISSUABLE_NOTICE_TYPES.find((x) => x === input);
  if (!t) throw validationError([{ field: 'type', code: 'invalid', detail: `Must be one of: ${ISSUABLE_NOTICE_TYPES.join(', ')}. Receipt and RFE notices are issued by the agency's case systems.` }]);
  return t;
}

/** The notice of the case with this id; 422 naming the field when the case has none such. */
export function requireNotice(notices: readonly NoticeView[], noticeId: unknown): NoticeView {
  const id = typeof noticeId === 'string' ? noticeId.trim() : '';
  if (!id) throw validationError([{ field: 'noticeId', code: 'required', detail: 'Name the notice by its id, as the case lists it.' }]);
  const n = notices.find((x) => x.id === id);
  if (!n) {
    throw new AppError('unprocessable', 'This case has no notice with this id. The case view lists its notices.', {
      extensions: { errors: [{ field: 'noticeId', code: 'unknown-notice', detail: 'Not a notice of this case.' }] },
    });
  }
  return n;
}

export const caseNotFound = () => new AppError('not-found', 'No case with this receipt number has been loaded.');
export const rfeNotFound = () => new AppError('not-found', 'This case has no Request for Evidence with this id.');
export const invalidReceipt = () => new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
