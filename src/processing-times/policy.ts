/**
 * Which office's times apply to a case, as data. A case uses the office that holds it now (a transferred case
 * already carries its new office). Cases the National Benefits Center prepares for a field-office interview
 * use that field office's times: the agency publishes their times per field office.
 */
import type { Office } from '../platform/reference.ts';

export interface OfficeRule {
  /** Cases held by an office of this kind… */
  officeKind: Office['kind'];
  /** …for these forms… */
  forms: readonly string[];
  /** …use the case's field office, when the case names one. */
  use: 'field-office';
}

export const OFFICE_RULES: readonly OfficeRule[] = [
  { officeKind: 'benefits-center', forms: ['I-485', 'N-400', 'N-600'], use: 'field-office' },
];

/** The facts of a case that decide whose times apply. */
export interface CaseOffice {
  form_type: string;
  office: string;
  field_office: string | null;
}

/** The office whose processing times apply to a case. */
export function officeForTimes(c: CaseOffice, kindOf: (office: string) => Office['kind'] | undefined, rules: readonly OfficeRule[] = OFFICE_RULES): string {
  const kind = kindOf(c.office);
  const rule = rules.find((r) => r.officeKind === kind && r.forms.includes(c.form_type));
  return rule && c.field_office ? c.field_office : c.office;
}

/** Published months80 are kept to two decimals (PostgreSQL stores them as 4-byte floats). */
export const roundMonths = (m: number): number => Math.round(m * 100) / 100;

/** The largest months80 a published row may give (the API's schema and the service both refuse more). */
export const MONTHS80_MAX = 600;

/** The most rows one PUT may publish. */
export const MAX_PUBLISHED_ROWS = 5000;
