/**
 * Synthetic case-feed records (CONTRACT.md section 5), one step at a time: `nextCase(state)` draws a form,
 * an applicant, a receipt number and a life story (received → biometrics → RFE → review → interview →
 * decision → card), and cuts the story at "today". Deterministic: the same seed and today give
 * byte-identical records, and the first N records do not depend on how many follow. No I/O.
 *
 * Two parts, so that threads can share a large seed (src/cases/seed/bulk-rows.ts): the head (`nextHead`) draws what
 * decides the receipt number (form, category, country, day of receipt, filing office) from the generator's one
 * sequential stream and allocates the number; everything else (`caseBody`) is drawn from a stream of the case's
 * own, seeded from the seed and the case's position. Skipping a case (`skipCase`) costs only its head.
 */
import { formatReceiptNumber } from '../../domain/receipt-number.ts';
import type { FeedItem } from '../feed-stream.ts';
import { Rng, weights } from './random.ts';
import { addBusinessDays, businessDayOnOrAfter, businessDayOnOrBefore, computerWorkday, dayNumber, fiscalYear, isoDate } from './days.ts';
import {
  CHARGEABILITY, CITIES, COUNTRY_WEIGHTS, FORMS, NAMES, OFFICE_PACE, OFFICE_PREFIX, OUTCOME_RATES, REPRESENTATIVE_FIRMS,
  SERVICE_CENTERS, STREETS, type CategoryProfile, type FormProfile, type NameGroup,
} from './tables.ts';

/** A case-feed record as the generator writes it (the contract's shape; fieldOffice only when there is one). */
export interface SeedRecord {
  receiptNumber: string;
  formType: string;
  formCategory: string;
  office: string;
  fieldOffice?: string;
  receivedDate: string;
  decidedDate: string | null;
  applicant: {
    name: string; dateOfBirth: string; aNumber: string | null; countryOfBirth: string; phone: string; email: string | null;
    address: { street: string; city: string; state: string; zip: string }; military: boolean; protectedCategory: 'VAWA' | 'T' | 'U' | null;
  };
  representative: { name: string; g28OnFile: boolean } | null;
  priorityDate: string | null;
  preferenceCategory: string | null;
  chargeability: string | null;
  premiumProcessingEligible: boolean;
  history: Array<{ date: string; status: string }>;
  notices: Array<{ id: string; type: string; date: string }>;
  rfes: Array<{ id: string; date: string; text: string }>;
}

/** What the generator carries from one case to the next. */
export interface GeneratorState {
  readonly rng: Rng;
  /** Today as a day number: nothing happens after it. */
  readonly today: number;
  /** The next sequence number per receipt prefix, fiscal year and workday. */
  readonly sequences: Map<string, number>;
  /** Fiscal year and workday digits per received day (a small cache). */
  readonly dayCodes: Map<number, readonly [number, number]>;
  generated: number;
  /** The seed, for each case's own stream. */
  readonly randomSeed: number;
}

/** Receipts spread over this many days before today. */
export const HISTORY_DAYS = 3 * 365;
/** Share of receipts drawn from the last year (filings grow, and recent cases are the ones people ask about). */
const RECENT_SHARE = 0.35;
const MAX_SEQUENCE = 99_999;

/** A fresh generator for a seed (a 32-bit whole number) and today (YYYY-MM-DD). */
export function createGenerator(randomSeed: number, today: string): GeneratorState {
  return { rng: new Rng(randomSeed), today: dayNumber(today), sequences: new Map(), dayCodes: new Map(), generated: 0, randomSeed };
}

const PROTECTED_ELIGIBLE = new Set(['I-485', 'I-765', 'I-131', 'I-751']);
const PROTECTED_KINDS = weights([['VAWA', 0.5], ['U', 0.35], ['T', 0.15]] as const);

/** What the sequential stream decides of a case: enough to allocate its receipt number. */
export interface CaseHead {
  /** The case's position in the seed, from 0. */
  index: number;
  receiptNumber: string;
  form: FormProfile;
  category: CategoryProfile;
  country: string;
  group: NameGroup;
  received: number;
  filingOffice: string;
}

/** Draws the next case's head from the sequential stream and allocates its receipt number. */
export function nextHead(s: GeneratorState): CaseHead {
  const rng = s.rng;
  const form = rng.weighted(FORMS);
  const category = rng.weighted(form.categories);
  const [country, group] = rng.weighted(COUNTRY_WEIGHTS[category.origin ?? form.origin]);
  const ageDays = rng.chance(RECENT_SHARE) ? rng.int(0, 365) : rng.int(0, HISTORY_DAYS);
  const received = businessDayOnOrBefore(s.today - ageDays);
  const filingOffice = rng.weighted(category.offices ?? form.offices);
  const prefix = rng.chance(category.ioe ?? form.ioe) ? 'IOE' : filingOffice === 'NBC' && form.form.startsWith('N-') ? 'NBC' : OFFICE_PREFIX[filingOffice]!;
  const receiptNumber = allocateReceiptNumber(s, prefix, received);
  return { index: s.generated++, receiptNumber, form, category, country, group, received, filingOffice };
}

/** Advances past the next case without drawing its body (another thread draws it). */
export function skipCase(s: GeneratorState): void {
  nextHead(s);
}

/** Draws the next case. */
export function nextCase(s: GeneratorState): SeedRecord {
  return caseBody(nextHead(s), s.randomSeed, s.today);
}

/**
 * A case's own stream: the seed and the case's position mixed (murmur3's finaliser) into the 32-bit seed
 * xoroshiro128+ takes. Two cases may share a stream (about 0.1 % of ten million): they still differ in everything
 * the head decides, which is enough for synthetic data.
 */
export function caseRng(randomSeed: number, index: number): Rng {
  let h = (randomSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return new Rng((h ^ (h >>> 16)) | 0);
}

/** The rest of a case, drawn from its own stream: the same head and seed always give the same record. */
export function caseBody(head: CaseHead, randomSeed: number, today: number): SeedRecord {
  const rng = caseRng(randomSeed, head.index);
  const { receiptNumber, form, category, country, group, received, filingOffice } = head;
  const city = rng.weighted(CITIES);
  const fieldOffice = form.fieldOffice ? city[3] : null;
  const life = lifeStory(rng, today, received, form, category, filingOffice, fieldOffice);

  const person = personName(rng, group);
  const [minAge, maxAge] = category.age ?? form.age;
  const years = minAge + (maxAge - minAge) * ((rng.float() + rng.float()) / 2);
  const dateOfBirth = isoDate(received - Math.round(years * 365.25) - rng.int(1, 364));
  const protectedCategory = category.protectedCategory
    ?? (PROTECTED_ELIGIBLE.has(form.form) && rng.chance(0.02) ? rng.weighted(PROTECTED_KINDS) : null);
  const military = category.military === true || (years >= 18 && rng.chance(0.018));
  const representative = rng.chance((category.origin ?? form.origin) === 'employment' ? 0.85 : 0.2)
    ? { name: firmName(rng, city[0]), g28OnFile: true }
    : null;
  const hasPriorityDate = 'preference' in category;
  const lead = category.priorityDateLead;

  const record: SeedRecord = {
    receiptNumber,
    formType: form.form,
    formCategory: category.code,
    office: life.office,
    ...(fieldOffice ? { fieldOffice } : {}),
    receivedDate: isoDate(received),
    decidedDate: life.decided === null ? null : isoDate(life.decided),
    applicant: {
      name: person.name,
      dateOfBirth,
      aNumber: rng.chance(form.aNumber) ? aNumber(rng) : null,
      countryOfBirth: country,
      phone: `+1555${rng.int(2_000_000, 9_999_999)}`,
      email: rng.chance(0.85) ? `${person.emailLocal}${rng.chance(0.5) ? rng.int(1, 99) : ''}@example.org` : null,
      address: {
        street: `${rng.int(1, 9999)} ${rng.pick(STREETS)}${rng.chance(0.25) ? ` Apt ${rng.int(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}` : ''}`,
        city: city[0], state: city[1], zip: `${city[2]}${String(rng.int(1, 99)).padStart(2, '0')}`,
      },
      military,
      protectedCategory,
    },
    representative,
    priorityDate: hasPriorityDate ? isoDate(received - (lead ? rng.int(lead[0], lead[1]) : 0)) : null,
    preferenceCategory: hasPriorityDate ? category.preference ?? null : null,
    chargeability: hasPriorityDate && category.preference ? CHARGEABILITY[country] ?? 'ALL' : null,
    premiumProcessingEligible: category.premium ?? form.premium,
    history: life.history,
    notices: life.notices,
    rfes: life.rfes,
  };
  return record;
}

/** `count` records as a case feed, numbered from 1, for CaseFeedService.import. */
export async function* seedFeed(s: GeneratorState, count: number, observe?: (r: SeedRecord) => void): AsyncGenerator<FeedItem> {
  for (let line = 1; line <= count; line++) {
    const value = nextCase(s);
    observe?.(value);
    yield { line, value };
  }
}

/** The next free receipt number for a prefix on a day: fiscal year, computer workday, then a sequence unique to both. */
export function allocateReceiptNumber(s: GeneratorState, prefix: string, day: number): string {
  let code = s.dayCodes.get(day);
  if (!code) {
    code = [fiscalYear(day), computerWorkday(day)];
    s.dayCodes.set(day, code);
  }
  const key = `${prefix}${code[0]}-${code[1]}`;
  // Each prefix's day starts somewhere in the low ten-thousands, as real batches do, leaving room for 60,000 more.
  const sequence = s.sequences.get(key) ?? s.rng.int(10_000, 39_999);
  if (sequence > MAX_SEQUENCE) throw new RangeError(`receipt sequence exhausted for ${prefix} on ${isoDate(day)}`);
  s.sequences.set(key, sequence + 1);
  return formatReceiptNumber(prefix, code[0], code[1], sequence);
}

interface LifeStory {
  history: SeedRecord['history'];
  notices: SeedRecord['notices'];
  rfes: SeedRecord['rfes'];
  /** The office holding the case today (after any transfer that has happened). */
  office: string;
  decided: number | null;
}

const DECIDING = new Set(['case-was-approved', 'case-was-denied', 'case-was-rejected', 'withdrawal-acknowledged']);

/**
 * A case's whole story from receipt to decision and card, with dates; only what happened by today is kept.
 * Events never go backwards: each is dated no earlier than the one before, on a business day (no weekend, no federal holiday).
 */
function lifeStory(rng: Rng, today: number, received: number, form: FormProfile, category: CategoryProfile, filingOffice: string, fieldOffice: string | null): LifeStory {
  const events: Array<{ day: number; status: string; office?: string }> = [];
  const notices: Array<{ day: number; type: string }> = [];
  const rfes: Array<{ day: number; text: string }> = [];
  let cursor = received;
  const at = (planned: number, sameDay = false) => {
    cursor = businessDayOnOrAfter(Math.max(sameDay ? cursor : cursor + 1, Math.round(planned)));
    return cursor;
  };
  const event = (day: number, status: string, office?: string) => events.push({ day, status, ...(office ? { office } : {}) });

  event(received, 'case-was-received');
  const receiptNotice = addBusinessDays(received, rng.int(2, 5));
  notices.push({ day: receiptNotice, type: 'receipt' });
  // Nothing else happens before the receipt notice goes out (a holiday can push it past an early RFE).
  cursor = receiptNotice - 1;

  const roll = rng.float();
  if (roll < OUTCOME_RATES.rejected) {
    // Improperly filed: rejected within weeks, nothing else happens.
    const day = at(received + rng.int(7, 28));
    event(day, 'case-was-rejected');
    notices.push({ day, type: 'rejection' });
    return finish(today, events, notices, rfes, filingOffice);
  }
  const withdrawn = roll < OUTCOME_RATES.rejected + OUTCOME_RATES.withdrawn;
  const onHold = !withdrawn && roll < OUTCOME_RATES.rejected + OUTCOME_RATES.withdrawn + OUTCOME_RATES.onHold;

  // Where the case will end up decides its pace.
  const interview = fieldOffice !== null && rng.chance(category.interview ?? form.interview);
  const toFieldOffice = interview && filingOffice === 'NBC' && rng.chance(OUTCOME_RATES.fieldOfficeTransfer);
  const toOtherCenter = !toFieldOffice && (SERVICE_CENTERS as readonly string[]).includes(filingOffice) && rng.chance(OUTCOME_RATES.scTransfer);
  const otherCenter = toOtherCenter ? rng.pick(SERVICE_CENTERS.filter((c) => c !== filingOffice)) : null;
  const finalOffice = toFieldOffice ? fieldOffice! : otherCenter ?? filingOffice;
  let duration = Math.max(14, rng.lognormal(form.medianDays * (OFFICE_PACE[finalOffice] ?? 1), form.sigma));

  if (rng.chance(OUTCOME_RATES.expedite)) {
    const approved = rng.chance(OUTCOME_RATES.expediteApproved);
    event(at(received + rng.int(10, 45)), approved ? 'expedite-request-approved' : 'expedite-request-denied');
    if (approved) duration = Math.max(21, duration * 0.35);
  }
  if (rng.chance(OUTCOME_RATES.initialEvidence)) {
    const sent = at(received + rng.int(14, 40));
    event(sent, 'request-for-initial-evidence-was-sent');
    notices.push({ day: sent, type: 'request-for-initial-evidence' });
    rfes.push({ day: sent, text: 'Submit the initial evidence required by the form instructions, listed in the enclosed request.' });
    const lag = rng.int(20, 80);
    event(at(sent + lag), 'response-to-rfe-was-received');
    duration += lag;
  }
  if (rng.chance(form.biometrics)) {
    const day = received + Math.min(rng.int(21, 60), Math.max(7, duration * 0.4));
    const appointmentNotice = businessDayOnOrAfter(Math.max(receiptNotice + 1, Math.round(day) - rng.int(14, 28)));
    const taken = at(day);
    notices.push({ day: Math.min(appointmentNotice, taken), type: 'biometrics-appointment' });
    event(taken, 'fingerprints-were-taken');
  }
  if (otherCenter) {
    const day = at(received + duration * (0.2 + rng.float() * 0.25));
    event(day, 'case-was-transferred', otherCenter);
    notices.push({ day, type: 'transfer' });
  }
  let rfe = false;
  if (rng.chance(form.rfe)) {
    rfe = true;
    const sent = at(received + duration * (0.35 + rng.float() * 0.25));
    event(sent, 'request-for-evidence-was-sent');
    notices.push({ day: sent, type: 'request-for-evidence' });
    rfes.push({ day: sent, text: rng.pick(form.rfeTexts) });
    const lag = rng.int(20, 84);
    event(at(sent + lag), 'response-to-rfe-was-received');
    duration += lag;
  }
  if (onHold) {
    event(at(received + duration * (0.3 + rng.float() * 0.3)), 'case-on-hold-pending-litigation');
    return finish(today, events, notices, rfes, filingOffice);
  }
  if (withdrawn) {
    const day = at(received + duration * (0.1 + rng.float() * 0.8));
    event(day, 'withdrawal-acknowledged');
    notices.push({ day, type: 'withdrawal-acknowledgement' });
    return finish(today, events, notices, rfes, filingOffice);
  }
  if (toFieldOffice) {
    const day = at(received + duration * (0.45 + rng.float() * 0.15));
    event(day, 'case-was-transferred', fieldOffice!);
    notices.push({ day, type: 'transfer' });
  }
  event(at(received + duration * (0.6 + rng.float() * 0.2)), 'case-is-being-actively-reviewed');
  if (interview) {
    const scheduled = at(received + duration * (0.75 + rng.float() * 0.1));
    event(scheduled, 'interview-was-scheduled');
    notices.push({ day: scheduled, type: 'interview' });
    event(at(scheduled + rng.int(21, 56)), 'interview-was-completed');
  }
  const denied = rng.chance(rfe ? form.denial * 2 : form.denial);
  // Naturalization is often decided at the interview itself.
  const decision = at(received + duration, interview && form.form === 'N-400' && rng.chance(0.5));
  event(decision, denied ? 'case-was-denied' : 'case-was-approved');
  notices.push({ day: decision, type: denied ? 'denial' : 'approval' });
  if (!denied && form.card) {
    event(at(decision + rng.int(1, 5)), 'new-card-is-being-produced');
    event(at(cursor + rng.int(3, 10)), 'card-was-mailed');
    event(at(cursor + rng.int(2, 6)), rng.chance(OUTCOME_RATES.cardReturned) ? 'card-was-returned' : 'card-was-delivered');
  }
  return finish(today, events, notices, rfes, filingOffice);
}

/** Keeps what happened by today and works out the office and decision date from it. */
function finish(today: number, events: Array<{ day: number; status: string; office?: string }>, notices: Array<{ day: number; type: string }>,
  rfes: Array<{ day: number; text: string }>, filingOffice: string): LifeStory {
  let office = filingOffice;
  let decided: number | null = null;
  const history: SeedRecord['history'] = [];
  for (const e of events) {
    if (e.day > today) break;
    history.push({ date: isoDate(e.day), status: e.status });
    if (e.office) office = e.office;
    if (DECIDING.has(e.status)) decided = e.day;
  }
  return {
    history,
    notices: notices.filter((n) => n.day <= today).sort((a, b) => a.day - b.day).map((n, i) => ({ id: `N${i + 1}`, type: n.type, date: isoDate(n.day) })),
    rfes: rfes.filter((r) => r.day <= today).map((r, i) => ({ id: `RFE${i + 1}`, date: isoDate(r.day), text: r.text })),
    office,
    decided,
  };
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** A plausible name from a name group; some Hispanic names carry both family names. */
function personName(rng: Rng, group: NameGroup): { name: string; emailLocal: string } {
  const names = NAMES[group];
  const given = rng.pick(rng.chance(0.5) ? names.female : names.male);
  let family = rng.pick(names.family);
  if (group === 'hispanic' && rng.chance(0.3)) family = `${family} ${rng.pick(names.family)}`;
  return { name: `${given} ${family}`, emailLocal: `${ascii(given)}.${ascii(family)}` };
}

const FIRM_GROUPS: readonly NameGroup[] = ['western', 'hispanic', 'chinese', 'southAsian', 'korean', 'eastEuropean', 'westAfrican'];

/** A representative with a Form G-28 on file: an attorney or an accredited organization. */
function firmName(rng: Rng, city: string): string {
  const names = NAMES[rng.pick(FIRM_GROUPS)];
  const given = rng.pick(rng.chance(0.5) ? names.female : names.male);
  const family = rng.pick(names.family);
  return rng.pick(REPRESENTATIVE_FIRMS).replace('{name}', `${given} ${family}`).replace('{family}', family).replace('{city}', city);
}

/** An A-number: older ones start A0, those issued since the 2010s A2. */
function aNumber(rng: Rng): string {
  return rng.chance(0.45) ? `A0${rng.int(10_000_000, 99_999_999)}` : `A2${rng.int(0, 4)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}
