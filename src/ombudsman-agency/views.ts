/** The answer shapes of the Ombudsman's requests to the agency and of letters to the person. */
import type { OmbudsmanAgencyRequestStatus } from '../platform/db/schema.ts';
import type { AgencyRequestRow } from './store.ts';

export interface StaffRef { id: string; name: string }

/** A work item as the office (and the analyst) reads it. */
export interface AgencyRequestView {
  id: string;
  requestNumber: string;
  receiptNumber: string;
  office: string;
  question: string;
  askedBy: StaffRef | null;
  askedAt: string;
  dueDate: string;
  /** Past its due date in the office's calendar and not answered. */
  overdue: boolean;
  status: OmbudsmanAgencyRequestStatus;
  claimedBy: StaffRef | null;
  claimedAt: string | null;
  answer: string | null;
  answeredBy: StaffRef | null;
  answeredAt: string | null;
}

/** A letter queued for the person (`email`), or to go by post because neither the requester nor the applicant gave an e-mail. */
export interface LetterSent { requestNumber: string; delivery: 'email' | 'post'; at: string }

export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export const staffIdOf = (label: string): string | null => (label.startsWith('staff:') ? label.slice(6) : null);

export function agencyRequestView(row: AgencyRequestRow, names: Map<string, string>, today: string): AgencyRequestView {
  const ref = (id: string | null): StaffRef | null => (id ? { id, name: names.get(id) ?? '' } : null);
  return {
    id: row.id, requestNumber: row.request_number, receiptNumber: row.receipt_number, office: row.office, question: row.question,
    askedBy: ref(staffIdOf(row.asked_by)), askedAt: row.asked_at, dueDate: row.due_date,
    overdue: row.status !== 'answered' && row.due_date < today, status: row.status,
    claimedBy: ref(row.claimed_by), claimedAt: row.claimed_at, answer: row.answer, answeredBy: ref(row.answered_by), answeredAt: row.answered_at,
  };
}
