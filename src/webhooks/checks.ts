/** Pure checks of an endpoint's registration: its address and the events it asks for. */
import type { FieldError } from '../platform/errors/catalogue.ts';
import { ENDPOINT_LIMITS, LOCAL_HOSTS, WEBHOOK_EVENTS, isWebhookEvent, type WebhookEventType } from './policy.ts';

/**
 * Why a URL may not receive webhooks, or null: https:// only (with a host, no user name or password, no fragment);
 * http:// only to this machine, and only when WEBHOOKS_ALLOW_HTTP_LOCALHOST allows it (tests).
 */
export function urlProblem(raw: string, allowHttpLocalhost: boolean): 'invalid-url' | 'https-required' | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'invalid-url';
  }
  if (!u.hostname || u.username || u.password || u.hash || raw.length > ENDPOINT_LIMITS.urlMax) return 'invalid-url';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && allowHttpLocalhost && (LOCAL_HOSTS as readonly string[]).includes(u.hostname)) return null;
  return 'https-required';
}

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description: string;
}

/** Reads a registration (the API's JSON or the page's form); every problem names its field. */
export function readEndpoint(body: { url?: unknown; events?: unknown; description?: unknown }, allowHttpLocalhost: boolean): { input: EndpointInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const url = typeof body.url === 'string' ? body.url.trim() : '';
  const urlCode = url ? urlProblem(url, allowHttpLocalhost) : 'required';
  if (urlCode) {
    errors.push({ field: 'url', code: urlCode, detail: urlCode === 'required' ? 'Enter the address that receives the events.'
      : urlCode === 'https-required' ? 'The address must start with https://.' : 'Enter a full address, like https://example.gov/hooks/switchboard.' });
  }
  const raw = body.events === undefined ? [] : Array.isArray(body.events) ? body.events : [body.events];
  const events = [...new Set(raw.filter(isWebhookEvent))];
  if (raw.length === 0) errors.push({ field: 'events', code: 'required', detail: 'Choose at least one event.' });
  else if (events.length !== raw.length) errors.push({ field: 'events', code: 'invalid', detail: `Events are some of: ${WEBHOOK_EVENTS.join(', ')}.` });
  const description = typeof body.description === 'string' ? body.description.trim() : '';
  if (!description) errors.push({ field: 'description', code: 'required', detail: 'Say which system this is, so others know what it is for.' });
  else if (description.length > ENDPOINT_LIMITS.descriptionMax || /[\u0000-\u001f]/.test(description)) {
    errors.push({ field: 'description', code: 'invalid', detail: `At most ${ENDPOINT_LIMITS.descriptionMax} characters on one line.` });
  }
  return { input: { url, events: WEBHOOK_EVENTS.filter((e) => events.includes(e)), description }, errors };
}
