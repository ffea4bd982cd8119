/**
 * The agency's reference data, read from reference/<agency>/: agency.json (name, phone, time zone, receipt
 * prefixes, offices), forms.json (forms and their processing-time categories) and statuses.json (the case
 * status vocabulary with English and Spanish titles and description templates).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Office {
  code: string;
  kind: 'service-center' | 'benefits-center' | 'field-office' | 'asylum-office' | 'appeals-office';
  timeZone: string;
  name: { en: string; es: string };
}

export interface Localised {
  en: string;
  es: string;
}

export interface Form {
  code: string;
  title: Localised;
  categories: Array<{ code: string } & Localised>;
  /** True for forms that establish a priority date. */
  priorityDate: boolean;
}

export interface Status {
  code: string;
  /** Set for statuses that decide the case. */
  decision: 'approved' | 'denied' | 'rejected' | 'withdrawn' | null;
  title: Localised;
  /** Templates with {date}, {form}, {formTitle}, {receipt} (and {office}) slots. */
  description: Localised;
}

export interface Agency {
  name: Localised;
  shortName: string;
  contactCenterPhone: string;
  timeZone: string;
  receiptPrefixes: string[];
  /** Where the public can ask the Ombudsman for case help today (its name and address). */
  ombudsman: { name: Localised; url: string };
  offices: Office[];
  forms: Form[];
  statuses: Status[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Loads an agency's reference data; another agency adopts Switchboard by adding its own folder. */
export function loadAgency(name: string): Agency {
  const dir = path.join(ROOT, 'reference', name);
  const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
  const agency: Agency = { ...read<Omit<Agency, 'forms' | 'statuses'>>('agency.json'), forms: read<Form[]>('forms.json'), statuses: read<Status[]>('statuses.json') };
  for (const o of agency.offices) new Intl.DateTimeFormat('en-US', { timeZone: o.timeZone });
  return agency;
}
