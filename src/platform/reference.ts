/** The agency's reference data (name, phone, time zone, receipt prefixes, offices), read from reference/<agency>/agency.json. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Office {
  code: string;
  kind: 'service-center' | 'benefits-center' | 'field-office' | 'asylum-office' | 'appeals-office';
  timeZone: string;
  name: { en: string; es: string };
}

export interface Agency {
  name: { en: string; es: string };
  shortName: string;
  contactCenterPhone: string;
  timeZone: string;
  receiptPrefixes: string[];
  offices: Office[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Loads an agency's reference data; another agency adopts Switchboard by adding its own folder. */
export function loadAgency(name = process.env.AGENCY ?? 'uscis'): Agency {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`AGENCY "${name}" is not a folder name under reference/`);
  const file = path.join(ROOT, 'reference', name, 'agency.json');
  const agency = JSON.parse(fs.readFileSync(file, 'utf8')) as Agency;
  for (const o of agency.offices) new Intl.DateTimeFormat('en-US', { timeZone: o.timeZone });
  return agency;
}
