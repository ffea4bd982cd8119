/**
 * Service request kinds and rules as data (CONTRACT.md section 10): the shape of an agency's file
 * (reference/<agency>/service-requests.json) and `checkPolicy`, which reads it and names the first bad entry.
 * The engine that applies it is service-request-rules.ts. Pure: no I/O, no clock.
 */
import { BusinessCalendar, businessCalendar, type CalendarSpec } from './business-days.ts';
import { addDays } from './processing-time.ts';

/** The kinds of CONTRACT.md section 10, in its order. */
export const SERVICE_REQUEST_TYPES = [
  'outside-normal-processing-time', 'expedite', 'change-of-address', 'appointment-reschedule', 'notice-not-received',
  'card-not-received', 'typographical-error', 'accommodation', 'other',
] as const;
export type ServiceRequestType = (typeof SERVICE_REQUEST_TYPES)[number];

/** Who files: a Tier 1 or Tier 2 agent on a call, or the person online. */
export const CREATORS = ['tier1', 'tier2', 'public'] as const;
export type Creator = (typeof CREATORS)[number];

export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Localised {
  en: string;
  es: string;
}

/** A field of the request body the kind reads: required or not, and what it may hold. */
export interface FieldRule {
  required?: boolean;
  /** The allowed values (a string field). */
  oneOf?: readonly string[];
  /** The longest string allowed. */
  maxLength?: number;
}

interface GateBase {
  /** The rule's name, unique in the file: refusals carry it. */
  id: string;
  /** Only for these creators (all when absent). */
  creators?: readonly Creator[];
  /** What the person can do instead; may name {date} and {phone}. */
  advice: Localised;
}

/** Refused (unprocessable) when the case has been decided. */
export interface CasePendingGate extends GateBase { gate: 'case-pending' }
/** Refused (too-early, with the earliest inquiry date) unless the case is outside normal processing time. */
export interface OutsideNormalTimeGate extends GateBase { gate: 'outside-normal-processing-time' }
/** Refused (unprocessable) for a case in one of the policy's protected categories. */
export interface ProtectedCategoryGate extends GateBase { gate: 'protected-category' }
/**
 * Refused (too-early) until `days` calendar days after the first date of `since` the case has: `last-notice`
 * (its newest notice), `received` (its receipt date) or `status:<code>` (the last time it had that status).
 * With none of them, refused (unprocessable) with `missingAdvice`.
 */
export interface WaitingPeriodGate extends GateBase {
  gate: 'waiting-period';
  since: readonly string[];
  days: number;
  missingAdvice?: Localised;
}
export type Gate = CasePendingGate | OutsideNormalTimeGate | ProtectedCategoryGate | WaitingPeriodGate;

/** Where a kind's requests go: the office that holds the case, or a named office. */
export type RouteTo = 'holding-office' | { office: string };

export interface KindRule {
  type: ServiceRequestType;
  title: Localised;
  creators: readonly Creator[];
  /** Fields beyond the policy's commonFields (a field named in both takes the kind's rule). */
  fields: Readonly<Record<string, FieldRule>>;
  gates: readonly Gate[];
  due: { businessDays: number };
  priority: Priority;
  /** The priority when the request says `urgency: "urgent"` (else `priority`). */
  urgentPriority?: Priority;
  routeTo: RouteTo;
}

export interface ServiceRequestPolicy {
  /** The holiday calendar of every office (each in its own time zone) unless officeCalendars names another. */
  calendar: CalendarSpec;
  officeCalendars: Readonly<Record<string, CalendarSpec>>;
  protectedCategories: readonly string[];
  commonFields: Readonly<Record<string, FieldRule>>;
  /** Checked before each kind's own gates. */
  commonGates: readonly Gate[];
  kinds: readonly KindRule[];
}

/** A bad policy file: `path` names the entry ("kinds[2] (change-of-address).gates[0].advice.es"). */
export class PolicyError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'PolicyError';
  }
}

const GATES = ['case-pending', 'outside-normal-processing-time', 'protected-category', 'waiting-period'] as const;
const FIELD_KEYS = new Set(['required', 'oneOf', 'maxLength']);
/** The most days a waiting period may have (two years). */
export const MAX_WAITING_DAYS = 731;
/** The most business days a due date may be away (a year). */
export const MAX_DUE_BUSINESS_DAYS = 260;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: Json): v is string => typeof v === 'string' && v.trim().length > 0;

function object(v: Json, path: string): Record<string, Json> {
  if (!isObject(v)) throw new PolicyError(path, 'must be an object');
  return v;
}

function text(v: Json, path: string): string {
  if (!isText(v)) throw new PolicyError(path, 'must be a non-empty string');
  return v;
}

function onlyKeys(o: Record<string, Json>, allowed: readonly string[], path: string): void {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new PolicyError(`${path}.${extra}`, 'is not a known key');
}

function whole(v: Json, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new PolicyError(path, `must be a whole number from ${min} to ${max}`);
  return v;
}

function strings(v: Json, path: string, allowed?: readonly string[]): string[] {
  if (!Array.isArray(v)) throw new PolicyError(path, 'must be a list');
  v.forEach((s, i) => {
    text(s, `${path}[${i}]`);
    if (allowed && !allowed.includes(s as string)) throw new PolicyError(`${path}[${i}]`, `must be one of ${allowed.join(', ')}`);
    if (v.indexOf(s) !== i) throw new PolicyError(`${path}[${i}]`, 'is listed twice');
  });
  return v as string[];
}

function localised(v: Json, path: string, slots: readonly string[]): Localised {
  const o = object(v, path);
  onlyKeys(o, ['en', 'es'], path);
  const out = { en: text(o.en, `${path}.en`), es: text(o.es, `${path}.es`) };
  for (const lang of ['en', 'es'] as const) {
    for (const [, slot] of out[lang].matchAll(/\{([^}]*)\}/g)) {
      if (!slots.includes(slot!)) throw new PolicyError(`${path}.${lang}`, `names {${slot}}; allowed here: ${slots.length ? slots.map((s) => `{${s}}`).join(' ') : 'none'}`);
    }
  }
  return out;
}

function calendarSpec(v: Json, path: string): CalendarSpec {
  const o = object(v, path);
  onlyKeys(o, ['country', 'region', 'holidayTypes', 'closures'], path);
  const spec: CalendarSpec = {
    country: text(o.country, `${path}.country`),
    region: o.region === undefined || o.region === null ? null : text(o.region, `${path}.region`),
    holidayTypes: strings(o.holidayTypes, `${path}.holidayTypes`),
    closures: o.closures === undefined ? [] : strings(o.closures, `${path}.closures`),
  };
  try {
    new BusinessCalendar(spec, 'UTC');
  } catch (e) {
    throw new PolicyError(path, (e as Error).message);
  }
  return spec;
}

function fieldRules(v: Json, path: string): Record<string, FieldRule> {
  const o = object(v, path);
  const out: Record<string, FieldRule> = {};
  for (const [name, raw] of Object.entries(o)) {
    const p = `${path}.${name}`;
    const f = object(raw, p);
    onlyKeys(f, [...FIELD_KEYS], p);
    const rule: FieldRule = {};
    if (f.required !== undefined) {
      if (typeof f.required !== 'boolean') throw new PolicyError(`${p}.required`, 'must be true or false');
      rule.required = f.required;
    }
    if (f.oneOf !== undefined) {
      rule.oneOf = strings(f.oneOf, `${p}.oneOf`);
      if (rule.oneOf.length === 0) throw new PolicyError(`${p}.oneOf`, 'must name at least one value');
    }
    if (f.maxLength !== undefined) rule.maxLength = whole(f.maxLength, `${p}.maxLength`, 1, 1_000_000);
    out[name] = rule;
  }
  return out;
}

function gate(v: Json, path: string, ids: Set<string>): Gate {
  const o = object(v, path);
  const kind = o.gate;
  if (!GATES.includes(kind as (typeof GATES)[number])) throw new PolicyError(`${path}.gate`, `must be one of ${GATES.join(', ')}`);
  const id = text(o.id, `${path}.id`);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new PolicyError(`${path}.id`, 'must be kebab-case');
  if (ids.has(id)) throw new PolicyError(`${path}.id`, `"${id}" is used by another rule`);
  ids.add(id);
  const waiting = kind === 'waiting-period';
  onlyKeys(o, waiting ? ['id', 'gate', 'creators', 'advice', 'since', 'days', 'missingAdvice'] : ['id', 'gate', 'creators', 'advice'], path);
  const slots = kind === 'outside-normal-processing-time' || waiting ? ['date', 'phone'] : ['phone'];
  const base = {
    id,
    advice: localised(o.advice, `${path}.advice`, slots),
    ...(o.creators === undefined ? {} : { creators: strings(o.creators, `${path}.creators`, CREATORS) as Creator[] }),
  };
  if (!waiting) return { ...base, gate: kind } as Gate;
  const since = strings(o.since, `${path}.since`);
  if (since.length === 0) throw new PolicyError(`${path}.since`, 'must name at least one date');
  since.forEach((s, i) => {
    if (s !== 'last-notice' && s !== 'received' && !/^status:[a-z0-9]+(-[a-z0-9]+)*$/.test(s)) {
      throw new PolicyError(`${path}.since[${i}]`, 'must be last-notice, received or status:<status-code>');
    }
  });
  const g: WaitingPeriodGate = { ...base, gate: 'waiting-period', since, days: whole(o.days, `${path}.days`, 1, MAX_WAITING_DAYS) };
  if (o.missingAdvice !== undefined) g.missingAdvice = localised(o.missingAdvice, `${path}.missingAdvice`, ['phone']);
  else if (!since.includes('received')) throw new PolicyError(`${path}.missingAdvice`, 'is required unless since includes received');
  return g;
}

function gates(v: Json, path: string, ids: Set<string>): Gate[] {
  if (!Array.isArray(v)) throw new PolicyError(path, 'must be a list');
  return v.map((g, i) => gate(g, `${path}[${i}]`, ids));
}

function priority(v: Json, path: string): Priority {
  if (!PRIORITIES.includes(v as Priority)) throw new PolicyError(path, `must be one of ${PRIORITIES.join(', ')}`);
  return v as Priority;
}

/** What a policy file is checked against: the agency's office codes (a named route and officeCalendars). */
export interface PolicyContext {
  officeCodes: readonly string[];
}

/**
 * Checks a parsed policy file and returns it typed. PolicyError names the first bad entry: an unknown key, a
 * kind outside the contract or listed twice, a missing English or Spanish text, an unknown office, a
 * placeholder the advice cannot fill, a calendar date-holidays does not know.
 */
export function checkPolicy(raw: Json, context: PolicyContext): ServiceRequestPolicy {
  const o = object(raw, 'policy');
  onlyKeys(o, ['$comment', 'calendar', 'officeCalendars', 'protectedCategories', 'commonFields', 'commonGates', 'kinds'], 'policy');
  const calendar = calendarSpec(o.calendar, 'calendar');
  const officeCalendars: Record<string, CalendarSpec> = {};
  for (const [code, spec] of Object.entries(o.officeCalendars === undefined ? {} : object(o.officeCalendars, 'officeCalendars'))) {
    if (!context.officeCodes.includes(code)) throw new PolicyError(`officeCalendars.${code}`, 'is not an office of the agency');
    officeCalendars[code] = calendarSpec(spec, `officeCalendars.${code}`);
  }
  const ids = new Set<string>();
  const commonFields = o.commonFields === undefined ? {} : fieldRules(o.commonFields, 'commonFields');
  const commonGates = o.commonGates === undefined ? [] : gates(o.commonGates, 'commonGates', ids);
  const protectedCategories = strings(o.protectedCategories, 'protectedCategories');
  if (!Array.isArray(o.kinds) || o.kinds.length === 0) throw new PolicyError('kinds', 'must be a list of at least one kind');
  const seen = new Set<string>();
  const kinds = o.kinds.map((k, i): KindRule => {
    const named = isObject(k) && typeof k.type === 'string' ? ` (${k.type})` : '';
    const path = `kinds[${i}]${named}`;
    const kind = object(k, path);
    onlyKeys(kind, ['type', 'title', 'creators', 'fields', 'gates', 'due', 'priority', 'urgentPriority', 'routeTo'], path);
    if (!SERVICE_REQUEST_TYPES.includes(kind.type as ServiceRequestType)) throw new PolicyError(`${path}.type`, 'is not a type of CONTRACT.md section 10');
    if (seen.has(kind.type as string)) throw new PolicyError(`${path}.type`, 'is listed twice');
    seen.add(kind.type as string);
    const creators = strings(kind.creators, `${path}.creators`, CREATORS) as Creator[];
    if (creators.length === 0) throw new PolicyError(`${path}.creators`, 'must name at least one creator');
    const due = object(kind.due, `${path}.due`);
    onlyKeys(due, ['businessDays'], `${path}.due`);
    let routeTo: RouteTo;
    if (kind.routeTo === 'holding-office') routeTo = 'holding-office';
    else {
      const r = object(kind.routeTo, `${path}.routeTo`);
      onlyKeys(r, ['office'], `${path}.routeTo`);
      if (!context.officeCodes.includes(r.office as string)) throw new PolicyError(`${path}.routeTo.office`, 'is not an office of the agency');
      routeTo = { office: r.office as string };
    }
    const rule: KindRule = {
      type: kind.type as ServiceRequestType,
      title: localised(kind.title, `${path}.title`, []),
      creators,
      fields: fieldRules(kind.fields, `${path}.fields`),
      gates: gates(kind.gates, `${path}.gates`, ids),
      due: { businessDays: whole(due.businessDays, `${path}.due.businessDays`, 1, MAX_DUE_BUSINESS_DAYS) },
      priority: priority(kind.priority, `${path}.priority`),
      routeTo,
    };
    if (kind.urgentPriority !== undefined) rule.urgentPriority = priority(kind.urgentPriority, `${path}.urgentPriority`);
    return rule;
  });
  return { calendar, officeCalendars, protectedCategories, commonFields, commonGates, kinds };
}

/** What the engine knows about the case, from the case store and the processing-time service. */
