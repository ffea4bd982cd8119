/** Status-change alerts as data: how many sign-ups and confirmations a client address, a person and a case may cause. */

/** Sign-ups (API and form) from one client address per hour, on top of the general public limit per minute. */
export const SIGNUPS_PER_CLIENT_PER_HOUR = 20;
/** Confirmation messages to one e-mail address or phone number per day: nobody can be mail-bombed through us. */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3;
/** Sign-ups naming one receipt number per day (a case cannot be used to fan out to many addresses). */
export const SIGNUPS_PER_SUBJECT_PER_DAY = 10;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const ALERT_CHANNELS = ['email', 'sms'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export const ALERT_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The outbox templates of alerts (the report counts them). */
export const TEMPLATE_CONFIRM = 'alert-confirm';
export const TEMPLATE_CHANGED = 'alert-status-changed';
export const ALERT_TEMPLATES = [TEMPLATE_CONFIRM, TEMPLATE_CHANGED] as const;
