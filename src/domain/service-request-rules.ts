/**
 * The one engine for service request rules: `ServiceRequestRules#evaluate` answers a request with either
 * where it goes and when it is due, or a refusal naming its rule, the contract's error code and advice in
 * English and Spanish. The rules themselves are data (service-request-policy.ts). Pure: no I/O, no clock.
 */
import { BusinessCalendar, businessCalendar } from './business-days.ts';
import { addDays } from './processing-time.ts';
import type { Creator, FieldRule, Gate, KindRule, Localised, Priority, ServiceRequestPolicy, ServiceRequestType } from './service-request-policy.ts';
import { SERVICE_REQUEST_TYPES } from './service-request-policy.ts';

export interface CaseFacts {
  /** The office that holds the case now. */
  office: string;
  decided: boolean;
  protectedCategory: string | null;
  receivedDate: string;
  /** Oldest first (the feed's history and Switchboard's own entries). */
  history: ReadonlyArray<{ date: string; status: string }>;
  notices: ReadonlyArray<{ date: string }>;
  /**
   * ProcessingTimeService#inquiryFor's answer; needed only by kinds with an outside-normal-processing-time gate
   * (`needsInquiry`), so other requests do not compute a figure.
   */
  inquiry?: { outsideNormalProcessingTime: boolean; earliestInquiryDate: string } | null;
}

export interface RequestInput {
  type: string;
  /** The request body's fields: details, urgency, expediteCriterion, newAddress, … */
  fields: Readonly<Record<string, unknown>>;
}

export interface FieldError {
  field: string;
  code: string;
  detail: string;
}

export interface Accepted {
  ok: true;
  type: ServiceRequestType;
  office: string;
  /** The creation date in the office's time zone, and the due date counted from it in business days. */
  createdDate: string;
  dueDate: string;
  businessDays: number;
  priority: Priority;
}

export type RefusalCode = 'forbidden' | 'invalid-request' | 'too-early' | 'unprocessable';

export interface Refusal {
  ok: false;
  /** The rule that refused: a gate's id, or `creators`, `fields`, `known-type`. */
  rule: string;
  /** The contract's error code. */
  code: RefusalCode;
  advice: Localised;
  /** The values the advice names ({date}: the earliest date the person may ask; {phone}). */
  adviceParams: Readonly<Record<string, string>>;
  /** With too-early: the first date the request will be accepted. */
  earliestInquiryDate?: string;
  /** With invalid-request: each bad field. */
  errors?: FieldError[];
}

export type Decision = Accepted | Refusal;

/** The engine's fixed advice, for refusals no gate of the file makes. */
export const BUILT_IN_ADVICE: Readonly<Record<'known-type' | 'creators' | 'fields', Localised>> = {
  'known-type': {
    en: 'We do not handle this kind of request. Call the Contact Center at {phone} and tell us what you need.',
    es: 'No atendemos este tipo de solicitud. Llame al Centro de Contacto al {phone} y díganos qué necesita.',
  },
  creators: {
    en: 'This request cannot be made here. Call the Contact Center at {phone}. An agent can make it for you.',
    es: 'Esta solicitud no se puede hacer aquí. Llame al Centro de Contacto al {phone}. Un agente puede hacerla por usted.',
  },
  fields: {
    en: 'Some answers are missing or not valid. Correct the fields listed and send the request again.',
    es: 'Faltan algunas respuestas o no son válidas. Corrija los campos indicados y envíe la solicitud otra vez.',
  },
};

/** The engine's set-up: the agency's offices (code and time zone) and the values advice may name. */
export interface RulesContext {
  offices: ReadonlyArray<{ code: string; timeZone: string }>;
  /** The Contact Center's phone number, for {phone}. */
  phone: string;
}

export interface EvaluateInput {
  request: RequestInput;
  creator: Creator | string;
  facts: CaseFacts;
  /** The creation instant. */
  now: Date;
}

export class ServiceRequestRules {
  readonly #kinds: Map<string, KindRule>;
  readonly #zones: Map<string, string>;
  /** One calendar per office, built once (each keeps its own memo of open days and of its current date). */
  readonly #calendars = new Map<string, BusinessCalendar>();

  constructor(readonly policy: ServiceRequestPolicy, private readonly context: RulesContext) {
    this.#kinds = new Map(policy.kinds.map((k) => [k.type, k]));
    this.#zones = new Map(context.offices.map((o) => [o.code, o.timeZone]));
    for (const k of policy.kinds) if (k.routeTo !== 'holding-office') this.calendarFor(k.routeTo.office);
    for (const code of Object.keys(policy.officeCalendars)) this.calendarFor(code);
  }

  /** The kind's rule, or undefined for a type this agency does not offer. */
  kind(type: string): KindRule | undefined {
    return this.#kinds.get(type);
  }

  /** The kinds a creator may file, in the file's order (the public's online forms, an agent's menu). */
  kindsFor(creator: Creator): KindRule[] {
    return this.policy.kinds.filter((k) => k.creators.includes(creator));
  }

  /** True when evaluating this type reads facts.inquiry (so the caller computes it first). */
  needsInquiry(type: string): boolean {
    const k = this.#kinds.get(type);
    return k !== undefined && [...this.policy.commonGates, ...k.gates].some((g) => g.gate === 'outside-normal-processing-time');
  }

  /** The office's business-day calendar, in its time zone. Error for an office the agency does not have. */
  calendarFor(office: string): BusinessCalendar {
    const known = this.#calendars.get(office);
    if (known) return known;
    const zone = this.#zones.get(office);
    if (zone === undefined) throw new Error(`unknown office ${office}`);
    const calendar = businessCalendar(this.policy.officeCalendars[office] ?? this.policy.calendar, zone);
    this.#calendars.set(office, calendar);
    return calendar;
  }

  /** The office a kind's request about a case held by `holdingOffice` goes to. */
  officeFor(kind: KindRule, holdingOffice: string): string {
    return kind.routeTo === 'holding-office' ? holdingOffice : kind.routeTo.office;
  }

  /** The due date of a kind's request at an office created (or reopened) at `now`. */
  dueDate(kind: KindRule, office: string, now: Date): { createdDate: string; dueDate: string } {
    const calendar = this.calendarFor(office);
    const createdDate = calendar.dateAt(now);
    return { createdDate, dueDate: calendar.addBusinessDays(createdDate, kind.due.businessDays) };
  }

  /**
   * Answers a request: refused by the first rule that applies (an unknown type or bad fields: invalid-request;
   * a creator the kind does not allow: forbidden; then the common gates and the kind's gates in the file's
   * order), else where it goes, its priority and its due date. Duplicate open requests are the store's rule.
   */
  evaluate({ request, creator, facts, now }: EvaluateInput): Decision {
    const kind = this.#kinds.get(request.type);
    if (!kind) {
      return this.#refuse('known-type', 'invalid-request', BUILT_IN_ADVICE['known-type'], {
        errors: [{ field: 'type', code: 'unknown-type', detail: `One of: ${this.policy.kinds.map((k) => k.type).join(', ')}.` }],
      });
    }
    if (!(kind.creators as readonly string[]).includes(creator)) return this.#refuse('creators', 'forbidden', BUILT_IN_ADVICE.creators);
    const errors = checkFields({ ...this.policy.commonFields, ...kind.fields }, request.fields, kind.type);
    if (errors.length) return this.#refuse('fields', 'invalid-request', BUILT_IN_ADVICE.fields, { errors });
    const today = this.calendarFor(this.officeFor(kind, facts.office)).dateAt(now);
    for (const g of [...this.policy.commonGates, ...kind.gates]) {
      if (g.creators && !(g.creators as readonly string[]).includes(creator)) continue;
      const refusal = this.#gate(g, facts, today);
      if (refusal) return refusal;
    }
    const office = this.officeFor(kind, facts.office);
    const { createdDate, dueDate } = this.dueDate(kind, office, now);
    const priority = request.fields.urgency === 'urgent' && kind.urgentPriority ? kind.urgentPriority : kind.priority;
    return { ok: true, type: kind.type, office, createdDate, dueDate, businessDays: kind.due.businessDays, priority };
  }

  #gate(g: Gate, facts: CaseFacts, today: string): Refusal | null {
    switch (g.gate) {
      case 'case-pending':
        return facts.decided ? this.#refuse(g.id, 'unprocessable', g.advice) : null;
      case 'protected-category':
        return facts.protectedCategory !== null && this.policy.protectedCategories.includes(facts.protectedCategory)
          ? this.#refuse(g.id, 'unprocessable', g.advice)
          : null;
      case 'outside-normal-processing-time': {
        if (!facts.inquiry) throw new Error('facts.inquiry is needed for an outside-normal-processing-time gate (see needsInquiry)');
        if (facts.inquiry.outsideNormalProcessingTime) return null;
        const date = facts.inquiry.earliestInquiryDate;
        return this.#refuse(g.id, 'too-early', g.advice, { earliestInquiryDate: date }, { date });
      }
      case 'waiting-period': {
        const since = anchorDate(g.since, facts);
        if (since === null) return this.#refuse(g.id, 'unprocessable', g.missingAdvice!);
        const date = addDays(since, g.days);
        return today < date ? this.#refuse(g.id, 'too-early', g.advice, { earliestInquiryDate: date }, { date }) : null;
      }
    }
  }

  #refuse(rule: string, code: RefusalCode, advice: Localised, extra: Partial<Refusal> = {}, params: Record<string, string> = {}): Refusal {
    return { ok: false, rule, code, advice, adviceParams: { phone: this.context.phone, ...params }, ...extra };
  }
}

/** The first date of `since` the case has (see WaitingPeriodGate), or null. */
function anchorDate(since: readonly string[], facts: CaseFacts): string | null {
  for (const s of since) {
    if (s === 'received') return facts.receivedDate;
    if (s === 'last-notice') {
      const last = facts.notices.reduce<string | null>((m, n) => (m === null || n.date > m ? n.date : m), null);
      if (last !== null) return last;
      continue;
    }
    const status = s.slice('status:'.length);
    const last = facts.history.filter((h) => h.status === status).reduce<string | null>((m, h) => (m === null || h.date > m ? h.date : m), null);
    if (last !== null) return last;
  }
  return null;
}

/** Each bad field of a request body, in the rules' order. */
export function checkFields(rules: Readonly<Record<string, FieldRule>>, fields: Readonly<Record<string, unknown>>, type: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = fields[name];
    const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (missing) {
      if (rule.required) errors.push({ field: name, code: 'required', detail: `Required for a ${type} request.` });
      continue;
    }
    if ((rule.oneOf || rule.maxLength) && typeof value !== 'string') {
      errors.push({ field: name, code: 'invalid', detail: 'Must be text.' });
    } else if (rule.oneOf && !rule.oneOf.includes(value as string)) {
      errors.push({ field: name, code: 'not-allowed', detail: `One of: ${rule.oneOf.join(', ')}.` });
    } else if (rule.maxLength && (value as string).length > rule.maxLength) {
      errors.push({ field: name, code: 'too-long', detail: `At most ${rule.maxLength} characters.` });
    }
  }
  return errors;
}

/** A refusal's advice in one language, its {date} written by `formatDate` (ISO by default) and {phone} filled. */
export function adviceText(refusal: Pick<Refusal, 'advice' | 'adviceParams'>, lang: 'en' | 'es', formatDate: (iso: string) => string = (d) => d): string {
  return refusal.advice[lang].replace(/\{(date|phone)\}/g, (_, slot: string) => {
    const value = refusal.adviceParams[slot] ?? '';
    return slot === 'date' ? formatDate(value) : value;
  });
}
