/**
 * Retention rules as data: the table `retention_rules`, one row per kind of record, which admins change at
 * /admin/retention. Its defaults are reference/<agency>/retention.json, read at start-up and checked (a bad file
 * stops the start naming the entry); start-up adds a kind's row from the file when the table has none. The purge
 * job (service.ts) reads the rows each time it runs. Our own numbers (batch size, how often) are named constants below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DRAFT_KEEP_DAYS } from '../ombudsman/policy.ts';
import { REVIEW_WINDOW_DAYS } from '../call-reviews/policy.ts';
import type { FieldError } from '../platform/errors/catalogue.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The kinds of record a rule is written for, in the order the purge takes them. */
export const RETENTION_KINDS = ['recordings', 'contacts', 'notes', 'feedback', 'drafts', 'documents'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** What each kind's period counts from (the only event each kind may name). */
export const ANCHORS = {
  contacts: 'call-ended',
  recordings: 'call-ended',
  feedback: 'received',
  drafts: 'last-change',
  documents: 'request-closed',
} as const satisfies Partial<Record<RetentionKind, string>>;
export type DatedKind = keyof typeof ANCHORS;

/** Kinds with no period of their own: they go with another kind's records. */
export const FOLLOWS = { notes: 'contacts' } as const satisfies Partial<Record<RetentionKind, RetentionKind>>;

export interface Period {
  unit: 'days' | 'months' | 'years';
  n: number;
}

export interface DatedRule { kind: DatedKind; keep: Period; after: string; basis: string; note: string | null }
export interface FollowingRule { kind: keyof typeof FOLLOWS; with: RetentionKind; basis: string; note: string | null }
export type RetentionRule = DatedRule | FollowingRule;
export type RetentionRules = { readonly [K in DatedKind]: DatedRule } & { readonly [K in keyof typeof FOLLOWS]: FollowingRule };

/** The units a period is written in, and the most of each. */
export const UNIT_MAX = { days: 36_500, months: 1_200, years: 100 } as const;
export const UNITS = Object.keys(UNIT_MAX) as Array<Period['unit']>;
/** Fewest days a period can be (a month is at least 28 days, a year 365). */
const minDays = (p: Period) => p.n * (p.unit === 'days' ? 1 : p.unit === 'months' ? 28 : 365);

function checkPeriod(raw: unknown, name: string): Period {
  const o = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  const units = o ? Object.keys(o) : [];
  if (!o || units.length !== 1 || !(units[0]! in UNIT_MAX)) throw new Error(`${name} must be one of {"days": N}, {"months": N} or {"years": N}`);
  const unit = units[0] as Period['unit'];
  const n = o[unit];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > UNIT_MAX[unit]) throw new Error(`${name}.${unit} must be a whole number from 1 to ${UNIT_MAX[unit]}`);
  return { unit, n };
}

/** Checks a parsed rules file; Error naming the bad entry ("kinds.contacts.keep: ..."). */
export function checkRetentionRules(raw: unknown): RetentionRules {
  const kinds = (raw as { kinds?: unknown } | null)?.kinds;
  if (!kinds || typeof kinds !== 'object' || Array.isArray(kinds)) throw new Error('"kinds" must be an object with one entry per kind of record');
  const entries = kinds as Record<string, unknown>;
  for (const k of Object.keys(entries)) {
    if (!(RETENTION_KINDS as readonly string[]).includes(k)) throw new Error(`kinds.${k}: unknown kind (known: ${RETENTION_KINDS.join(', ')})`);
  }
  const out: Record<string, RetentionRule> = {};
  for (const kind of RETENTION_KINDS) {
    const name = `kinds.${kind}`;
    const e = entries[kind] as Record<string, unknown> | undefined;
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new Error(`${name}: missing (every kind needs a rule)`);
    const allowed = new Set(kind in FOLLOWS ? ['with', 'basis', 'note'] : ['keep', 'after', 'basis', 'note']);
    for (const k of Object.keys(e)) if (!allowed.has(k)) throw new Error(`${name}.${k}: not a field of this kind's rule (fields: ${[...allowed].join(', ')})`);
    if (typeof e.basis !== 'string' || e.basis.trim().length < 20 || !/[.!?)]$/.test(e.basis.trim())) {
      throw new Error(`${name}.basis must be a sentence (at least 20 characters, ending with a full stop) saying why the record is kept that long`);
    }
    if (e.note !== undefined && typeof e.note !== 'string') throw new Error(`${name}.note must be text`);
    const note = typeof e.note === 'string' ? e.note : null;
    if (kind in FOLLOWS) {
      const target = FOLLOWS[kind as keyof typeof FOLLOWS];
      if (e.with !== target) throw new Error(`${name}.with must be "${target}": ${kind} go with their ${target}`);
      out[kind] = { kind: kind as keyof typeof FOLLOWS, with: target, basis: e.basis.trim(), note };
      continue;
    }
    const dated = kind as DatedKind;
    if (e.after !== ANCHORS[dated]) throw new Error(`${name}.after must be "${ANCHORS[dated]}" (what a ${kind} period counts from)`);
    const keep = checkPeriod(e.keep, `${name}.keep`);
    // Checks against rules held elsewhere, so the purge and the code that reads these records agree.
    if (dated === 'drafts' && !(keep.unit === 'days' && keep.n === DRAFT_KEEP_DAYS)) {
      throw new Error(`${name}.keep must be {"days": ${DRAFT_KEEP_DAYS}}: DRAFT_KEEP_DAYS in src/ombudsman/policy.ts, after which the form no longer reads a draft`);
    }
    if ((dated === 'contacts' || dated === 'recordings') && minDays(keep) < REVIEW_WINDOW_DAYS) {
      throw new Error(`${name}.keep must be at least ${REVIEW_WINDOW_DAYS} days: a call may be asked for review that long after it was made`);
    }
    out[kind] = { kind: dated, keep, after: ANCHORS[dated], basis: e.basis.trim(), note };
  }
  return out as unknown as RetentionRules;
}

/** Reads and checks a rules file; Error naming the file and the bad entry. */
export function readRetentionRules(file: string): RetentionRules {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  try {
    return checkRetentionRules(raw);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** The retention rules of an agency (reference/<name>/retention.json). */
export function loadRetentionRules(name: string, root: string = ROOT): RetentionRules {
  return readRetentionRules(path.join(root, 'reference', name, 'retention.json'));
}

/** The instant before which a record's event puts it past its period: `now` minus the period, in UTC calendar terms. */
export function cutoff(keep: Period, now: Date): string {
  const d = new Date(now.getTime());
  if (keep.unit === 'days') d.setTime(d.getTime() - keep.n * 86_400_000);
  else if (keep.unit === 'months') d.setUTCMonth(d.getUTCMonth() - keep.n);
  else d.setUTCFullYear(d.getUTCFullYear() - keep.n);
  return d.toISOString();
}

const AFTER_WORDS: Record<string, string> = {
  'call-ended': 'after the call ended',
  received: 'after it was received',
  'last-change': 'after the last change',
  'request-closed': 'after the request closed',
};

/** A rule in words, for the command line: "3 years after the call ended", "with their contact". */
export function describeRule(rule: RetentionRule): string {
  if ('with' in rule) return `with their ${rule.with.replace(/s$/, '')}`;
  const unit = rule.keep.n === 1 ? rule.keep.unit.slice(0, -1) : rule.keep.unit;
  return `${rule.keep.n} ${unit} ${AFTER_WORDS[rule.after] ?? `after ${rule.after}`}`;
}

/** Records removed per transaction, each batch with its one audit entry. */
export const PURGE_BATCH = 1000;

/** Tries of one batch that PostgreSQL rolled back to break a deadlock (it removed nothing), before the purge gives up. */
export const BATCH_ATTEMPTS = 5;

/** How often each instance runs the purge (the database decides which instance removes each record). */
export const PURGE_INTERVAL_MS = 24 * 60 * 60_000;

/** Who the audit trail names as removing records. */
export const RETENTION_ACTOR = 'system:retention';

/** A batch's audit entry lists its ids up to this many; beyond, their count, first and last and a digest of the list. */
export const AUDIT_IDS_MAX = 50;

// ── rules an admin changes (/admin/retention) ─────────────────────────────────────────────────────────────────

/** A rule admins may change: a dated kind whose period is not fixed by code (drafts: DRAFT_KEEP_DAYS). */
export const CHANGEABLE_KINDS: readonly DatedKind[] = ['contacts', 'recordings', 'feedback', 'documents'];
/** The longest basis an admin may write. */
export const BASIS_MAX = 1000;

/**
 * The field errors of a changed rule (`n`, `unit`, `basis`), each with a code the page words: the same limits as the
 * rules file (a whole number within the unit's range; calls and recordings at least the review window; a basis that
 * is a sentence).
 */
export function ruleErrors(kind: DatedKind, input: { unit: string; n: string; basis: string }): { ok: { keep: Period; basis: string } } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const unit = (UNITS as string[]).includes(input.unit) ? (input.unit as Period['unit']) : null;
  if (!unit) errors.push({ field: 'unit', code: 'invalid', detail: 'Choose days, months or years.' });
  const n = /^\s*[0-9]{1,6}\s*$/.test(input.n) ? Number(input.n) : Number.NaN;
  if (input.n.trim() === '') errors.push({ field: 'n', code: 'required', detail: 'Give a number.' });
  else if (!Number.isInteger(n) || n < 1) errors.push({ field: 'n', code: 'whole-number', detail: 'A whole number from 1.' });
  else if (unit && n > UNIT_MAX[unit]) errors.push({ field: 'n', code: 'too-long', detail: `At most ${UNIT_MAX[unit]} ${unit}.` });
  else if (unit && (kind === 'contacts' || kind === 'recordings') && minDays({ unit, n }) < REVIEW_WINDOW_DAYS) {
    errors.push({ field: 'n', code: 'review-window', detail: `At least ${REVIEW_WINDOW_DAYS} days: a call may be asked for review that long after it was made.` });
  }
  const basis = input.basis.replace(/\s+/g, ' ').trim();
  if (basis.length < 20 || basis.length > BASIS_MAX || !/[.!?)]$/.test(basis)) errors.push({ field: 'basis', code: 'sentence', detail: `A sentence (20 to ${BASIS_MAX} characters, ending with a full stop) saying why.` });
  if (errors.length || !unit) return { errors };
  return { ok: { keep: { unit, n }, basis } };
}

/** A stored rule row, as the table holds it. */
export interface RuleRow { kind: string; keep_unit: string | null; keep_n: number | null; basis: string; note: string | null }

/** The rule of each kind from the table's rows, a kind without a row taking its default; checked like the file (Error naming a bad row). */
export function rulesFromRows(rows: readonly RuleRow[], defaults: RetentionRules): RetentionRules {
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  const kinds: Record<string, unknown> = {};
  for (const kind of RETENTION_KINDS) {
    const row = byKind.get(kind);
    const d = defaults[kind];
    if (!row) {
      kinds[kind] = 'with' in d ? { with: d.with, basis: d.basis, ...(d.note ? { note: d.note } : {}) } : { keep: { [d.keep.unit]: d.keep.n }, after: d.after, basis: d.basis, ...(d.note ? { note: d.note } : {}) };
      continue;
    }
    const note = row.note ? { note: row.note } : {};
    kinds[kind] = kind in FOLLOWS
      ? { with: FOLLOWS[kind as keyof typeof FOLLOWS], basis: row.basis, ...note }
      : { keep: { [row.keep_unit ?? '']: row.keep_n === null ? null : Number(row.keep_n) }, after: ANCHORS[kind as DatedKind], basis: row.basis, ...note };
  }
  try {
    return checkRetentionRules({ kinds });
  } catch (e) {
    throw new Error(`retention_rules: ${(e as Error).message}`);
  }
}

/** A kind's rule as a row to store. */
export function ruleRow(rule: RetentionRule): RuleRow {
  return 'with' in rule
    ? { kind: rule.kind, keep_unit: null, keep_n: null, basis: rule.basis, note: rule.note }
    : { kind: rule.kind, keep_unit: rule.keep.unit, keep_n: rule.keep.n, basis: rule.basis, note: rule.note };
}
