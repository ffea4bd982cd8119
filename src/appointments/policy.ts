/**
 * Appointment capacity of the field offices, read once at start-up from reference/<agency>/appointments.json and
 * checked here: a bad file stops the start with the file and the bad entry named (like the service-request rules).
 * Opening hours are office-local times; federal holidays and the office's closures come from its BusinessCalendar.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BusinessCalendar, HOLIDAY_TYPES, type CalendarSpec } from '../domain/business-days.ts';
import { isIsoDate } from '../domain/calendar.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Localised = { en: string; es: string };
export type LocalisedList = { en: string[]; es: string[] };

export interface OfficeCapacity {
  code: string;
  timeZone: string;
  name: Localised;
  address: string[];
  slotMinutes: number;
  seatsPerSlot: number;
  /** Per weekday, opening intervals as minutes after midnight [start, end). */
  hours: Partial<Record<Weekday, Array<[number, number]>>>;
  closures: string[];
  calendar: BusinessCalendar;
}

export interface AppointmentReason {
  code: string;
  title: Localised;
  bring: LocalisedList;
}

export interface AppointmentPolicy {
  horizonDays: number;
  minLeadHours: number;
  defaultOffice: string;
  offices: Map<string, OfficeCapacity>;
  stateOffices: Map<string, string>;
  alwaysBring: LocalisedList;
  reasons: AppointmentReason[];
}

/** Free slots a page lists at most (the call screen's two weeks). */
export const PANEL_DAYS = 14;
/** The longest range one slots query may cover. */
export const MAX_RANGE_DAYS = 62;
/** A cancellation's reason, in words. */
export const CANCEL_REASON = { min: 5, max: 2000 } as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');
const isLocalised = (v: unknown): v is Localised => isObj(v) && typeof v.en === 'string' && v.en !== '' && typeof v.es === 'string' && v.es !== '';
const isLocalisedList = (v: unknown): v is LocalisedList => isObj(v) && isStrList(v.en) && isStrList(v.es);

function minutes(v: unknown, where: string): number {
  const m = typeof v === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v) : null;
  if (!m) throw new Error(`${where}: a time is "HH:MM" (24-hour)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Checks a parsed file; Error naming the bad entry. */
export function checkAppointmentPolicy(raw: unknown, offices: ReadonlyArray<{ code: string; kind?: string; timeZone: string; name: Localised }>): AppointmentPolicy {
  if (!isObj(raw)) throw new Error('the file must hold a JSON object');
  const cal = raw.calendar;
  if (!isObj(cal) || typeof cal.country !== 'string' || !Array.isArray(cal.holidayTypes) || !cal.holidayTypes.every((x) => typeof x === 'string' && HOLIDAY_TYPES.has(x))) {
    throw new Error('calendar: needs country and holidayTypes (of public, bank, school, optional, observance)');
  }
  const int = (v: unknown, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new Error(`${name}: a whole number from ${min} to ${max}`);
    return v as number;
  };
  const horizonDays = int(raw.horizonDays, 'horizonDays', 1, 366);
  const minLeadHours = int(raw.minLeadHours, 'minLeadHours', 0, 24 * 30);
  if (!isObj(raw.offices) || Object.keys(raw.offices).length === 0) throw new Error('offices: at least one field office');
  const out = new Map<string, OfficeCapacity>();
  for (const [code, o] of Object.entries(raw.offices)) {
    const where = `offices.${code}`;
    const office = offices.find((x) => x.code === code);
    if (!office) throw new Error(`${where}: not an office of the agency`);
    if (office.kind !== undefined && office.kind !== 'field-office') throw new Error(`${where}: appointments are at field offices, and ${code} is a ${office.kind}`);
    if (!isObj(o)) throw new Error(`${where}: must be an object`);
    if (!isStrList(o.address)) throw new Error(`${where}.address: the lines of the address`);
    const slotMinutes = int(o.slotMinutes, `${where}.slotMinutes`, 5, 240);
    const seatsPerSlot = int(o.seatsPerSlot, `${where}.seatsPerSlot`, 1, 100);
    if (!isObj(o.hours)) throw new Error(`${where}.hours: opening intervals per weekday`);
    const hours: OfficeCapacity['hours'] = {};
    for (const [day, list] of Object.entries(o.hours)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) throw new Error(`${where}.hours.${day}: not a weekday (mon … sun)`);
      if (!Array.isArray(list)) throw new Error(`${where}.hours.${day}: a list of ["HH:MM", "HH:MM"]`);
      let last = -1;
      hours[day as Weekday] = list.map((iv, i) => {
        const w = `${where}.hours.${day}[${i}]`;
        if (!Array.isArray(iv) || iv.length !== 2) throw new Error(`${w}: ["HH:MM", "HH:MM"]`);
        const [a, b] = [minutes(iv[0], w), minutes(iv[1], w)];
        if (b - a < slotMinutes) throw new Error(`${w}: shorter than one slot (${slotMinutes} minutes)`);
        if (a < last) throw new Error(`${w}: overlaps or comes before the interval before it`);
        last = b;
        return [a, b] as [number, number];
      });
    }
    const closures = o.closures ?? [];
    if (!Array.isArray(closures) || !closures.every((d) => typeof d === 'string' && isIsoDate(d))) throw new Error(`${where}.closures: dates YYYY-MM-DD`);
    const spec: CalendarSpec = { country: cal.country, region: typeof cal.region === 'string' ? cal.region : null, holidayTypes: cal.holidayTypes as string[], closures: closures as string[] };
    let calendar: BusinessCalendar;
    try {
      calendar = new BusinessCalendar(spec, office.timeZone);
    } catch (e) {
      throw new Error(`calendar (for ${code}): ${(e as Error).message}`);
    }
    out.set(code, { code, timeZone: office.timeZone, name: office.name, address: o.address, slotMinutes, seatsPerSlot, hours, closures: closures as string[], calendar });
  }
  if (typeof raw.defaultOffice !== 'string' || !out.has(raw.defaultOffice)) throw new Error('defaultOffice: one of the offices listed');
  const stateOffices = new Map<string, string>();
  if (!isObj(raw.stateOffices)) throw new Error('stateOffices: state code → field office');
  for (const [state, code] of Object.entries(raw.stateOffices)) {
    if (!/^[A-Z]{2}$/.test(state)) throw new Error(`stateOffices.${state}: a two-letter state code`);
    if (typeof code !== 'string' || !out.has(code)) throw new Error(`stateOffices.${state}: ${String(code)} is not one of the offices listed`);
    stateOffices.set(state, code);
  }
  if (!isLocalisedList(raw.alwaysBring)) throw new Error('alwaysBring: lists in en and es');
  if (!Array.isArray(raw.reasons) || raw.reasons.length === 0) throw new Error('reasons: at least one');
  const seen = new Set<string>();
  const reasons = raw.reasons.map((r, i): AppointmentReason => {
    const where = `reasons[${i}]`;
    if (!isObj(r) || typeof r.code !== 'string' || !/^[a-z][a-z0-9-]*$/.test(r.code)) throw new Error(`${where}.code: kebab-case`);
    if (seen.has(r.code)) throw new Error(`${where}.code: ${r.code} is listed twice`);
    seen.add(r.code);
    if (!isLocalised(r.title)) throw new Error(`${where}.title: en and es`);
    if (!isLocalisedList(r.bring)) throw new Error(`${where}.bring: lists in en and es`);
    return { code: r.code, title: r.title, bring: r.bring };
  });
  return { horizonDays, minLeadHours, defaultOffice: raw.defaultOffice, offices: out, stateOffices, alwaysBring: raw.alwaysBring, reasons };
}

/** Reads and checks reference/<name>/appointments.json; Error naming the file and the bad entry. */
export function loadAppointmentPolicy(name: string, agency: { offices: ReadonlyArray<{ code: string; kind?: string; timeZone: string; name: Localised }> }, root: string = ROOT): AppointmentPolicy {
  const file = path.join(root, 'reference', name, 'appointments.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  try {
    return checkAppointmentPolicy(raw, agency.offices);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
