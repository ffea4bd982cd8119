/**
 * Phone numbers as the contact desk keeps them: E.164 ("+15555550123"), read with libphonenumber-js from any way
 * a person or a telephony platform writes one ("(555) 555-0123", "+1 555-555-0123", "5555550123"), US by default.
 * "Possible" (the right length for its country) rather than "valid": the agency's test and example numbers use the
 * fictional 555 exchange, which libphonenumber rightly reports as unassigned.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export function normalisePhone(input: string, defaultCountry: 'US' = 'US'): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed && parsed.isPossible() ? parsed.number : null;
}

/** The number masked but for its last four digits, for lists that do not need it whole. */
export const maskPhone = (e164: string): string => `•••${e164.slice(-4)}`;
