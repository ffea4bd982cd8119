/**
 * The capability matrix: what each role may and may not do, as data.
 * Tier 1 and Tier 2 rows follow the Ombudsman's description of the two-tier model (the seed document);
 * another agency changes this table, not the code that reads it.
 */
import type { Role } from './roles.ts';

export const CAPABILITIES = [
  'relay-scripted-information',
  'read-scripts',
  'answer-form-questions',
  'view-case-status-online',
  'escalate-to-tier2',
  'handle-contacts',
  'create-service-request',
  'view-case-details',
  'request-notice-reissue',
  'explain-pending-and-decided-cases',
  'assist-military-families',
  'call-back-callers',
  'schedule-appointments',
  'work-office-queue',
  'issue-duplicate-notice',
  'view-rfe',
  'watch-queues',
  'find-contacts',
  'reassign-work',
  'review-calls',
  'take-case-assistance-requests',
  'request-call-review',
  'view-reports',
  'manage-staff',
  'manage-api-clients',
  'manage-webhooks',
  'load-case-data',
  'load-contact-records',
  'publish-reference-data',
  'read-audit-trail',
  'use-call-simulator',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Things a role is explicitly barred from, shown to staff so the limits are as visible as the powers. */
export const PROHIBITIONS = [
  'case-questions-beyond-status-online',
  'transfer-to-offices',
  'legal-advice',
  'review-issued-rfes',
  'issue-notices-directly',
] as const;
export type Prohibition = (typeof PROHIBITIONS)[number];

interface RoleProfile {
  may: readonly Capability[];
  mayNot: readonly Prohibition[];
}

export const ROLE_PROFILES: Readonly<Record<Role, RoleProfile>> = {
  tier1: {
    may: ['relay-scripted-information', 'read-scripts', 'answer-form-questions', 'view-case-status-online', 'handle-contacts', 'escalate-to-tier2', 'create-service-request', 'use-call-simulator'],
    mayNot: ['case-questions-beyond-status-online', 'transfer-to-offices', 'legal-advice'],
  },
  tier2: {
    may: [
      'view-case-status-online', 'read-scripts', 'handle-contacts', 'view-case-details', 'request-notice-reissue', 'explain-pending-and-decided-cases',
      'assist-military-families', 'create-service-request', 'call-back-callers', 'schedule-appointments', 'use-call-simulator',
    ],
    mayNot: ['review-issued-rfes', 'issue-notices-directly', 'transfer-to-offices', 'legal-advice'],
  },
  office: {
    may: ['view-case-details', 'work-office-queue', 'issue-duplicate-notice', 'view-rfe'],
    mayNot: [],
  },
  supervisor: {
    may: ['view-case-details', 'watch-queues', 'find-contacts', 'reassign-work', 'review-calls', 'view-reports', 'use-call-simulator'],
    mayNot: [],
  },
  ombudsman: {
    may: ['view-case-details', 'find-contacts', 'take-case-assistance-requests', 'request-call-review', 'review-calls', 'view-reports'],
    mayNot: [],
  },
  admin: {
    may: ['manage-staff', 'manage-api-clients', 'manage-webhooks', 'load-case-data', 'load-contact-records', 'publish-reference-data', 'view-reports', 'read-audit-trail', 'use-call-simulator'],
    mayNot: [],
  },
};

/** True when `role` holds `capability`. */
export function can(role: Role, capability: Capability): boolean {
  return ROLE_PROFILES[role].may.includes(capability);
}

/**
 * When a role lacks a capability because the seed forbids it (not merely because it is someone else's work), the
 * prohibition that says so. The 403 names it, so the agent reads why, not just "no".
 */
export const DENIED_BY: Partial<Record<Capability, Prohibition>> = {
  'view-case-details': 'case-questions-beyond-status-online',
  'explain-pending-and-decided-cases': 'case-questions-beyond-status-online',
  'view-rfe': 'review-issued-rfes',
  'issue-duplicate-notice': 'issue-notices-directly',
};

/** The prohibition of `role` that bars `capability`, if the role's profile lists one. */
export function prohibitionFor(role: Role, capability: Capability): Prohibition | null {
  const p = DENIED_BY[capability];
  return p && ROLE_PROFILES[role].mayNot.includes(p) ? p : null;
}

/** Every capability `role` holds, in table order: what pages and answers offer as actions. */
export function capabilitiesOf(role: Role): Capability[] {
  return CAPABILITIES.filter((c) => can(role, c));
}
