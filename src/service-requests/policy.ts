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
