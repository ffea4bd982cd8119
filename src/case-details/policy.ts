/** The numbers and lists of case details and notices, as named constants. */
import type { Capability } from '../domain/capabilities.ts';

/** A re-issue request's reason: long enough to say why, short enough to read. */
export const REISSUE_REASON_LIMITS = { minChars: 10, maxChars: 2000 } as const;

/** The status Switchboard adds to a case's history when its office mails a duplicate notice. */
export const DUPLICATE_NOTICE_STATUS = 'duplicate-notice-was-mailed';

/** The notice types an office may issue here (CONTRACT.md section 9: duplicates only). */
export const ISSUABLE_NOTICE_TYPES = ['duplicate'] as const;

/**
 * The actions a case view offers, each a capability of the matrix; `holdingOffice` ones only to staff of the
 * office holding the case (others never see the case anyway). The order is the order pages show them in.
 */
export const CASE_ACTIONS: ReadonlyArray<{ action: Capability; holdingOffice: boolean }> = [
  { action: 'create-service-request', holdingOffice: false },
  { action: 'request-notice-reissue', holdingOffice: false },
  { action: 'issue-duplicate-notice', holdingOffice: true },
  { action: 'view-rfe', holdingOffice: true },
];
