/**
 * Text messages of the outbox (channel 'sms': call records, callback notices, status alerts) through Twilio's
 * Programmable Messaging API, with the `twilio` package's own client: `messages.create({ to, from | messagingServiceSid,
 * body })`. Configured by TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM (a number in E.164 or a
 * Messaging Service SID); without all three, texts stay pending in the outbox, readable by admins, like mail
 * without SMTP_URL. TWILIO_API_URL sends the same requests to another base address (a regional edge, a proxy, or a
 * test's local receiver) instead of https://api.twilio.com.
 */
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';

const RequestClient = twilio.RequestClient;

export interface SmsToSend { to: string; body: string }

/** Sends one text; rejects with an error carrying `status` (HTTP), `code` (Twilio's error code) and `final` when refused. */
export interface SmsTransport {
  send(sms: SmsToSend): Promise<{ messageId: string }>;
}

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** A sending number (E.164) or a Messaging Service SID (MG + 32 hex digits). */
  from: string;
  /** Another base address for Twilio's REST API (scheme, host and port; the path is Twilio's). */
  apiUrl?: string | null | undefined;
  /** Per request, milliseconds. */
  timeoutMs?: number;
}

/** A Messaging Service SID rather than a number. */
export const isMessagingServiceSid = (from: string) => /^MG[0-9a-f]{32}$/.test(from);

/** Twilio's client, its requests sent to `apiUrl`'s scheme, host and port instead of Twilio's own. */
class RedirectingClient extends RequestClient {
  constructor(private readonly base: URL, timeout: number) {
    super({ timeout });
  }

  override request<T>(opts: TwilioRequestClient.RequestOptions<T>) {
    const uri = new URL(opts.uri);
    uri.protocol = this.base.protocol;
    uri.host = this.base.host;
    return super.request({ ...opts, uri: uri.toString() });
  }
}

/**
 * Twilio's errors that trying again cannot fix: the request itself was refused (4xx other than 429: an invalid or
 * unreachable number, a recipient who replied STOP (21610), bad credentials). 429 and 5xx are retried.
 */
const finalStatus = (status: number) => status >= 400 && status < 500 && status !== 429;

export function twilioSmsTransport(options: TwilioSmsOptions): SmsTransport {
  const timeout = options.timeoutMs ?? 15_000;
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: options.apiUrl ? new RedirectingClient(new URL(options.apiUrl), timeout) : new RequestClient({ timeout }),
  });
  const sender = isMessagingServiceSid(options.from) ? { messagingServiceSid: options.from } : { from: options.from };
  return {
    async send(sms) {
      try {
        const message = await client.messages.create({ to: sms.to, body: sms.body, ...sender });
        return { messageId: message.sid };
      } catch (err) {
        const e = err as { status?: unknown; code?: unknown } | null;
        const status = typeof e?.status === 'number' ? e.status : undefined;
        const twilioCode = typeof e?.code === 'number' ? e.code : undefined;
        // A short reason without personal data: Twilio's error code, else the HTTP status, else the connection error.
        const reason = twilioCode !== undefined ? `twilio-${twilioCode}` : status !== undefined ? `http-${status}`
          : typeof e?.code === 'string' && /^[A-Z0-9_-]{1,32}$/.test(e.code) ? e.code.toLowerCase() : 'send-failed';
        throw Object.assign(new Error(`SMS refused: ${reason}`), { code: reason, status, final: status !== undefined && finalStatus(status) });
      }
    },
  };
}
