/**
 * The contact center's rules, read once at start-up from reference/<agency>/contact-center.json and checked: a bad
 * file stops the start naming the entry. Numbers that are ours, not the agency's, are named constants below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ContactCenterPolicy {
  verification: { maxFailures: number; withinHours: number; lockHours: number };
  callbacks: { urgentHours: number; regularBusinessDays: number; closesAt: string; reminderHoursBefore: number; failedAttemptsToMiss: number };
  liveHelp: { en: string; es: string };
  dispositions: string[];
}

const positiveInt = (v: unknown, name: string, max: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return v;
};

/** Checks a parsed policy file; Error naming the bad entry. */
export function checkContactCenterPolicy(raw: unknown): ContactCenterPolicy {
  const o = (raw ?? {}) as Record<string, Record<string, unknown>>;
  const v = o.verification ?? {};
  const c = o.callbacks ?? {};
  const live = (o.liveHelp ?? {}) as Record<string, unknown>;
  if (typeof c.closesAt !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(c.closesAt)) throw new Error('callbacks.closesAt must be HH:MM');
  if (typeof live.en !== 'string' || typeof live.es !== 'string') throw new Error('liveHelp needs "en" and "es"');
  const dispositions = (o as Record<string, unknown>).dispositions;
  if (!Array.isArray(dispositions) || dispositions.length === 0 || !dispositions.every((d) => typeof d === 'string' && /^[a-z][a-z-]*$/.test(d))) {
    throw new Error('dispositions must be a list of kebab-case names');
  }
  return {
    verification: {
      maxFailures: positiveInt(v.maxFailures, 'verification.maxFailures', 20),
      withinHours: positiveInt(v.withinHours, 'verification.withinHours', 720),
      lockHours: positiveInt(v.lockHours, 'verification.lockHours', 720),
    },
    callbacks: {
      urgentHours: positiveInt(c.urgentHours, 'callbacks.urgentHours', 720),
      regularBusinessDays: positiveInt(c.regularBusinessDays, 'callbacks.regularBusinessDays', 120),
      closesAt: c.closesAt,
      reminderHoursBefore: positiveInt(c.reminderHoursBefore, 'callbacks.reminderHoursBefore', 240),
      failedAttemptsToMiss: positiveInt(c.failedAttemptsToMiss, 'callbacks.failedAttemptsToMiss', 10),
    },
    liveHelp: { en: live.en, es: live.es },
    dispositions: dispositions as string[],
  };
}

export function loadContactCenterPolicy(agency: string, root: string = ROOT): ContactCenterPolicy {
  const file = path.join(root, 'reference', agency, 'contact-center.json');
  try {
    return checkContactCenterPolicy(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** A note, a reason or an end-of-call note: long enough to say something, at most a page. */
export const TEXT_LIMITS = { note: { min: 1, max: 4000 }, reason: { min: 10, max: 2000 } } as const;

/** The most contact records one POST /api/v1/contact-records may carry (the body is also held to 1 MiB). */
export const MAX_RECORDS_PER_LOAD = 5000;

/** The longest call a platform record may describe (a record longer than a working day is a platform error). */
export const MAX_CALL_HOURS = 12;
