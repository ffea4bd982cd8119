/**
 * A synthetic year of contact center activity ending at --today (issue 10: `switchboard seed --contacts N`):
 * N calls (tier1 ~80 %, tier2 ~20 %; English ~75 %, Spanish ~25 %; desk and platform records) on the business
 * days of the year, each linked to 0–2 seeded cases (the i-th case's receipt number regenerated from the case
 * generator's facts, never read back), ~12 % of them a caller calling again about the same case; escalations for
 * ~8 % (live transfers, callbacks done on time, late, missed or open); service requests ≈ N × 2/15 (kinds and due
 * days from reference/<agency>/service-requests.json, the office that holds the case, the office's business
 * calendar); call reviews ≈ N/50,000; case assistance requests ≈ N/5,000 at each status; feedback ≈ N/300.
 * Deterministic for a seed and today. Rows are written directly (bulk.ts's way: indexes and triggers after).
 */
import { DateTime } from 'luxon';
import type { AuditService } from '../../audit/service.ts';
import { actorLabel, type Actor } from '../../platform/actor.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { businessCalendar, US_FEDERAL, type BusinessCalendar } from '../../domain/business-days.ts';
import type { ServiceRequestRules } from '../../domain/service-request-rules.ts';
import { dammCheckDigit } from '../../domain/referral-number.ts';
import { skillKey, skillsNeeded } from '../../domain/skills.ts';
import { Rng, weights } from './random.ts';
import type { CaseFacts } from './bulk-rows.ts';
import { restoreMissingIndexes, withLoadSettings } from './bulk.ts';
import * as store from './store.ts';

export interface ContactSeedOptions {
  contacts: number;
  randomSeed: number;
  today: string;
  /** The agency's time zone: business hours are 8:00 to 20:00 there. */
  timeZone: string;
  onProgress?: (done: number) => void;
}

export interface ContactSeedResult {
  /** Rows written, by table. */
  tables: Record<string, number>;
  seconds: number;
  indexes: string[];
  triggers: string[];
  notes: string[];
}

/** The tables the contact seed writes, in the order it writes them. */
export const CONTACT_TABLES = ['contacts', 'contact_cases', 'escalations', 'service_requests', 'call_reviews', 'case_assistance_requests', 'feedback'] as const;
type Table = (typeof CONTACT_TABLES)[number];

const COLUMNS: Record<Table, readonly string[]> = {
  contacts: ['id', 'reference', 'source', 'external_id', 'channel', 'caller_phone', 'language', 'tier', 'agent_staff_id', 'agent_id', 'escalated_to', 'callback_id', 'started_at', 'ended_at', 'disposition', 'end_notes', 'recording_uri', 'created_at'],
  contact_cases: ['contact_id', 'receipt_number', 'verified', 'linked_at'],
  escalations: ['id', 'contact_id', 'mode', 'reason', 'urgency', 'receipt_number', 'language', 'skills', 'skill_key', 'phone', 'call_window', 'window_start', 'due_at', 'status', 'attempts', 'failed_attempts', 'last_attempt_at', 'to_staff_id', 'reached_contact_id', 'notify_channel', 'notify_address', 'created_by', 'created_at', 'closed_at', 'updated_at'],
  service_requests: ['referral_number', 'receipt_number', 'type', 'status', 'active', 'open_slot', 'office', 'priority', 'created_at', 'created_date', 'due_date', 'creator', 'created_by', 'contact_id', 'lang', 'fields', 'claimed_by', 'claimed_at', 'response', 'answered_by', 'answered_at', 'overdue', 'overdue_at', 'reopen_count', 'reopened_at', 'closed_at', 'form_letter_flag', 'updated_at'],
  call_reviews: ['review_number', 'contact_id', 'status', 'concern', 'outcome', 'asked_call_time', 'asked_phone', 'asked_agent', 'requested_by', 'created_at', 'closed_at', 'closed_by'],
  case_assistance_requests: ['request_number', 'status', 'created_at', 'created_date', 'review_by', 'act_by', 'lang', 'requester', 'applicant', 'for_someone_else', 'consent', 'g28_on_file', 'cases', 'prior_actions', 'reasons', 'prior_action_verified', 'advice', 'assigned_to', 'outcome', 'updated_at', 'closed_at'],
  feedback: ['id', 'page', 'helpful', 'reasons', 'comment', 'about_contact_center', 'lang', 'source', 'created_at'],
};

/** Rows per INSERT: the widest table (29 columns) × 500 stays under SQLite's 32,766 parameters. */
const ROWS_PER_INSERT = 500;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const REPEAT_SHARE = 0.12;
const ESCALATION_SHARE = 0.08;
const SERVICE_REQUEST_SHARE = 2 / 15;
const CA_STATUSES = ['received', 'in-review', 'agency-asked', 'answered', 'closed'] as const;
const DISPOSITIONS = weights([['resolved', 55], ['referred-online', 15], ['service-request-created', 0], ['dropped', 6], ['other', 6], ['escalated', 0]] as const);
const SR_TYPES = weights([
  ['outside-normal-processing-time', 34], ['expedite', 10], ['change-of-address', 14], ['appointment-reschedule', 8], ['notice-not-received', 12],
  ['card-not-received', 10], ['typographical-error', 6], ['accommodation', 2], ['other', 4],
] as const);
const PAGES = ['/', '/case-status', '/processing-times', '/prepare', '/visa-bulletin', '/guidance/before-you-call', '/call-record', '/service-requests/status'];
const FEEDBACK_REASONS = ['confusing', 'outdated', 'broken-links', 'not-what-i-looked-for', 'other'];
const AGENTS = 400;
const PRIME_STEP = 400_000_003; // coprime with 2, 3 and 5: i ↦ (offset + i × step) mod 9·10^k visits every number once

/** Synthetic staff: agent n's staff id and public six-digit ID (tier2 agents are the last fifth). */
const agent = (n: number) => ({ staff: `seed-agent-${String(n).padStart(4, '0')}`, id: String(100_000 + n * 7) });

/** A permutation of [0, 9·10^digits): unique numbers that look random, for identifiers with a uniqueness constraint. */
function uniqueBody(offset: number, i: number, digits: number): string {
  const space = 9 * 10 ** digits;
  return String(10 ** digits + ((offset + i * PRIME_STEP) % space));
}
const withCheck = (body: string) => body + String(dammCheckDigit(body));

function uuid(rng: Rng): string {
  const h = () => (rng.int(0, 0xffff_ffff) >>> 0).toString(16).padStart(8, '0');
  const a = h(), b = h(), c = h(), d = h();
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c[0]!, 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** Each business day of the year ending today, with 8:00 local time as epoch milliseconds. */
function businessDays(today: string, zone: string, calendar: BusinessCalendar): number[] {
  const out: number[] = [];
  const end = DateTime.fromISO(today, { zone });
  for (let d = end.minus({ days: 364 }); d <= end; d = d.plus({ days: 1 })) {
    if (calendar.isBusinessDay(d.toISODate()!)) out.push(d.set({ hour: 8 }).toMillis());
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Buffers rows per table and writes them ROWS_PER_INSERT at a time. */
class Writer {
  readonly counts: Record<string, number> = {};
  readonly #buffers = new Map<Table, unknown[]>();
  constructor(private readonly trx: Parameters<typeof store.insertValues>[0]) {}
  async add(table: Table, row: unknown[]): Promise<void> {
    let b = this.#buffers.get(table);
    if (!b) this.#buffers.set(table, (b = []));
    b.push(...row);
    this.counts[table] = (this.counts[table] ?? 0) + 1;
    if (b.length >= ROWS_PER_INSERT * COLUMNS[table].length) await this.flush(table);
  }
  async flush(table: Table): Promise<void> {
    const b = this.#buffers.get(table);
    if (b && b.length) await store.insertValues(this.trx, table as keyof Database & string, COLUMNS[table], b.splice(0));
  }
  async flushAll(): Promise<void> {
    for (const t of CONTACT_TABLES) await this.flush(t);
  }
}

/** Generates and writes the contact year. */
export async function seedContactYear(handle: DatabaseHandle, audit: AuditService, rules: ServiceRequestRules, facts: CaseFacts, options: ContactSeedOptions, actor: Actor): Promise<ContactSeedResult> {
  const started = performance.now();
  const db = handle.db;
  const n = options.contacts;
  if (facts.count === 0 && n > 0) throw new Error('seed cases first: contacts are linked to seeded cases');
  // The cases must be the generator's: check a few of the receipt numbers it says exist.
  const probe = [...new Set([0, Math.floor(facts.count / 2), facts.count - 1].filter((i) => i >= 0 && i < facts.count))].map((i) => facts.receipt(i));
  const stored = await store.storedReceipts(db, probe);
  const absent = probe.filter((r) => !stored.has(r));
  if (absent.length) throw new Error(`the seeded cases are not this seed's (no case ${absent.join(', ')}): seed the contacts with the --cases, --random-seed and --today the cases were seeded with`);

  const rng = new Rng((options.randomSeed ^ 0x5eed_c0de) >>> 0);
  const calendar = businessCalendar(US_FEDERAL, options.timeZone);
  const days = businessDays(options.today, options.timeZone, calendar);
  const todayEnd = DateTime.fromISO(options.today, { zone: options.timeZone }).endOf('day').toMillis();
  // The date of today's end as the seed has always written it (the process's zone).
  const todayDate = DateTime.fromMillis(todayEnd).toISODate()!;
  const notes: string[] = [];
  const tables = [...CONTACT_TABLES];
  const indexes = await store.secondaryIndexes(db, handle.dialect, tables);
  const triggers = await store.triggers(db, handle.dialect, tables);
  const fresh = (await store.countRows(db, 'contacts')) === 0;
  const offsets = { contact: rng.int(0, 8e10), external: rng.int(0, 8e10), referral: rng.int(0, 8e13), review: rng.int(0, 8e8), ca: rng.int(0, 8e8) };
  let counts: Record<string, number> = {};

  await withLoadSettings(handle, fresh, notes, async () => {
    try {
      await db.transaction().execute(async (trx) => {
        if (handle.dialect === 'postgres') await store.pgAsyncCommit(trx);
        for (const t of triggers) await store.dropTrigger(trx, handle.dialect, t);
        for (const ix of indexes) await store.dropIndex(trx, ix.name);
        const w = new Writer(trx);
        // Recent (phone, case) pairs, so that a share of calls are the same caller again about the same case.
        const recent: Array<{ phone: string; receipt: string; caseIndex: number }> = [];
        const openSlots = new Set<string>();
        const recentContacts: Array<{ id: string; at: number; phone: string | null; agentId: string | null }> = [];
        let srCount = 0;
        let fresh = 0;
        const caseStep = [1_000_003, 998_244_353, 7_368_787].find((p) => facts.count % p !== 0)!;
        const caseOffset = rng.int(0, facts.count - 1);
        for (let j = 0; j < n; j++) {
          const day = days[Math.min(days.length - 1, Math.floor((j * days.length) / n))]!;
          const start = day + rng.int(0, 12 * HOUR - 1);
          const tier2 = rng.chance(0.2);
          const spanish = rng.chance(0.25);
          const lang = spanish ? 'es' : 'en';
          const platform = rng.chance(0.3);
          const a = agent(tier2 ? rng.int(AGENTS * 0.8, AGENTS - 1) : rng.int(0, AGENTS * 0.8 - 1));
          const id = uuid(rng);
          const reference = withCheck(uniqueBody(offsets.contact, j, 10));
          // Who is calling about what: again about a case asked about lately, or a case drawn from all seeded.
          const links: Array<{ receipt: string; caseIndex: number }> = [];
          let phone: string;
          if (recent.length > 50 && rng.chance(REPEAT_SHARE)) {
            const again = recent[rng.int(0, recent.length - 1)]!;
            phone = again.phone;
            links.push({ receipt: again.receipt, caseIndex: again.caseIndex });
          } else {
            const k = rng.float();
            const linked = k < 0.2 ? 0 : k < 0.88 ? 1 : 2;
            // Cases are drawn without replacement (a permutation of the seeded cases), so that repeat calls are the ~12 % above, not chance.
            const first = (caseOffset + fresh++ * caseStep) % facts.count;
            phone = facts.phone(first);
            if (linked > 0) links.push({ receipt: facts.receipt(first), caseIndex: first });
            if (linked > 1) {
              const second = (caseOffset + fresh++ * caseStep) % facts.count;
              if (second !== first) links.push({ receipt: facts.receipt(second), caseIndex: second });
            }
            if (links.length) {
              const entry = { phone, receipt: links[0]!.receipt, caseIndex: links[0]!.caseIndex };
              if (recent.length < 5000) recent.push(entry);
              else recent[rng.int(0, recent.length - 1)] = entry;
            }
          }
          const minutes = Math.max(1, Math.round(rng.lognormal(tier2 ? 11 : 7, 0.5)));
          const end = start + minutes * MINUTE;
          const escalate = !tier2 && rng.chance(ESCALATION_SHARE / 0.8);
          const request = links.length > 0 && rng.chance(SERVICE_REQUEST_SHARE / 0.8);
          const disposition = escalate ? 'escalated' : request ? 'service-request-created' : rng.weighted(DISPOSITIONS);
          await w.add('contacts', [
            id, reference, platform ? 'platform' : 'desk', platform ? `seed-${withCheck(uniqueBody(offsets.external, j, 10))}` : null, 'phone', phone, lang,
            tier2 ? 'tier2' : 'tier1', a.staff, a.id, null, null, iso(start), end <= todayEnd ? iso(end) : null, disposition, null, null, iso(start),
          ]);
          for (const l of links) await w.add('contact_cases', [id, l.receipt, rng.chance(0.9) ? 1 : 0, iso(start + rng.int(20, 120) * 1000)]);
          if (start > todayEnd - 90 * 24 * HOUR) {
            recentContacts.push({ id, at: start, phone, agentId: a.id });
            if (recentContacts.length > 20_000) recentContacts.splice(0, 10_000);
          }

          if (escalate) await escalation(w, rng, { contactId: id, at: end, lang, phone, receipt: links[0]?.receipt ?? null, createdBy: a.staff, todayEnd });
          if (request) {
            const l = links[0]!;
            const office = facts.office(l.caseIndex);
            const referral = withCheck(uniqueBody(offsets.referral, srCount++, 13));
            await serviceRequest(w, rng, rules, openSlots, { referral, receipt: l.receipt, office, at: end, lang, contactId: id, createdBy: a.staff, tier: tier2 ? 'tier2' : 'tier1', decided: facts.decided[l.caseIndex] === 1, todayEnd, todayDate });
          }
          if (j % 10_000 === 9_999) options.onProgress?.(j + 1);
        }
        // The Ombudsman's and the public's share, spread over the year.
        const reviews = Math.round(n / 50_000);
        for (let i = 0; i < reviews && recentContacts.length; i++) {
          const c = recentContacts[rng.int(0, recentContacts.length - 1)]!;
          const created = c.at + rng.int(1, 20) * 24 * HOUR;
          const closed = created < todayEnd - 14 * 24 * HOUR && rng.chance(0.7) ? created + rng.int(2, 14) * 24 * HOUR : null;
          await w.add('call_reviews', [withCheck(uniqueBody(offsets.review, i, 8)), c.id, closed ? 'closed' : 'open', 'The caller says the agent gave wrong information about the case.', closed ? 'Reviewed with the agent; the correct information was sent to the caller.' : null,
            iso(c.at + rng.int(-30, 30) * MINUTE), c.phone, c.agentId, 'seed-ombudsman', iso(Math.min(created, todayEnd - HOUR)), closed ? iso(Math.min(closed, todayEnd - HOUR)) : null, closed ? 'seed-ombudsman' : null]);
        }
        const perStatus = Math.round(n / 5_000);
        let ca = 0;
        for (const status of CA_STATUSES) {
          for (let i = 0; i < perStatus; i++) {
            const day = days[rng.int(0, days.length - 1)]!;
            const created = day + rng.int(0, 12 * HOUR - 1);
            const c = rng.int(0, facts.count - 1);
            const createdDate = calendar.dateAt(new Date(created));
            const body = uniqueBody(offsets.ca, ca++, 8);
            const person = JSON.stringify({ name: `Seed Person ${c}`, dateOfBirth: '1980-01-01', phone: facts.phone(c) });
            const closedAt = status === 'closed' ? iso(Math.min(created + rng.int(10, 80) * 24 * HOUR, todayEnd - HOUR)) : null;
            await w.add('case_assistance_requests', [`CA${body}${dammCheckDigit(body)}`, status, iso(created), createdDate, DateTime.fromISO(createdDate).plus({ days: 30 }).toISODate(),
              DateTime.fromISO(createdDate).plus({ days: 90 }).toISODate(), rng.chance(0.25) ? 'es' : 'en', person, person, 0, 1, 0,
              JSON.stringify([{ receiptNumber: facts.receipt(c) }]), JSON.stringify([{ date: createdDate, kind: 'called-contact-center' }]),
              'The case has been pending well past the posted processing time.', 1, JSON.stringify([]), status === 'received' ? null : 'seed-analyst',
              status === 'answered' || status === 'closed' ? 'The agency has taken action on the case.' : null, closedAt ?? iso(created), closedAt]);
          }
        }
        const answers = Math.round(n / 300);
        for (let i = 0; i < answers; i++) {
          const day = days[rng.int(0, days.length - 1)]!;
          const helpful = rng.chance(0.62);
          const about = rng.chance(0.1);
          await w.add('feedback', [uuid(rng), about ? null : rng.pick(PAGES), about ? null : helpful ? 1 : 0,
            JSON.stringify(helpful || about ? [] : [rng.pick(FEEDBACK_REASONS)]), !helpful && rng.chance(0.3) ? 'The page did not say how long my case should take.' : null,
            about ? 1 : 0, rng.chance(0.25) ? 'es' : 'en', about ? 'comment-page' : rng.chance(0.8) ? 'page-form' : 'api', iso(day + rng.int(-8 * HOUR, 16 * HOUR - 1))]);
        }
        await w.flushAll();
        counts = w.counts;
        for (const ix of indexes) await store.createIndex(trx, ix);
        for (const t of triggers) await store.createTrigger(trx, t);
        await audit.record(trx, {
          actor: actorLabel(actor), action: 'seed-bulk-load', outcome: 'allowed',
          detail: { table: 'contacts', contacts: n, randomSeed: options.randomSeed, today: options.today, ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v])), indexesRebuilt: indexes.length },
        });
      });
    } finally {
      await restoreMissingIndexes(handle, indexes);
      await store.restoreMissingTriggers(db, handle.dialect, triggers);
    }
  }, tables);
  return { tables: Object.fromEntries(CONTACT_TABLES.map((t) => [t, counts[t] ?? 0])), seconds: (performance.now() - started) / 1000, indexes: indexes.map((i) => i.name), triggers: triggers.map((t) => t.name), notes };
}

/** A live transfer (done when made) or a callback: done on time, late, missed, or still open when recent. */
async function escalation(w: Writer, rng: Rng, e: { contactId: string; at: number; lang: string; phone: string; receipt: string | null; createdBy: string; todayEnd: number }): Promise<void> {
  const skills = skillsNeeded(e.lang, rng.chance(0.03));
  const transfer = rng.chance(0.4);
  const id = uuid(rng);
  const officer = agent(rng.int(AGENTS * 0.8, AGENTS - 1)).staff;
  const urgent = rng.chance(0.15);
  const due = transfer ? e.at : e.at + (urgent ? 4 : 48) * HOUR;
  let status: string, closed: number | null, attempts: number, failed: number;
  if (transfer) [status, closed, attempts, failed] = ['done', e.at + rng.int(1, 5) * MINUTE, 0, 0];
  else if (due > e.todayEnd && rng.chance(0.7)) [status, closed, attempts, failed] = ['open', null, 0, 0];
  else {
    const k = rng.float();
    if (k < 0.78) [status, closed, attempts, failed] = ['done', e.at + rng.float() * (due - e.at), 1, 0];
    else if (k < 0.92) [status, closed, attempts, failed] = ['done', due + rng.int(1, 72) * HOUR, 2, 1];
    else [status, closed, attempts, failed] = ['missed', due + rng.int(1, 24) * HOUR, 3, 3];
    if (closed !== null && closed > e.todayEnd) [status, closed, attempts, failed] = ['open', null, 0, 0];
  }
  const closedAt = closed === null ? null : iso(Math.round(closed));
  await w.add('escalations', [id, e.contactId, transfer ? 'transfer' : 'callback', transfer ? 'needs-tier2' : 'callback-requested', urgent ? 'urgent' : 'regular', e.receipt, e.lang,
    JSON.stringify(skills), skillKey(skills), transfer ? null : e.phone, null, null, iso(due), status, attempts, failed, closedAt, status === 'missed' ? null : closedAt ? officer : null, null,
    transfer ? null : 'sms', transfer ? null : e.phone, e.createdBy, iso(e.at), closedAt, closedAt ?? iso(e.at)]);
}

/** 09:00 on a date in a time zone, in epoch milliseconds (remembered: a year of requests names a few hundred dates). */
const nineOClock = new Map<string, number>();
function nineAm(date: string, zone: string): number {
  const key = `${zone} ${date}`;
  let ms = nineOClock.get(key);
  if (ms === undefined) {
    ms = DateTime.fromISO(date, { zone }).set({ hour: 9 }).toMillis();
    if (nineOClock.size >= 100_000) nineOClock.clear();
    nineOClock.set(key, ms);
  }
  return ms;
}

/** A service request on the case, at the office that holds it, due on that office's calendar. */
async function serviceRequest(w: Writer, rng: Rng, rules: ServiceRequestRules, openSlots: Set<string>,
  r: { referral: string; receipt: string; office: string; at: number; lang: string; contactId: string; createdBy: string; tier: string; decided: boolean; todayEnd: number; todayDate: string }): Promise<void> {
  let type = rng.weighted(SR_TYPES);
  if (r.decided && type === 'outside-normal-processing-time') type = 'card-not-received';
  const kind = rules.kind(type) ?? rules.kind('other')!;
  const office = rules.officeFor(kind, r.office);
  const calendar = rules.calendarFor(office);
  const createdDate = calendar.dateAt(new Date(r.at));
  const dueDate = calendar.addBusinessDays(createdDate, kind.due.businessDays);
  const answerDays = Math.max(1, Math.round(rng.lognormal(kind.due.businessDays * 0.6, 0.6)));
  const answeredDate = calendar.addBusinessDays(createdDate, Math.min(answerDays, 200));
  const answeredAt = nineAm(answeredDate, calendar.timeZone) + rng.int(0, 8 * HOUR);
  const slot = `${r.receipt} ${kind.type}`;
  let status: string;
  if (answeredAt > r.todayEnd) status = rng.chance(0.3) ? 'claimed' : 'open';
  else {
    const k = rng.float();
    status = k < 0.04 ? 'reopened' : answeredAt + 30 * 24 * HOUR < r.todayEnd ? 'closed' : 'answered';
  }
  if ((status === 'open' || status === 'claimed' || status === 'reopened') && openSlots.has(slot)) status = answeredAt > r.todayEnd ? 'closed' : 'closed';
  const open = status === 'open' || status === 'claimed' || status === 'reopened';
  if (open) openSlots.add(slot);
  const answered = status !== 'open' && status !== 'claimed';
  const answeredIso = answered ? iso(Math.min(answeredAt, r.todayEnd - HOUR)) : null;
  const reopenedAt = status === 'reopened' || (status === 'closed' && rng.chance(0.05)) ? iso(Math.min(answeredAt + rng.int(1, 20) * 24 * HOUR, r.todayEnd - HOUR)) : null;
  const closedAt = status === 'closed' ? iso(Math.min(answeredAt + 30 * 24 * HOUR, r.todayEnd - HOUR)) : null;
  const overdue = answered ? answeredDate > dueDate : r.todayDate > dueDate;
  const officer = `staff:seed-officer-${office}-${rng.int(1, 12)}`;
  await w.add('service_requests', [r.referral, r.receipt, kind.type, status, open ? 1 : 0, open ? slot : null, office, kind.priority, iso(r.at), createdDate, dueDate,
    r.tier, `staff:${r.createdBy}`, r.contactId, r.lang, JSON.stringify({ details: 'Requested on a call to the Contact Center.' }), status === 'claimed' ? officer : null, status === 'claimed' ? iso(r.at + HOUR) : null,
    answered ? 'We reviewed your case and took the action you asked for; you will receive a notice by mail within 30 days.' : null, answered ? officer : null, answeredIso,
    overdue ? 1 : 0, overdue ? `${dueDate}T23:00:00.000Z` : null, reopenedAt ? 1 : 0, reopenedAt, closedAt, 0, closedAt ?? reopenedAt ?? answeredIso ?? iso(r.at)]);
}
