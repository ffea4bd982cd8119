/**
 * One case-feed record (CONTRACT.md section 5): checked, normalised, and turned into the row the store keeps.
 * Pure: no I/O. The same code validates the HTTP feed, the CLI import and the synthetic seed.
 */
import { createHash } from 'node:crypto';
import type { Agency } from '../platform/reference.ts';
import type { CaseTable } from '../platform/db/schema.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { parseANumber } from '../domain/a-number.ts';
import { instantWithOffset, isIsoDate } from '../domain/calendar.ts';
import { daysBetween } from '../domain/processing-time.ts';
import { statusVocabulary, type StatusVocabulary } from '../case-status/presenter.ts';
import { NO_DOCUMENT, statusColumnsOf } from '../case-status/document.ts';

export interface HistoryEntry {
  date: string;
  at?: string;
  status: string;
}

export type Rejection = { code: 'invalid-receipt-number' | 'invalid-request'; detail: string; receiptNumber?: string };

export type Checked = { ok: true; row: CaseTable } | { ok: false; rejection: Rejection };

const PROTECTED = ['VAWA', 'T', 'U'];
const MAX_TEXT = 500;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function str(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t;
}

/** Lookup tables built once per agency: codes to check records against. */
export interface FeedVocabulary {
  prefixes: readonly string[];
  offices: ReadonlySet<string>;
  forms: ReadonlySet<string>;
  statuses: ReadonlyMap<string, { decision: string | null }>;
  timeZone: string;
  /** When given, each row carries its public status document (case-status/document.ts), rendered with this. */
  presentation?: StatusVocabulary;
}

export function feedVocabulary(agency: Agency): FeedVocabulary {
  return {
    prefixes: agency.receiptPrefixes,
    offices: new Set(agency.offices.map((o) => o.code)),
    forms: new Set(agency.forms.map((f) => f.code)),
    statuses: new Map(agency.statuses.map((s) => [s.code, { decision: s.decision }])),
    timeZone: agency.timeZone,
    presentation: statusVocabulary(agency),
  };
}

function bad(detail: string, receiptNumber?: string): Checked {
  return { ok: false, rejection: { code: 'invalid-request', detail, ...(receiptNumber ? { receiptNumber } : {}) } };
}

function checkHistory(raw: unknown, v: FeedVocabulary): HistoryEntry[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'history must list at least one status entry';
  if (raw.length > 200) return 'history has more than 200 entries';
  const out: HistoryEntry[] = [];
  for (let i = 0; i < raw.length; i++) {
    const e: unknown = raw[i];
    if (!isObj(e)) return `history[${i}] must be an object`;
    const status = str(e.status);
    if (!status || !v.statuses.has(status)) return `history[${i}].status is not a known status code`;
    if (e.at !== undefined && e.at !== null) {
      const instant = instantWithOffset(String(e.at), v.timeZone);
      if (!instant) return `history[${i}].at must be an ISO 8601 instant with an offset`;
      out.push({ date: instant.date, at: instant.at, status });
    } else if (typeof e.date === 'string' && isIsoDate(e.date)) {
      out.push({ date: e.date, status });
    } else {
      return `history[${i}] needs a date (YYYY-MM-DD) or an instant (at)`;
    }
  }
  // Oldest first; a stable sort keeps the feed's order for entries on the same day (most feeds send them in order already).
  let sorted = true;
  for (let i = 1; i < out.length && sorted; i++) sorted = (out[i - 1]!.at ?? out[i - 1]!.date).localeCompare(out[i]!.at ?? out[i]!.date) <= 0;
  if (sorted) return out;
  return out.map((e, i) => ({ e, i })).sort((a, b) => (a.e.at ?? a.e.date).localeCompare(b.e.at ?? b.e.date) || a.i - b.i).map((x) => x.e);
}

function checkList(raw: unknown, name: string, fields: string[]): Obj[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 200) return `${name} must be a list (at most 200)`;
  const out: Obj[] = [];
  for (let i = 0; i < raw.length; i++) {
    const e: unknown = raw[i];
    if (!isObj(e) || !str(e.id)) return `${name}[${i}] needs an id`;
    if (typeof e.date !== 'string' || !isIsoDate(e.date)) return `${name}[${i}].date must be YYYY-MM-DD`;
    // A plain loop rather than fromEntries/filter/map: the seed and the feed build millions of these.
    const o: Obj = {};
    for (const f of fields) {
      const x = e[f];
      if (x !== undefined) o[f] = typeof x === 'string' ? x.slice(0, 10_000) : x;
    }
    out.push(o);
  }
  return out;
}

/** Checks one record and builds its row; `now` stamps updated_at. */
export function checkFeedRecord(raw: unknown, v: FeedVocabulary, now: string): Checked {
  if (!isObj(raw)) return bad('each record must be a JSON object');
  const receipt = parseReceiptNumber(raw.receiptNumber, v.prefixes);
  if (!receipt) return { ok: false, rejection: { code: 'invalid-receipt-number', detail: 'receiptNumber must be a known 3-letter prefix followed by 10 digits' } };
  const rn = receipt.value;
  const formType = str(raw.formType)?.toUpperCase();
  if (!formType || !v.forms.has(formType)) return bad('formType is missing or not a known form', rn);
  const office = str(raw.office)?.toUpperCase();
  if (!office || !v.offices.has(office)) return bad('office is missing or not a known office code', rn);
  const fieldOffice = str(raw.fieldOffice)?.toUpperCase() ?? null;
  if (fieldOffice && !v.offices.has(fieldOffice)) return bad('fieldOffice is not a known office code', rn);
  if (typeof raw.receivedDate !== 'string' || !isIsoDate(raw.receivedDate)) return bad('receivedDate must be a date (YYYY-MM-DD)', rn);
  const decidedRaw = raw.decidedDate ?? null;
  if (decidedRaw !== null && (typeof decidedRaw !== 'string' || !isIsoDate(decidedRaw))) return bad('decidedDate must be a date (YYYY-MM-DD) or null', rn);
  if (decidedRaw !== null && decidedRaw < raw.receivedDate) return bad('decidedDate is before receivedDate', rn);

  const a = raw.applicant;
  if (!isObj(a)) return bad('applicant is required', rn);
  const name = str(a.name);
  if (!name) return bad('applicant.name is required', rn);
  if (typeof a.dateOfBirth !== 'string' || !isIsoDate(a.dateOfBirth)) return bad('applicant.dateOfBirth must be a date (YYYY-MM-DD)', rn);
  let aNumber: string | null = null;
  if (a.aNumber !== undefined && a.aNumber !== null) {
    aNumber = parseANumber(a.aNumber);
    if (!aNumber) return bad('applicant.aNumber must be A followed by 7 to 9 digits', rn);
  }
  const protectedCategory = a.protectedCategory ?? null;
  if (protectedCategory !== null && !PROTECTED.includes(protectedCategory as string)) return bad('applicant.protectedCategory must be null, "VAWA", "T" or "U"', rn);
  const address = isObj(a.address) ? { street: str(a.address.street), city: str(a.address.city), state: str(a.address.state), zip: str(a.address.zip) } : null;

  const history = checkHistory(raw.history, v);
  if (typeof history === 'string') return bad(history, rn);
  const notices = checkList(raw.notices, 'notices', ['id', 'type', 'date']);
  if (typeof notices === 'string') return bad(notices, rn);
  const rfes = checkList(raw.rfes, 'rfes', ['id', 'date', 'text']);
  if (typeof rfes === 'string') return bad(rfes, rn);

  const priorityDate = raw.priorityDate ?? null;
  if (priorityDate !== null && (typeof priorityDate !== 'string' || !isIsoDate(priorityDate))) return bad('priorityDate must be a date (YYYY-MM-DD) or null', rn);

  // The decision date: as sent, else the date of the last deciding status in the history, unless the case
  // was reopened after it (a reopened case is pending again).
  let lastDecision: string | null = null;
  for (const h of history) {
    if (h.status === 'case-was-reopened') lastDecision = null;
    else if (v.statuses.get(h.status)?.decision) lastDecision = h.date;
  }
  const decidedDate = (decidedRaw as string | null) ?? lastDecision;
  const current = history[history.length - 1]!;
  const rep = isObj(raw.representative) ? { name: str(raw.representative.name), g28OnFile: raw.representative.g28OnFile === true } : null;

  const applicant = {
    name, dateOfBirth: a.dateOfBirth, aNumber, countryOfBirth: str(a.countryOfBirth), phone: str(a.phone), email: str(a.email),
    address, military: a.military === true, protectedCategory,
  };
  // One object with every column, in the order rows have always had (no spread copies: millions of records).
  const row: CaseTable = {
    receipt_number: rn,
    form_type: formType,
    form_category: str(raw.formCategory)?.toLowerCase() ?? '',
    office,
    field_office: fieldOffice,
    received_date: raw.receivedDate,
    decided_date: decidedDate,
    decision_days: decidedDate ? daysBetween(raw.receivedDate, decidedDate) : null,
    status: current.status,
    status_date: current.date,
    status_at: current.at ?? null,
    priority_date: priorityDate as string | null,
    preference_category: str(raw.preferenceCategory)?.toUpperCase() ?? null,
    chargeability: str(raw.chargeability)?.toUpperCase() ?? null,
    military: a.military === true ? 1 : 0,
    protected_category: protectedCategory as string | null,
    premium_eligible: raw.premiumProcessingEligible === true ? 1 : 0,
    a_number: aNumber,
    applicant: JSON.stringify(applicant),
    representative: rep ? JSON.stringify(rep) : null,
    history: JSON.stringify(history),
    notices: JSON.stringify(notices),
    rfes: JSON.stringify(rfes),
    local_history: '[]',
    feed_hash: '',
    updated_at: now,
    status_vocabulary: null,
    status_api: null,
    status_document: null,
  };
  row.feed_hash = feedHash(row);
  // The public status document (not part of the hash: it follows from the record and the reference data).
  const status = v.presentation ? statusColumnsOf(row, history, v.presentation) : NO_DOCUMENT;
  row.status_vocabulary = status.status_vocabulary;
  row.status_api = status.status_api;
  row.status_document = status.status_document;
  return { ok: true, row };
}

/**
 * The columns the feed hash covers, in this order: what the record says (not local_history, the stamp or the status
 * document). Changing the list or its order changes every stored hash, and a re-sent feed would then rewrite every case.
 */
export const HASHED_COLUMNS = [
  'receipt_number', 'form_type', 'form_category', 'office', 'field_office', 'received_date', 'decided_date', 'decision_days', 'status',
  'status_date', 'status_at', 'priority_date', 'preference_category', 'chargeability', 'military', 'protected_category', 'premium_eligible',
  'a_number', 'applicant', 'representative', 'history', 'notices', 'rfes',
] as const satisfies ReadonlyArray<keyof CaseTable>;

/**
 * SHA-256 (hex) of the hashed columns' values, each followed by U+001F, NULL written as U+0000: cheaper than
 * JSON.stringify of a row whose columns are already JSON text (every quote would be escaped again), and just as
 * exact for telling a change. One update of the joined text (the same digest as an update per value).
 */
export function feedHash(row: CaseTable): string {
  let joined = '';
  for (const c of HASHED_COLUMNS) {
    const value = row[c];
    joined += (value === null ? '\u0000' : String(value)) + '\u001f';
  }
  return createHash('sha256').update(joined).digest('hex');
}
