/**
 * The calls and escalations of a case as entries of its timeline (CaseDetailsService's `timelineSources`, added in
 * the wiring): a Tier 2 officer opening the case sees who talked to the caller, and which callbacks were promised
 * and what became of them. Entries carry facts only, never the caller's phone or what was said.
 */
import type { Db } from '../platform/db/database.ts';
import type { TimelineEntry, TimelineSource } from '../case-details/views.ts';
import { todayIn } from '../domain/calendar.ts';
import { contactsOfCase } from '../contacts/store.ts';
import { escalationsOfCase } from '../callbacks/store.ts';

/** Calls linked to the case: kind `contact`, ref the 12-digit call reference. */
export function contactTimeline(db: Db, timeZone: string): TimelineSource {
  return async (receiptNumber) => (await contactsOfCase(db, receiptNumber)).map((c): TimelineEntry => ({
    date: todayIn(timeZone, new Date(c.started_at)), at: c.started_at, kind: 'contact', ref: c.reference,
    detail: {
      contactId: c.id, channel: c.channel, source: c.source, tier: c.tier, agentId: c.agent_id, endedAt: c.ended_at,
      disposition: c.disposition, verified: Number(c.verified) === 1,
    },
  }));
}

/** Escalations of the case: kind `callback` (promised call-backs, with their status and attempts) or `transfer`. */
export function escalationTimeline(db: Db, timeZone: string): TimelineSource {
  return async (receiptNumber) => (await escalationsOfCase(db, receiptNumber)).map((e): TimelineEntry => ({
    date: todayIn(timeZone, new Date(e.created_at)), at: e.created_at, kind: e.mode === 'transfer' ? 'transfer' : 'callback', ref: e.id,
    detail: {
      contactId: e.contact_id, urgency: e.urgency, status: e.status, dueAt: e.due_at, attempts: Number(e.attempts), closedAt: e.closed_at,
      reachedContactId: e.reached_contact_id,
    },
  }));
}
