/** How service requests are shown to their callers: the shapes the service answers with, built from store rows. */
import type { ServiceRequestStatus } from '../platform/db/schema.ts';
import type { ServiceRequestRow } from './store.ts';
import { parseObject } from './checks.ts';

export interface Created {
  referralNumber: string;
  type: string;
  status: 'open';
  office: string;
  dueDate: string;
  createdAt: string;
}

export interface StaffRef {
  id: string;
  name: string;
  agentId?: string | undefined;
}

export interface HistoryEntry {
  at: string;
  action: string;
  /** "staff:<id>", "public" or "system"; `by` names staff when known. */
  actor: string;
  by: StaffRef | null;
  detail: Record<string, unknown> | null;
}

/** A request as a queue lists it. */
export interface QueueItem {
  referralNumber: string;
  receiptNumber: string;
  type: string;
  status: ServiceRequestStatus;
  office: string;
  priority: string;
  dueDate: string;
  createdAt: string;
  claimedBy: StaffRef | null;
  overdue: boolean;
  reopenCount: number;
  formLetterFlag: boolean;
}

/** A request as staff who may see its case read it: the queue's fields and the rest. */
export interface ServiceRequestView extends QueueItem {
  creator: string;
  contactId: string | null;
  lang: string;
  fields: Record<string, unknown>;
  claimedAt: string | null;
  response: string | null;
  answeredAt: string | null;
  answeredBy: StaffRef | null;
}

export interface PublicStatus {
  referralNumber: string;
  status: ServiceRequestStatus;
  dueDate: string;
}

/** What the response form shows beside a request: the case's timeline and the person's other requests. */
export interface CaseContext {
  receiptNumber: string;
  formType: string;
  office: string;
  receivedDate: string;
  status: string;
  timeline: Array<{ date: string; status: string }>;
  notices: Array<{ id?: string; date: string; type?: string }>;
  otherRequests: Array<{ referralNumber: string; type: string; status: ServiceRequestStatus; createdAt: string }>;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const staffIdOf = (label: string): string | null => (label.startsWith('staff:') ? label.slice('staff:'.length) : null);

function ref(names: Map<string, { id: string; name: string }>, id: string | null): StaffRef | null {
  if (id === null) return null;
  const s = names.get(id);
  return { id, name: s?.name ?? '' };
}

export function queueItem(r: ServiceRequestRow, names: Map<string, { id: string; name: string }>): QueueItem {
  return {
    referralNumber: r.referral_number, receiptNumber: r.receipt_number, type: r.type, status: r.status, office: r.office, priority: r.priority,
    dueDate: r.due_date, createdAt: r.created_at, claimedBy: ref(names, r.claimed_by), overdue: r.overdue === 1,
    reopenCount: Number(r.reopen_count), formLetterFlag: r.form_letter_flag === 1,
  };
}

export function view(r: ServiceRequestRow, names: Map<string, { id: string; name: string }>): ServiceRequestView {
  return {
    ...queueItem(r, names), creator: r.creator, contactId: r.contact_id, lang: r.lang, fields: parseObject(r.fields),
    claimedAt: r.claimed_at, response: r.response, answeredAt: r.answered_at, answeredBy: ref(names, r.answered_by),
  };
}
