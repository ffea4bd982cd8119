/** Webhooks out: the events an endpoint may ask for, the signature's shape, and the limits of a delivery. */

/** The events Switchboard sends (issue 12 item 4), and `ping`, which only "Send a test event" sends. */
export const WEBHOOK_EVENTS = [
  'service-request.created',
  'service-request.answered',
  'service-request.overdue',
  'callback.missed',
  'case.status-changed',
  'ombudsman-request.received',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export type AnyWebhookEvent = WebhookEventType | 'ping';

export const isWebhookEvent = (s: unknown): s is WebhookEventType => typeof s === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(s);

/** The headers of every delivery. */
export const SIGNATURE_HEADER = 'Switchboard-Signature';
export const EVENT_ID_HEADER = 'Switchboard-Event-Id';
export const EVENT_TYPE_HEADER = 'Switchboard-Event';

/** A receiver should refuse a signature whose timestamp is further than this from its own clock (docs/webhooks.md). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A receiver has this long to answer a delivery; longer counts as a failed attempt (retried like any other). */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Limits of an endpoint's registration. */
export const ENDPOINT_LIMITS = { urlMax: 2000, descriptionMax: 200, maxEndpoints: 50 } as const;

/** The delivery log is read 25 at a time. */
export const DELIVERIES_PAGE_SIZE = 25;

/** Hosts an http:// endpoint may name when WEBHOOKS_ALLOW_HTTP_LOCALHOST is set (tests, a receiver on the same machine). */
export const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;
