/** The shapes the contact desk answers with (CONTRACT.md section 8), built from rows. Pure. */
import type { ContactEventRow, ContactRow } from './store.ts';

export interface CallRecord {
  reference: string;
  agentId: string | null;
  /** The Tier 2 officer the call was transferred to, if it was: the caller needs every staff ID on the call. */
  transferredToAgentId: string | null;
  startedAt: string;
  endedAt: string | null;
  serviceRequests: string[];
  disposition: string | null;
  /** Callbacks promised on the call: when Tier 2 will call. */
  callbacks: Array<{ id: string; dueAt: string; status: string }>;
}

export interface ContactSummary {
  id: string;
  reference: string;
  source: string;
  channel: string;
  callerPhone: string | null;
  language: string;
  tier: string | null;
  agentId: string | null;
  startedAt: string;
  endedAt: string | null;
  disposition: string | null;
  recordingUri: string | null;
  serviceRequests: string[];
}

export interface ContactEventView {
  at: string;
  kind: string;
  actor: string;
  detail: Record<string, unknown> | null;
}

/** An earlier call as the next agent reads it: what was noted on it and how it ended. */
export interface HistoryItem extends ContactSummary {
  notes: string[];
  endNotes: string | null;
}

export interface ContactView extends ContactSummary {
  notes: string | null;
  escalatedTo: string | null;
  transferredToAgentId: string | null;
  callbackId: string | null;
  cases: Array<{ receiptNumber: string; verified: boolean; linkedAt: string }>;
  events: ContactEventView[];
  escalations: Array<{ id: string; mode: string; status: string; urgency: string; dueAt: string }>;
  /** What the asking staff member may do on this call now: the desk shows a button for each and no other. */
  actions: string[];
}

export const summary = (r: ContactRow, referrals: string[]): ContactSummary => ({
  id: r.id, reference: r.reference, source: r.source, channel: r.channel, callerPhone: r.caller_phone, language: r.language, tier: r.tier,
  agentId: r.agent_id, startedAt: r.started_at, endedAt: r.ended_at, disposition: r.disposition, recordingUri: r.recording_uri, serviceRequests: referrals,
});

export const eventView = (e: ContactEventRow): ContactEventView => ({
  at: e.at, kind: e.kind, actor: e.actor, detail: e.detail ? JSON.parse(e.detail) as Record<string, unknown> : null,
});

export const callRecord = (r: ContactRow, referrals: string[], callbacks: CallRecord['callbacks'], transferredToAgentId: string | null): CallRecord => ({
  reference: r.reference, agentId: r.agent_id, transferredToAgentId, startedAt: r.started_at, endedAt: r.ended_at, serviceRequests: referrals, disposition: r.disposition, callbacks,
});
