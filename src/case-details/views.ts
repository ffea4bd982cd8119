/** How case details are shown to staff: the shapes the service answers with, built from store rows. */
import type { NoticeReissueStatus } from '../platform/db/schema.ts';
import type { ReissueRow } from './store.ts';

/**
 * One line of a case's timeline: what happened on the case and when. Every source (status history, notices,
 * RFEs, service requests, notice re-issue requests, and later contacts and callbacks) gives entries of this shape.
 */
export interface TimelineEntry {
  /** YYYY-MM-DD in the agency's time zone. */
  date: string;
  /** ISO 8601 instant, when known. */
  at: string | null;
  /** status | notice | rfe | service-request | notice-reissue-request | (contact, callback, … from other sources) */
  kind: string;
  /** The record's identifier within its kind: a status code, a notice or RFE id, a referral number, a request id. */
  ref: string;
  /** Facts of the entry worth showing, never PII (a request's type and status, a notice's type). */
  detail: Record<string, string | number | boolean | null>;
}

/** A source of timeline entries for a case (the wiring adds contacts and callbacks). */
export type TimelineSource = (receiptNumber: string) => Promise<TimelineEntry[]>;

export interface HistoryView {
  date: string;
  at: string | null;
  status: string;
  /** feed: the agency's case systems; switchboard: added here (a duplicate notice mailed), kept across re-sends. */
  source: 'feed' | 'switchboard';
}

export interface NoticeView {
  id: string;
  type: string;
  date: string;
  /** For a duplicate issued here: the notice it duplicates. */
  of: string | null;
  source: 'feed' | 'switchboard';
}

export interface ApplicantView {
  name: string;
  dateOfBirth: string;
  /** In full: the case view is the one place the A-number is shown unmasked. */
  aNumber: string | null;
  countryOfBirth: string | null;
  phone: string | null;
  email: string | null;
  address: { street: string | null; city: string | null; state: string | null; zip: string | null } | null;
}

/** The whole case, for the staff who may see it. RFEs are listed without their text. */
export interface CaseView {
  receiptNumber: string;
  formType: string;
  formCategory: string;
  office: string;
  fieldOffice: string | null;
  receivedDate: string;
  decidedDate: string | null;
  /** The current status (the last of the merged history) and its date. */
  status: string;
  statusDate: string;
  applicant: ApplicantView;
  representative: { name: string | null; g28OnFile: boolean } | null;
  military: boolean;
  protectedCategory: string | null;
  priorityDate: string | null;
  preferenceCategory: string | null;
  chargeability: string | null;
  premiumProcessingEligible: boolean;
  /** Oldest first: the feed's entries and Switchboard's own, merged by date. */
  history: HistoryView[];
  notices: NoticeView[];
  rfes: Array<{ id: string; date: string }>;
  /** Newest first. */
  timeline: TimelineEntry[];
  /** What the caller may do on this case (capabilities of the matrix that apply here). */
  actions: string[];
}

export interface RfeView {
  receiptNumber: string;
  id: string;
  date: string;
  text: string;
}

export interface ReissueView {
  id: string;
  receiptNumber: string;
  noticeId: string;
  office: string;
  status: NoticeReissueStatus;
  createdAt: string;
}

/** A request as the office queue lists it (the reason is there for the office to act on). */
export interface ReissueQueueItem extends ReissueView {
  reason: string;
  requestedBy: string;
  contactId: string | null;
  doneAt: string | null;
  duplicateNoticeId: string | null;
}

export interface DuplicateIssued {
  noticeId: string;
  type: 'duplicate';
  of: string;
  date: string;
  receiptNumber: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const reissueView = (r: ReissueRow): ReissueView => ({
  id: r.id, receiptNumber: r.receipt_number, noticeId: r.notice_id, office: r.office, status: r.status, createdAt: r.created_at,
});

export const reissueQueueItem = (r: ReissueRow): ReissueQueueItem => ({
  ...reissueView(r), reason: r.reason, requestedBy: r.requested_by, contactId: r.contact_id, doneAt: r.done_at, duplicateNoticeId: r.duplicate_notice_id,
});

/** Newest first: by date, then by instant (entries without one last within their day), keeping each source's order. */
export function newestFirst(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return entries.map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.date.localeCompare(a.e.date) || (b.e.at ?? '').localeCompare(a.e.at ?? '') || a.i - b.i)
    .map((x) => x.e);
}
