/**
 * Case Status Online, presented: a stored case row (the feed's history plus Switchboard's own local history)
 * turned into status titles and descriptions in English and Spanish, and into the agency-compatible API body.
 * Pure: no I/O. Dates are formatted with Intl (no month tables of our own).
 */
import { DateTime } from 'luxon';
import type { Agency, Localised } from '../platform/reference.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { longDate } from '../platform/i18n/format.ts';

/** The columns of a `cases` row that the status pages and API read. */
export interface StatusRow {
  receipt_number: string;
  form_type: string;
  office: string;
  received_date: string;
  /** JSON: the feed's entries, oldest first. */
  history: string;
  /** JSON: entries Switchboard added itself, merged in by date. */
  local_history: string;
}

/** One history entry as stored: a date in the agency's time zone, and the instant when the feed gave one. */
export interface StoredEntry {
  date: string;
  at?: string | undefined;
  status: string;
}

/** One status of a case, ready to show. */
export interface PresentedEntry {
  status: string;
  /** YYYY-MM-DD in the agency's time zone. */
  date: string;
  /** ISO 8601 UTC instant, when known. */
  at: string | null;
  title: Localised;
  /** Null for earlier entries when the caller asked for titles only (the API's history lists titles). */
  description: Localised | null;
}

export interface PresentedCase {
  receiptNumber: string;
  formType: string;
  formTitle: Localised;
  /** The office holding the case (its name fills some descriptions). */
  office: string;
  receivedDate: string;
  /** The time of day the case was received, when the feed gave the receipt as an instant. */
  receivedAt: string | null;
  current: PresentedEntry & { description: Localised };
  /** The entries before the current one, newest first. */
  earlier: PresentedEntry[];
}

/** What the presenter needs of the agency's reference data, indexed once. */
export interface StatusVocabulary {
  timeZone: string;
  statuses: ReadonlyMap<string, { title: Localised; description: Localised }>;
  formTitles: ReadonlyMap<string, Localised>;
  officeNames: ReadonlyMap<string, Localised>;
}

export function statusVocabulary(agency: Agency): StatusVocabulary {
  return {
    timeZone: agency.timeZone,
    statuses: new Map(agency.statuses.map((s) => [s.code, { title: s.title, description: s.description }])),
    formTitles: new Map(agency.forms.map((f) => [f.code, f.title])),
    officeNames: new Map(agency.offices.map((o) => [o.code, o.name])),
  };
}

/** Fills `{name}` slots; an unknown slot is left as written. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  const parts = compiled(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += (vars[parts[i]!] ?? `{${parts[i]!}}`) + parts[i + 1]!;
  return out;
}

/** A template split once into [literal, slot, literal, slot, …, literal]: documents are rendered millions of times. */
const templates = new Map<string, string[]>();
function compiled(template: string): string[] {
  let parts = templates.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    if (templates.size >= 1_000) templates.clear();
    templates.set(template, parts);
  }
  return parts;
}

function parseEntries(json: string): StoredEntry[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as StoredEntry[]).filter((e) => e && typeof e.date === 'string' && typeof e.status === 'string') : [];
  } catch {
    return [];
  }
}

/** The feed's history and the local entries as one list, oldest first; on one day, feed entries come first. */
export function mergedHistory(row: Pick<StatusRow, 'history' | 'local_history'>): StoredEntry[] {
  const feed = parseEntries(row.history);
  const local = row.local_history && row.local_history !== '[]' ? parseEntries(row.local_history) : [];
  if (local.length === 0) return feed;
  return [...feed, ...local].map((e, i) => ({ e, i })).sort((a, b) => a.e.date.localeCompare(b.e.date) || a.i - b.i).map((x) => x.e);
}

/**
 * Presents a case, or returns null when it has no history at all (the feed never stores such a case).
 * `earlierDescriptions: false` leaves out the descriptions of earlier entries, which the API does not show.
 */
export function presentCase(row: StatusRow, v: StatusVocabulary, options: { earlierDescriptions?: boolean } = {}): PresentedCase | null {
  return presentEntries(row, mergedHistory(row), v, options);
}

/** The case columns a description is filled from. */
export type CaseHead = Pick<StatusRow, 'receipt_number' | 'form_type' | 'office' | 'received_date'>;

/** The description of one entry in both languages ('' for a status the agency does not describe). */
export function describeEntry(e: Pick<StoredEntry, 'status' | 'date'>, c: CaseHead, v: StatusVocabulary): Localised {
  const status = v.statuses.get(e.status);
  if (!status) return { en: '', es: '' };
  const formTitle = v.formTitles.get(c.form_type);
  const office = v.officeNames.get(c.office);
  const text = (lang: Lang) => fillTemplate(status.description[lang], {
    date: longDate(e.date, lang), form: c.form_type, formTitle: formTitle?.[lang] ?? c.form_type,
    receipt: c.receipt_number, office: office?.[lang] ?? c.office,
  });
  return { en: text('en'), es: text('es') };
}

/** A status's title in both languages (its code when the agency has no such status). */
export const statusTitle = (status: string, v: StatusVocabulary): Localised => v.statuses.get(status)?.title ?? { en: status, es: status };

/** Presents a case from its merged history (oldest first), as `presentCase`. */
export function presentEntries(row: CaseHead, history: readonly StoredEntry[], v: StatusVocabulary, options: { earlierDescriptions?: boolean } = {}): PresentedCase | null {
  if (history.length === 0) return null;
  const formTitle = v.formTitles.get(row.form_type);
  const entry = (e: StoredEntry, described: boolean) => ({
    status: e.status, date: e.date, at: e.at ?? null,
    title: statusTitle(e.status, v),
    description: described ? describeEntry(e, row, v) : null,
  });
  const last = history[history.length - 1]!;
  const earlierDescriptions = options.earlierDescriptions ?? true;
  const earlier: PresentedEntry[] = [];
  for (let i = history.length - 2; i >= 0; i--) earlier.push(entry(history[i]!, earlierDescriptions));
  const received = history.find((e) => e.status === 'case-was-received' && e.date === row.received_date && e.at);
  return {
    receiptNumber: row.receipt_number,
    formType: row.form_type,
    formTitle: formTitle ?? { en: row.form_type, es: row.form_type },
    office: row.office,
    receivedDate: row.received_date,
    receivedAt: received?.at ?? null,
    current: { ...entry(last, false), description: describeEntry(last, row, v) },
    earlier,
  };
}

/** The case with every earlier entry described too (the public page shows them; the API, IVR and Prepare do not). */
export function withEarlierDescriptions(c: PresentedCase, v: StatusVocabulary): PresentedCase {
  const head: CaseHead = { receipt_number: c.receiptNumber, form_type: c.formType, office: c.office, received_date: c.receivedDate };
  return { ...c, earlier: c.earlier.map((e) => (e.description ? e : { ...e, description: describeEntry(e, head, v) })) };
}

/** `MM-DD-YYYY HH:mm:ss` in the agency's time zone: the instant's local time when known, else midnight of the date. */
export function agencyTimestamp(date: string, at: string | null, timeZone: string): string {
  if (at) {
    const local = DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone);
    if (local.isValid) return local.toFormat('MM-dd-yyyy HH:mm:ss');
  }
  return `${date.slice(5, 7)}-${date.slice(8, 10)}-${date.slice(0, 4)} 00:00:00`;
}

/** IOE receipts (filed online) carry no submitted or modified time in the agency's API. */
export const isElectronicReceipt = (receiptNumber: string): boolean => receiptNumber.startsWith('IOE');

/** The success body of `GET /case-status/{receiptNumber}` (CONTRACT.md section 6), field for field. */
export function caseStatusApiBody(c: PresentedCase, timeZone: string) {
  const times = isElectronicReceipt(c.receiptNumber) ? {} : {
    submittedDate: agencyTimestamp(c.receivedDate, c.receivedAt, timeZone),
    modifiedDate: agencyTimestamp(c.current.date, c.current.at, timeZone),
  };
  return {
    case_status: {
      receiptNumber: c.receiptNumber,
      formType: c.formType,
      ...times,
      current_case_status_text_en: c.current.title.en,
      current_case_status_desc_en: c.current.description.en,
      current_case_status_text_es: c.current.title.es,
      current_case_status_desc_es: c.current.description.es,
      hist_case_status: c.earlier.length === 0 ? null
        : c.earlier.map((e) => ({ date: e.date, completed_text_en: e.title.en, completed_text_es: e.title.es })),
    },
    message: 'Query was successful',
  };
}

/** The agency's own error texts (CONTRACT.md section 6), word for word; its name and phone number are agency data. */
export function agencyMessages(agency: Pick<Agency, 'shortName' | 'contactCenterPhone'>) {
  return {
    invalidToken: 'Invalid Access Token',
    notFound: `Case Status Online does not recognize the receipt number entered. Please check your receipt number and try again. If you need further assistance, please call the ${agency.shortName} Contact Center at ${agency.contactCenterPhone}.`,
    malformed: 'The application receipt number is not formatted correctly, It should be total of 13 characters (3 character prefix followed by 10 digits). Please check your receipt number and try again',
    spikeArrest: 'Spike Arrest Violation',
    unavailable: 'Service Unavailable',
  } as const;
}
