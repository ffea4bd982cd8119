/**
 * What a caller can do online instead of calling, given a case's facts. Rules are rows of data, read in
 * order by one function; each advice code has its copy in the i18n catalogues (prepare.advice.<code>).
 */

export interface CaseFacts {
  status: string;
  decided: boolean;
  outsideNormalProcessingTime: boolean;
  /** Days since the current status was reached. */
  daysInStatus: number;
  protectedCategory: boolean;
  hasPriorityDate: boolean;
}

export type Advice =
  | 'check-status-online'
  | 'wait-processing-time'
  | 'online-inquiry-outside-time'
  | 'change-address-online'
  | 'change-address-by-phone'
  | 'card-not-received'
  | 'respond-to-rfe'
  | 'reschedule-appointment'
  | 'notice-not-received'
  | 'check-visa-bulletin'
  | 'decision-notice';

interface Rule {
  advice: Advice;
  when: (f: CaseFacts) => boolean;
}

const CARD_MAILED = ['card-was-mailed', 'new-card-is-being-produced'];
const RFE = ['request-for-evidence-was-sent', 'request-for-initial-evidence-was-sent'];

/** The rules, in the order the advice is shown. */
export const SELF_SERVICE_RULES: readonly Rule[] = [
  { advice: 'check-status-online', when: () => true },
  { advice: 'wait-processing-time', when: (f) => !f.decided && !f.outsideNormalProcessingTime },
  { advice: 'online-inquiry-outside-time', when: (f) => !f.decided && f.outsideNormalProcessingTime && !f.protectedCategory },
  { advice: 'respond-to-rfe', when: (f) => RFE.includes(f.status) },
  { advice: 'reschedule-appointment', when: (f) => f.status === 'interview-was-scheduled' },
  { advice: 'card-not-received', when: (f) => CARD_MAILED.includes(f.status) && f.daysInStatus >= 30 },
  { advice: 'notice-not-received', when: (f) => f.status === 'notice-was-returned' || f.status === 'card-was-returned' },
  { advice: 'decision-notice', when: (f) => f.decided },
  { advice: 'check-visa-bulletin', when: (f) => f.hasPriorityDate },
  // Protected-category cases (VAWA, T, U) change their address by phone, never online.
  { advice: 'change-address-online', when: (f) => !f.protectedCategory },
  { advice: 'change-address-by-phone', when: (f) => f.protectedCategory },
];

/** The advice that applies to a case, in display order. */
export function selfServiceAdvice(f: CaseFacts): Advice[] {
  return SELF_SERVICE_RULES.filter((r) => r.when(f)).map((r) => r.advice);
}
