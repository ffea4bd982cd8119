/** Configuration from the environment, checked once at start-up: a bad value stops the process with a clear message. */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL, or null for the embedded SQLite file under dataDir. */
  databaseUrl: string | null;
  seed: 'demo' | 'none';
  logLevel: string;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  trustProxy: string[];
  publicRateLimit: number;
  /** The folder under reference/ holding the agency's data (its time zone, offices, forms, statuses). */
  agency: string;
  /** Set the Secure flag on cookies (on by default when NODE_ENV=production). */
  secureCookies: boolean;
  /** Argon2 memory cost in KiB; lowered only by tests. */
  passwordMemoryKiB: number;
  /** Where outgoing mail is delivered (smtp:// or smtps://), or null: mail then stays in the outbox, readable by admins. */
  smtpUrl: string | null;
  /** The From address of outgoing mail. */
  mailFrom: string;
  /** The address people reach Switchboard at (links in mail), without a trailing slash. */
  publicUrl: string;
  /** The auth token voice webhooks (/telephony/*) are signed with, or null: those webhooks then answer 503. */
  twilioAuthToken: string | null;
  /**
   * Text messages through Twilio (src/outbox/sms.ts): TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM (an
   * E.164 number or a Messaging Service SID), and TWILIO_API_URL to send them elsewhere; null without all three
   * (texts then stay in the outbox, readable by admins).
   */
  sms: { accountSid: string; authToken: string; from: string; apiUrl: string | null } | null;
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST=true: webhook endpoints may be http:// on this machine (tests); otherwise https:// only. */
  webhooksAllowHttpLocalhost: boolean;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function urlWithScheme(raw: string, schemes: string[]): boolean {
  try {
    const u = new URL(raw);
    return schemes.includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Reads the configuration the contract names (PORT, HOST, DATA_DIR, DATABASE_URL, SEED, LOG_LEVEL, TRUST_PROXY, PUBLIC_RATE_LIMIT, PUBLIC_URL, SMTP_URL, MAIL_FROM, TWILIO_AUTH_TOKEN), plus AGENCY. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite database');
  }
  const seed = env.SEED?.trim() || 'demo';
  if (seed !== 'demo' && seed !== 'none') throw new ConfigError(`SEED must be "demo" or "none" (got "${seed}")`);
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!levels.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}`);
  const agency = env.AGENCY?.trim() || 'uscis';
  if (!/^[a-z0-9-]+$/.test(agency)) throw new ConfigError(`AGENCY must name a folder under reference/ (got "${agency}")`);
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !urlWithScheme(smtpUrl, ['smtp:', 'smtps:'])) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:2525; leave it unset to keep mail in the outbox');
  const mailFrom = env.MAIL_FROM?.trim() || 'Switchboard <no-reply@localhost>';
  if (!/^(?:[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(mailFrom)) throw new ConfigError(`MAIL_FROM must be an e-mail address, optionally with a name: "Name <address@example.gov>" (got "${mailFrom}")`);
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!urlWithScheme(publicUrl, ['http:', 'https:'])) throw new ConfigError(`PUBLIC_URL must be an http:// or https:// URL (got "${publicUrl}")`);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    databaseUrl,
    seed,
    logLevel,
    trustProxy: (env.TRUST_PROXY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    publicRateLimit: integer(env, 'PUBLIC_RATE_LIMIT', 60, 1, 1_000_000),
    agency,
    secureCookies: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : env.NODE_ENV === 'production',
    passwordMemoryKiB: integer(env, 'PASSWORD_MEMORY_KIB', 19456, 1024, 1_048_576),
    smtpUrl,
    mailFrom,
    publicUrl,
    twilioAuthToken: env.TWILIO_AUTH_TOKEN?.trim() || null,
    sms: smsConfig(env),
    webhooksAllowHttpLocalhost: env.WEBHOOKS_ALLOW_HTTP_LOCALHOST?.trim() === 'true',
  };
}

/** TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN + TWILIO_SMS_FROM (+ TWILIO_API_URL), or null when the first three are not all set. */
function smsConfig(env: NodeJS.ProcessEnv): Config['sms'] {
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim() || null;
  const authToken = env.TWILIO_AUTH_TOKEN?.trim() || null;
  const from = env.TWILIO_SMS_FROM?.trim() || null;
  if (!accountSid && !from) return null;
  if (!accountSid || !authToken || !from) throw new ConfigError('Text messages need TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM together; leave TWILIO_ACCOUNT_SID and TWILIO_SMS_FROM unset to keep texts in the outbox');
  if (!/^AC[0-9a-f]{32}$/.test(accountSid)) throw new ConfigError('TWILIO_ACCOUNT_SID must be an account SID: AC followed by 32 hex digits');
  if (!/^\+[1-9][0-9]{6,14}$/.test(from) && !/^MG[0-9a-f]{32}$/.test(from)) throw new ConfigError(`TWILIO_SMS_FROM must be a phone number in E.164 (+12025550100) or a Messaging Service SID (MG followed by 32 hex digits) (got "${from}")`);
  const apiUrl = env.TWILIO_API_URL?.trim() || null;
  if (apiUrl && !urlWithScheme(apiUrl, ['https:', 'http:'])) throw new ConfigError('TWILIO_API_URL must be an http:// or https:// URL');
  return { accountSid, authToken, from, apiUrl };
}
