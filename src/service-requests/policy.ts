/**
 * The agency's service request rules, read once at start-up from reference/<agency>/service-requests.json and
 * checked (src/domain/service-request-rules.ts checkPolicy): a bad file stops the start with the entry named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPolicy, PolicyError, type ServiceRequestPolicy } from '../domain/service-request-policy.ts';
import { ServiceRequestRules } from '../domain/service-request-rules.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the loader needs of the agency's reference data (src/platform/reference.ts Agency). */
export interface AgencyOffices {
  contactCenterPhone: string;
  offices: ReadonlyArray<{ code: string; timeZone: string }>;
}

/** Reads and checks a policy file; Error naming the file and the bad entry when it is unreadable or wrong. */
export function readServiceRequestPolicy(file: string, officeCodes: readonly string[]): ServiceRequestPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  try {
    return checkPolicy(raw, { officeCodes });
  } catch (e) {
    if (e instanceof PolicyError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}

/** The rules engine of an agency (reference/<name>/service-requests.json), set up with its offices and phone. */
export function loadServiceRequestRules(name: string, agency: AgencyOffices, root: string = ROOT): ServiceRequestRules {
  const policy = readServiceRequestPolicy(path.join(root, 'reference', name, 'service-requests.json'), agency.offices.map((o) => o.code));
  return new ServiceRequestRules(policy, { offices: agency.offices, phone: agency.contactCenterPhone });
}

/** Days an answered request may be reopened by the person before it is closed (then: a new request). */
export const REOPEN_WINDOW_DAYS = 30;

/** An answer long enough to say what was done and what happens next; at most a letter's length. */
export const RESPONSE_LIMITS = { minChars: 40, maxChars: 8000 } as const;

/** The longest reason for a transfer or a reopening, and a reviewer's note. */
export const REASON_MAX = 2000;

/** Requests marked per transaction by the deadline sweep (each with its event and audit entry). */
export const SWEEP_BATCH = 200;

/** How often each instance runs the deadline sweep. */
export const SWEEP_INTERVAL_MS = 60_000;
