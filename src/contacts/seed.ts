/**
 * Demo calls and callbacks for SEED=demo, made through the real services (so the references, verification,
 * events, service requests, escalation rules, texts and audit entries are the real ones) with clocks set in the
 * past, like the service-request seed. After it, each role's desk has work on first sign-in:
 *   - Tier 1: ended calls over the last two weeks (verified cases, notes, a service request made on a call) and
 *     calls open now: one with a verified case and a note, one transferred live to Tier 2;
 *   - Tier 2 (English): callbacks due, one with a failed attempt, one overdue, one missed after two failed
 *     attempts, one done (the caller reached, the officer's own call ended);
 *   - Tier 2 (English, Spanish, military): the live transfer (busy with it), Spanish and military callbacks;
 *   - supervisors: all of that in the live view; the Ombudsman: calls to find by phone number.
 */
import type { Actor, StaffUser } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { findCase, pendingCasesOf } from '../cases/store.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { CallbackService } from '../callbacks/service.ts';
import type { ContactService } from './service.ts';
import type { StaffService } from '../staff/service.ts';
import { DEMO_PASSWORD } from '../demo.ts';

export interface DemoContactActors {
  tier1: StaffUser;
  /** A second Tier 1 agent (Spanish-speaking callers), when the demo has one. */
  tier1b?: StaffUser | undefined;
  /** Tier 2, English only. */
  tier2: StaffUser;
  /** Tier 2, English, Spanish and military. */
  tier2es: StaffUser;
}

export interface DemoContactsResult {
  calls: number;
  ended: number;
  open: number;
  byTier: Record<'tier1' | 'tier2', number>;
  transfers: number;
  serviceRequests: number;
  callbacks: Record<'due' | 'overdue' | 'missed' | 'done', number>;
}

const HOUR = 3_600_000;
const staff = (user: StaffUser): Actor => ({ kind: 'staff', user, sessionId: 'demo-seed' });
const once = (key: string) => ({ scope: 'demo', key: null, requestHash: key });

interface DemoCase { receipt: string; name: string; dateOfBirth: string; military: boolean }

/** The calls a demo makes, oldest first: who, how long ago, and what happened. */
type Step =
  | { kind: 'ended'; agent: 'tier1' | 'tier1b' | 'tier2'; hoursAgo: number; phone: string; language: 'en' | 'es'; note: string; disposition: string; serviceRequest?: { type: string; details: string } }
  | { kind: 'callback'; agent: 'tier1' | 'tier1b'; hoursAgo: number; phone: string; language: 'en' | 'es'; military?: boolean; note: string; reason: string; urgency: 'urgent' | 'regular';
      attempts?: Array<{ hoursAgo: number; outcome: 'no-answer' | 'voicemail' | 'wrong-number' | 'reached'; by: 'tier2' | 'tier2es' }> };

const STEPS: readonly Step[] = [
  { kind: 'ended', agent: 'tier1', hoursAgo: 13 * 24, phone: '(202) 555-0143', language: 'en', note: 'Caller asked what "Case Is Being Actively Reviewed" means. Read the approved script on active review.', disposition: 'resolved' },
  { kind: 'ended', agent: 'tier1', hoursAgo: 9 * 24, phone: '(202) 555-0143', language: 'en', note: 'Same caller again: the biometrics notice never came after the move in March.', disposition: 'service-request-created',
    serviceRequest: { type: 'other', details: 'The caller never received the biometrics appointment notice. She moved in March and updated her address online.' } },
  { kind: 'ended', agent: 'tier1b', hoursAgo: 7 * 24, phone: '(305) 555-0178', language: 'es', note: 'La persona preguntó cómo cambiar su dirección. Se le indicó el formulario en línea.', disposition: 'referred-online' },
  { kind: 'ended', agent: 'tier2', hoursAgo: 6 * 24, phone: '(617) 555-0121', language: 'en', note: 'Explained the pending I-485 and the next step (interview scheduling). The notice on file matches.', disposition: 'resolved' },
  { kind: 'ended', agent: 'tier1', hoursAgo: 5 * 24, phone: '(718) 555-0164', language: 'en', note: 'Name misspelled on the receipt notice ("Garsia").', disposition: 'service-request-created',
    serviceRequest: { type: 'typographical-error', details: 'The receipt notice spells the family name "Garsia"; the passport reads "García".' } },
  // Callbacks: missed after two failed attempts (the caller was told how to reach Tier 2 again).
  { kind: 'callback', agent: 'tier1', hoursAgo: 6 * 24, phone: '(412) 555-0190', language: 'en', note: 'Caller asks why the case was transferred to another office.', reason: 'The caller needs the transfer of the case explained from the case record.', urgency: 'urgent',
    attempts: [{ hoursAgo: 5 * 24, outcome: 'no-answer', by: 'tier2' }, { hoursAgo: 4 * 24 + 20, outcome: 'voicemail', by: 'tier2' }] },
  // Overdue: urgent, promised 72 hours ago and more.
  { kind: 'callback', agent: 'tier1', hoursAgo: 80, phone: '(202) 555-0111', language: 'en', note: 'Caller got a denial notice and does not understand the reason given.', reason: 'The caller asks what the decision on the case means; Tier 1 may not explain it.', urgency: 'urgent' },
  { kind: 'callback', agent: 'tier1b', hoursAgo: 90, phone: '(915) 555-0133', language: 'es', military: true, note: 'Esposa de un militar destinado en el extranjero; pregunta por la entrevista.', reason: 'A military spouse asks about the interview while her husband is deployed.', urgency: 'urgent' },
  // Due: one with a failed attempt, one regular in Spanish, one urgent made this morning.
  { kind: 'callback', agent: 'tier1', hoursAgo: 30, phone: '(312) 555-0157', language: 'en', note: 'Caller asks whether the RFE response was received.', reason: 'The caller needs to know whether the response to the RFE is on file.', urgency: 'urgent',
    attempts: [{ hoursAgo: 6, outcome: 'no-answer', by: 'tier2' }] },
  { kind: 'callback', agent: 'tier1b', hoursAgo: 26, phone: '(786) 555-0102', language: 'es', note: 'Pregunta por un aviso de aprobación que no llegó.', reason: 'The caller never got the approval notice; a re-issue may be needed.', urgency: 'regular' },
  { kind: 'callback', agent: 'tier1', hoursAgo: 3, phone: '(646) 555-0148', language: 'en', note: 'Caller outside normal processing time asks what happens next.', reason: 'The case is outside normal processing time; the caller wants it looked at.', urgency: 'urgent' },
  // Done: the caller was reached, and the officer's own call ended.
  { kind: 'callback', agent: 'tier1', hoursAgo: 50, phone: '(703) 555-0126', language: 'en', note: 'Caller asks for a duplicate of the interview notice.', reason: 'The interview notice was lost in the mail; the caller needs a new one.', urgency: 'urgent',
    attempts: [{ hoursAgo: 28, outcome: 'reached', by: 'tier2' }] },
];

/**
 * Makes the demo calls and callbacks (cases must be loaded; only when there are no calls yet is the caller's
 * business). Returns what it made. `now` is the demo's present.
 */
export async function seedDemoContacts(
  db: Db, services: { contacts: ContactService; callbacks: CallbackService; serviceRequests: ServiceRequestService; staff: Pick<StaffService, 'signIn'> },
  actors: DemoContactActors, now: Date = new Date(),
): Promise<DemoContactsResult> {
  const result: DemoContactsResult = { calls: 0, ended: 0, open: 0, byTier: { tier1: 0, tier2: 0 }, transfers: 0, serviceRequests: 0, callbacks: { due: 0, overdue: 0, missed: 0, done: 0 } };
  const clock = (hoursAgo: number, minutes = 0) => () => new Date(now.getTime() - hoursAgo * HOUR + minutes * 60_000);
  const cases = await demoCases(db);
  const plain = cases.filter((c) => !c.military);
  const military = cases.filter((c) => c.military);
  let next = 0;
  const pick = (wantMilitary = false): DemoCase | undefined => (wantMilitary && military.length ? military.shift() : plain[next++ % Math.max(1, plain.length)]);
  const who = (agent: 'tier1' | 'tier1b' | 'tier2' | 'tier2es'): StaffUser => (agent === 'tier1b' ? actors.tier1b ?? actors.tier1 : actors[agent]);

  /** Opens a call `hoursAgo` (plus `minutes`), verifies the caller on a case and writes the agent's note. */
  async function call(agent: StaffUser, hoursAgo: number, phone: string, language: 'en' | 'es', note: string, c: DemoCase | undefined, minutes = 0) {
    const at = services.contacts.withClock(clock(hoursAgo, minutes));
    const opened = JSON.parse((await at.open(staff(agent), { channel: 'phone', callerPhone: phone, language }, once(`open-${hoursAgo}-${phone}`))).body) as { id: string; reference: string };
    if (c) await services.contacts.withClock(clock(hoursAgo, minutes + 2)).verify(staff(agent), opened.id, { receiptNumber: c.receipt, name: c.name, dateOfBirth: c.dateOfBirth });
    await services.contacts.withClock(clock(hoursAgo, minutes + 4)).addNote(staff(agent), opened.id, note);
    result.calls++;
    result.byTier[agent.role === 'tier2' ? 'tier2' : 'tier1']++;
    return opened;
  }

  for (const step of STEPS) {
    const agent = who(step.agent);
    const c = pick(step.kind === 'callback' && step.military === true);
    const opened = await call(agent, step.hoursAgo, step.phone, step.language, step.note, c);
    if (step.kind === 'ended') {
      if (step.serviceRequest && c) {
        try {
          await services.serviceRequests.withClock(clock(step.hoursAgo, 6)).create(staff(agent), { receiptNumber: c.receipt, type: step.serviceRequest.type, details: step.serviceRequest.details, contactId: opened.id },
            once(`sr-${opened.id}`), { lang: step.language });
          result.serviceRequests++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err; // a rule refused this case for this kind: the call ends without one
        }
      }
      await services.contacts.withClock(clock(step.hoursAgo, 9)).end(staff(agent), opened.id, { disposition: step.disposition });
      result.ended++;
      continue;
    }
    const made = JSON.parse((await services.callbacks.withClock(clock(step.hoursAgo, 6)).escalate(staff(agent), opened.id, {
      reason: step.reason, urgency: step.urgency, ...(c ? { receiptNumber: c.receipt } : {}),
    }, once(`cb-${opened.id}`))).body) as { id: string; mode: string };
    await services.contacts.withClock(clock(step.hoursAgo, 8)).end(staff(agent), opened.id, { disposition: 'escalated' });
    result.ended++;
    let status: string | null = null;
    for (const a of step.attempts ?? []) {
      const r = await services.callbacks.withClock(clock(a.hoursAgo)).attempt(staff(who(a.by)), made.id, a.outcome);
      status = r.status;
      if (r.contactId) {
        // The officer's own call with the caller: a note of what was said, then it ends.
        await services.contacts.withClock(clock(a.hoursAgo, 5)).addNote(staff(who(a.by)), r.contactId, 'Reached the caller; asked the office for a duplicate interview notice.');
        await services.contacts.withClock(clock(a.hoursAgo, 12)).end(staff(who(a.by)), r.contactId, { disposition: 'resolved' });
        result.calls++;
        result.ended++;
        result.byTier.tier2++;
      }
    }
    if (status === 'missed' || status === 'done') result.callbacks[status]++;
    else {
      const dueAt = services.callbacks.withClock(clock(step.hoursAgo, 6)).dueAt(step.urgency);
      result.callbacks[dueAt < now.toISOString() ? 'overdue' : 'due']++;
    }
  }

  // Open now: a call with a verified case and a note on Tier 1's desk, and a Spanish call transferred live to the
  // officer who speaks Spanish (free until then, busy with it after); the English-only officer is free.
  await call(actors.tier1, 0, '(202) 555-0187', 'en', 'Caller asks when the work permit card will be mailed.', pick(), -6);
  result.open++;
  const transferAt = clock(0, -12);
  // Live transfers go only to an officer who is signed in: the Spanish-speaking officer is on shift.
  await services.staff.signIn(actors.tier2es.email, DEMO_PASSWORD, 'browser', '127.0.0.1');
  await services.callbacks.withClock(transferAt).setPresence(staff(actors.tier2es), 'available');
  const live = await call(who('tier1b'), 0, '(305) 555-0166', 'es', 'Llama por un aviso de entrevista que no entiende; pide hablar con un oficial.', pick(), -10);
  const transfer = JSON.parse((await services.callbacks.withClock(clock(0, -5)).escalate(staff(who('tier1b')), live.id, {
    reason: 'The caller needs the interview notice explained from the case record.', urgency: 'urgent',
  }, once(`transfer-${live.id}`))).body) as { mode: string };
  if (transfer.mode === 'transfer') result.transfers++;
  else result.callbacks.due++;
  result.open++;
  await services.callbacks.withClock(clock(0, -2)).setPresence(staff(actors.tier2), 'available');
  return result;
}

/** Pending cases to verify callers on, from the larger offices, with military ones apart. */
async function demoCases(db: Db): Promise<DemoCase[]> {
  const out: DemoCase[] = [];
  for (const office of ['VSC', 'CSC', 'NBC', 'NSC', 'TSC']) {
    for (const row of await pendingCasesOf(db, office, 60)) {
      if (row.protected_category) continue; // protected cases are not demo material for a call
      const applicant = JSON.parse(row.applicant) as { name?: string; dateOfBirth?: string };
      if (!applicant.name || !applicant.dateOfBirth) continue;
      const c = await findCase(db, row.receipt_number);
      out.push({ receipt: row.receipt_number, name: applicant.name, dateOfBirth: applicant.dateOfBirth, military: c?.military === 1 });
    }
  }
  return out;
}
