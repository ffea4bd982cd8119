/**
 * The phone menu (CONTRACT.md section 8a): what each voice webhook answers, as a Step (twiml.ts writes it as TwiML).
 *
 *   POST /telephony/voice                     a new call: the language menu (1 English, 2 Spanish)
 *   POST /telephony/language?try=N            Digits → the main menu in that language
 *   POST /telephony/menu?lang=L&try=N         1 case status by receipt number, 2 an agent (Tier 1), 3 military families (Tier 2)
 *   POST /telephony/prefix?lang=L&try=N       the receipt number's three letters, one key per prefix of the agency
 *   POST /telephony/receipt?lang=L&prefix=P   the ten digits (# ends early) → the public status read back
 *   POST /telephony/after-status?lang=L       1 an agent, 2 another receipt number, nothing: goodbye
 *   POST /telephony/status                    the status callback: a completed call becomes a contact record
 *
 * Each menu is offered MAX_TRIES times (a wrong key or no key is a try), then the call ends politely. The call's
 * language, receipt number and queue are kept in telephony_calls under its CallSid, so the contact record knows
 * them. The status read back is Case Status Online's title and description, nothing more.
 */
import type { Db } from '../platform/db/database.ts';
import type { Agency } from '../platform/reference.ts';
import type { Actor } from '../platform/actor.ts';
import type { CaseStatusService } from '../case-status/service.ts';
import type { ProcessingTimeService } from '../processing-times/service.ts';
import type { ContactService, LoadResult } from '../contacts/service.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import type { Spoken, Step } from './twiml.ts';
import {
  HANDLE_TIME_SAMPLE, HANDLE_TIME_WINDOW_DAYS, MAX_TRIES, MENU_TIMEOUT_SECONDS, RECEIPT_DIGITS, RECEIPT_TIMEOUT_SECONDS, SIGNED_IN_MINUTES, WAITING_WINDOW_MINUTES,
} from './policy.ts';
import * as store from './store.ts';

export interface TelephonyDeps {
  db: Db;
  caseStatus: Pick<CaseStatusService, 'find' | 'receiptNumber'>;
  processingTimes: Pick<ProcessingTimeService, 'inquiryByReceipt'>;
  contacts: Pick<ContactService, 'storeRecords'>;
  agency: Pick<Agency, 'receiptPrefixes' | 'shortName' | 'contactCenterPhone'>;
  clock?: () => Date;
}

/** The form parameters of a webhook (Twilio's names). */
export type Params = Readonly<Record<string, string | undefined>>;

/** The follow-on steps, by the last part of their path. */
export const STEPS = ['language', 'menu', 'prefix', 'receipt', 'after-status'] as const;
export type StepName = (typeof STEPS)[number];
export const isStep = (v: string): v is StepName => (STEPS as readonly string[]).includes(v);

/** A queue by tier, skill and language: tier1-en, tier1-es, tier2-military-en, tier2-military-es. */
export type Tier = 'tier1' | 'tier2';
export const queueName = (tier: Tier, skill: 'general' | 'military', lang: Lang): string => `${tier}${skill === 'military' ? '-military' : ''}-${lang}`;

export interface WaitEstimate {
  /** Null when there is no basis (no agents signed in with the skills, or no ended calls to measure). */
  minutes: number | null;
  waitingAhead: number;
  agents: number;
  averageHandleMinutes: number | null;
}

/** The actor of the signed webhooks: the platform, already authorized by its signature. */
const PLATFORM: Actor = { kind: 'system' };

const spell = (s: string) => s.split('').join(' ');

export class TelephonyService {
  readonly #now: () => Date;

  constructor(private readonly deps: TelephonyDeps) {
    this.#now = deps.clock ?? (() => new Date());
  }

  /** The same service on another clock (the demo plays calls in the past). */
  withClock(clock: () => Date): TelephonyService {
    return new TelephonyService({ ...this.deps, clock });
  }

  /** The receipt prefixes in key order (key 1 is the first prefix of the agency's list). */
  get prefixes(): readonly string[] {
    return this.deps.agency.receiptPrefixes;
  }

  // ── the webhooks ──────────────────────────────────────────────────────────────────────────────────────────

  /** POST /telephony/voice: a new call. */
  async voice(params: Params): Promise<Step> {
    await this.#touch(params);
    const welcome: Spoken[] = (['en', 'es'] as const).map((lang) => ({ lang, text: translator(lang)('telephony.say.welcome', { agency: this.deps.agency.shortName }) }));
    return { ...this.#languageMenu(1), says: welcome };
  }

  /** A follow-on step: the keys pressed for the menu that step names. */
  async step(name: StepName, query: Params, params: Params): Promise<Step> {
    const callSid = await this.#touch(params);
    const lang: Lang = query.lang === 'es' ? 'es' : 'en';
    const tries = Math.max(1, Math.min(MAX_TRIES, Number.parseInt(query.try ?? '1', 10) || 1));
    const digits = (params.Digits ?? '').trim();
    switch (name) {
      case 'language': {
        if (digits === '1' || digits === '2') {
          const chosen: Lang = digits === '1' ? 'en' : 'es';
          if (callSid) await store.updateCall(this.deps.db, callSid, { language: chosen });
          return this.#mainMenu(chosen, 1, []);
        }
        return this.#retry(tries, 'en', () => ({ ...this.#languageMenu(tries + 1), says: this.#bothLanguages('telephony.say.notUnderstood') }), true);
      }
      case 'menu': {
        if (callSid) await store.updateCall(this.deps.db, callSid, { language: lang });
        if (digits === '1') return this.#prefixMenu(lang, 1, []);
        if (digits === '2') return this.#enqueue(callSid, 'tier1', 'general', lang);
        if (digits === '3') return this.#enqueue(callSid, 'tier2', 'military', lang);
        return this.#retry(tries, lang, () => this.#mainMenu(lang, tries + 1, [this.#say(lang, 'telephony.say.notUnderstood')]));
      }
      case 'prefix': {
        const index = /^\d+$/.test(digits) ? Number(digits) - 1 : -1;
        const prefix = this.prefixes[index];
        if (prefix) return this.#digitsPrompt(lang, index + 1, 1, []);
        return this.#retry(tries, lang, () => this.#prefixMenu(lang, tries + 1, [this.#say(lang, 'telephony.say.notUnderstood')]));
      }
      case 'receipt': {
        const key = Number.parseInt(query.prefix ?? '', 10);
        const prefix = this.prefixes[key - 1];
        if (!prefix) return this.#prefixMenu(lang, 1, []);
        if (!new RegExp(`^\\d{${RECEIPT_DIGITS}}$`).test(digits)) {
          return this.#retry(tries, lang, () => this.#digitsPrompt(lang, key, tries + 1, [this.#say(lang, 'telephony.say.badDigits', { count: RECEIPT_DIGITS })]));
        }
        return this.#status(callSid, lang, key, `${prefix}${digits}`, tries);
      }
      case 'after-status': {
        if (digits === '1') return this.#enqueue(callSid, 'tier1', 'general', lang);
        if (digits === '2') return this.#prefixMenu(lang, 1, []);
        return { says: [this.#say(lang, 'telephony.say.thanks')], gather: null, enqueue: null, hangup: true };
      }
    }
  }

  /**
   * POST /telephony/status. A completed call (with CallDuration) becomes a contact record, once per CallSid
   * (ContactService.storeRecords keeps one per external id); other statuses record nothing.
   */
  async status(params: Params, traceId?: string): Promise<{ stored: boolean; result: LoadResult | null }> {
    const callSid = params.CallSid?.trim();
    const duration = params.CallDuration?.trim() ?? '';
    if (params.CallStatus !== 'completed' || !callSid || !/^\d{1,6}$/.test(duration)) return { stored: false, result: null };
    const now = this.#now();
    const call = await store.findCall(this.deps.db, callSid);
    const startedAt = call?.started_at ?? new Date(now.getTime() - Number(duration) * 1000).toISOString();
    const tier: Tier = call?.tier === 'tier2' ? 'tier2' : 'tier1';
    // The phone menu alone: the status heard is a resolved call; a call that ended in the menu, dropped. A queued
    // call's disposition is the agent's to give (bridging to an agent is not part of Switchboard yet).
    const disposition = call?.outcome === 'queued' ? undefined : call?.outcome === 'status-heard' ? 'resolved' : 'dropped';
    const language = call?.language === 'es' ? 'es' : 'en';
    const record = {
      externalId: callSid, startedAt, endedAt: now.toISOString(), callerPhone: params.From ?? call?.caller_phone ?? '', tier,
      ...(disposition ? { disposition } : {}),
    };
    const result = await this.deps.contacts.storeRecords(PLATFORM, [record], traceId, { language: () => language });
    if (call) await store.markRecorded(this.deps.db, callSid, now.toISOString());
    return { stored: result.accepted === 1, result };
  }

  /** The estimated wait of a queue (policy.ts explains the formula). */
  async estimateWait(queue: string, tier: Tier, skills: readonly string[], lang: Lang, callSid: string): Promise<WaitEstimate> {
    const now = this.#now();
    const waitingAhead = await store.waitingInQueue(this.deps.db, queue, new Date(now.getTime() - WAITING_WINDOW_MINUTES * 60_000).toISOString(), callSid);
    const agents = await store.agentsSignedIn(this.deps.db, tier, skills, new Date(now.getTime() - SIGNED_IN_MINUTES * 60_000).toISOString(), now.toISOString());
    const ended = await store.endedCallTimes(this.deps.db, tier, lang, new Date(now.getTime() - HANDLE_TIME_WINDOW_DAYS * 86_400_000).toISOString(), HANDLE_TIME_SAMPLE);
    const lengths = ended.map((r) => (Date.parse(r.ended_at) - Date.parse(r.started_at)) / 60_000).filter((m) => Number.isFinite(m) && m >= 0);
    const averageHandleMinutes = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : null;
    const minutes = agents === 0 || averageHandleMinutes === null ? null : Math.ceil((waitingAhead * averageHandleMinutes) / agents);
    return { minutes, waitingAhead, agents, averageHandleMinutes };
  }

  // ── the menus ─────────────────────────────────────────────────────────────────────────────────────────────

  async #touch(params: Params): Promise<string | null> {
    const callSid = params.CallSid?.trim().slice(0, 64);
    if (!callSid) return null;
    await store.touchCall(this.deps.db, { callSid, callerPhone: params.From?.slice(0, 40) ?? null, calledPhone: params.To?.slice(0, 40) ?? null, at: this.#now().toISOString() });
    return callSid;
  }

  #say(lang: Lang, key: string, vars?: Record<string, string | number>): Spoken {
    return { lang, text: translator(lang)(key, vars) };
  }

  #bothLanguages(key: string): Spoken[] {
    return [this.#say('en', key), this.#say('es', key)];
  }

  /** The next try of a menu, or after MAX_TRIES a polite end (in both languages before one is chosen). */
  #retry(tries: number, lang: Lang, again: () => Step, bothLanguages = false): Step {
    if (tries < MAX_TRIES) return again();
    const says = bothLanguages ? this.#bothLanguages('telephony.say.tooManyTries') : [this.#say(lang, 'telephony.say.tooManyTries')];
    return { says, gather: null, enqueue: null, hangup: true };
  }

  #languageMenu(tries: number): Step {
    return {
      says: [],
      gather: { action: `/telephony/language?try=${tries}`, numDigits: 1, timeout: MENU_TIMEOUT_SECONDS, prompts: this.#bothLanguages('telephony.say.chooseLanguage') },
      enqueue: null, hangup: false,
    };
  }

  #mainMenu(lang: Lang, tries: number, says: Spoken[]): Step {
    return {
      says,
      gather: { action: `/telephony/menu?lang=${lang}&try=${tries}`, numDigits: 1, timeout: MENU_TIMEOUT_SECONDS, prompts: [this.#say(lang, 'telephony.say.menu')] },
      enqueue: null, hangup: false,
    };
  }

  #prefixMenu(lang: Lang, tries: number, says: Spoken[]): Step {
    const options = this.prefixes.map((p, i) => this.#say(lang, 'telephony.say.prefixOption', { letters: spell(p), key: i + 1 }));
    return {
      says,
      gather: {
        action: `/telephony/prefix?lang=${lang}&try=${tries}`, numDigits: String(this.prefixes.length).length, timeout: MENU_TIMEOUT_SECONDS,
        prompts: [this.#say(lang, 'telephony.say.prefixIntro'), ...options],
      },
      enqueue: null, hangup: false,
    };
  }

  #digitsPrompt(lang: Lang, key: number, tries: number, says: Spoken[]): Step {
    const letters = spell(this.prefixes[key - 1]!);
    return {
      says,
      gather: {
        action: `/telephony/receipt?lang=${lang}&prefix=${key}&try=${tries}`, numDigits: RECEIPT_DIGITS, timeout: RECEIPT_TIMEOUT_SECONDS,
        prompts: [this.#say(lang, 'telephony.say.digits', { count: RECEIPT_DIGITS, letters })],
      },
      enqueue: null, hangup: false,
    };
  }

  async #status(callSid: string | null, lang: Lang, key: number, receipt: string, tries: number): Promise<Step> {
    const found = await this.deps.caseStatus.find(receipt);
    if (!found) {
      const unknown = this.#say(lang, 'telephony.say.unknown', { agency: this.deps.agency.shortName, phone: spell(this.deps.agency.contactCenterPhone.replace(/-/g, '')) });
      return this.#retry(tries, lang, () => this.#digitsPrompt(lang, key, tries + 1, [unknown]));
    }
    const says: Spoken[] = [
      this.#say(lang, 'telephony.say.statusIntro', { receipt: spell(receipt) }),
      { lang, text: found.current.title[lang] },
      { lang, text: found.current.description[lang] },
    ];
    const inquiry = await this.deps.processingTimes.inquiryByReceipt(receipt).catch(() => null);
    if (inquiry?.outsideNormalProcessingTime) says.push(this.#say(lang, 'telephony.say.outside'));
    if (callSid) await store.updateCall(this.deps.db, callSid, { receipt_number: receipt, outcome: 'status-heard', language: lang });
    return {
      says,
      gather: { action: `/telephony/after-status?lang=${lang}`, numDigits: 1, timeout: MENU_TIMEOUT_SECONDS, prompts: [this.#say(lang, 'telephony.say.afterStatus')] },
      enqueue: null, hangup: false,
    };
  }

  async #enqueue(callSid: string | null, tier: Tier, skill: 'general' | 'military', lang: Lang): Promise<Step> {
    const queue = queueName(tier, skill, lang);
    const skills = skill === 'military' ? [lang, 'military'] : [lang];
    const wait = await this.estimateWait(queue, tier, skills, lang, callSid ?? '');
    const now = this.#now().toISOString();
    if (callSid) await store.updateCall(this.deps.db, callSid, { tier, queue, enqueued_at: now, outcome: 'queued', language: lang });
    const waitSay = wait.minutes === null ? this.#say(lang, 'telephony.say.wait.unknown')
      : wait.minutes === 0 ? this.#say(lang, 'telephony.say.wait.next')
        : this.#say(lang, wait.minutes === 1 ? 'telephony.say.wait.one' : 'telephony.say.wait.minutes', { minutes: wait.minutes });
    return {
      says: [this.#say(lang, skill === 'military' ? 'telephony.say.queueMilitary' : 'telephony.say.queue'), waitSay],
      gather: null, enqueue: queue, hangup: false,
    };
  }
}
