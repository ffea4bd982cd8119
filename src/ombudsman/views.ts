/** The answer shapes of case assistance requests: what the person is told at intake, the queue, the analyst's view. */
import { maskANumber } from '../domain/a-number.ts';
import type { AdviceCode, CitedCase, Person, PriorAction } from './checks.ts';
import type { CaseAssistanceStatus } from './policy.ts';
import type { CaseAssistanceEventRow, CaseAssistanceRow } from './store.ts';

export interface Eligibility { priorActionVerified: boolean; advice: AdviceCode[] }
export interface Created { requestNumber: string; eligibility: Eligibility }

export interface QueueItem {
  requestNumber: string;
  status: CaseAssistanceStatus;
  createdAt: string;
  reviewBy: string;
  actBy: string;
  assignedTo: { id: string; name: string } | null;
  cases: Array<{ receiptNumber: string; formType: string }>;
  eligibility: Eligibility;
}

export interface ReferralCheck {
  referralNumber: string;
  found: boolean;
  /** True when the request is about one of the cited cases. */
  belongsToCitedCase: boolean;
  receiptNumber?: string; type?: string; status?: string; office?: string; dueDate?: string; createdAt?: string;
  history?: Array<{ at: string; action: string }>;
}
export interface CallCheck {
  reference: string;
  found: boolean;
  /** True when the call was about one of the cited cases. */
  aboutCitedCase: boolean;
  startedAt?: string; agentId?: string | null; tier?: string | null; disposition?: string | null;
}

export interface CaseAssistanceView extends QueueItem {
  requester: Person;
  applicant: Person;
  forSomeoneElse: boolean;
  consent: boolean;
  g28OnFile: boolean;
  citedCases: CitedCase[];
  priorActions: Array<PriorAction & { referral?: ReferralCheck; call?: CallCheck }>;
  reasons: string;
  outcome: string | null;
  closedAt: string | null;
  history: Array<{ at: string; action: string; actor: string; detail: Record<string, unknown> | null }>;
}

export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

const json = <T>(s: string): T => JSON.parse(s) as T;
/** The A-number masked (last 4 digits): the analyst's view is not the case view. */
const masked = (p: Person): Person => (p.aNumber ? { ...p, aNumber: maskANumber(p.aNumber) } : p);

export function queueItem(row: CaseAssistanceRow, names: Map<string, string>): QueueItem {
  return {
    requestNumber: row.request_number, status: row.status, createdAt: row.created_at, reviewBy: row.review_by, actBy: row.act_by,
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: names.get(row.assigned_to) ?? '' } : null,
    cases: json<CitedCase[]>(row.cases).map((c) => ({ receiptNumber: c.receiptNumber, formType: c.formType })),
    eligibility: { priorActionVerified: row.prior_action_verified === 1, advice: json<AdviceCode[]>(row.advice) },
  };
}

export function detailView(
  row: CaseAssistanceRow, names: Map<string, string>, events: CaseAssistanceEventRow[],
  referrals: Map<string, ReferralCheck>, calls: Map<string, CallCheck>,
): CaseAssistanceView {
  return {
    ...queueItem(row, names),
    requester: masked(json<Person>(row.requester)), applicant: masked(json<Person>(row.applicant)),
    forSomeoneElse: row.for_someone_else === 1, consent: row.consent === 1, g28OnFile: row.g28_on_file === 1,
    citedCases: json<CitedCase[]>(row.cases),
    priorActions: json<PriorAction[]>(row.prior_actions).map((a) => ({
      ...a,
      ...(a.referralNumber ? { referral: referrals.get(a.referralNumber)! } : {}),
      ...(a.callReference ? { call: calls.get(a.callReference)! } : {}),
    })),
    reasons: row.reasons, outcome: row.outcome, closedAt: row.closed_at,
    history: events.map((e) => ({ at: e.at, action: e.action, actor: e.actor, detail: e.detail ? json<Record<string, unknown>>(e.detail) : null })),
  };
}
