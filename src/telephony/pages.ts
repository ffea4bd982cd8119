/**
 * The call simulator (staff with 'use-call-simulator'): plays the phone menu in the browser through the same
 * webhooks a telephony platform calls, one form per <Gather>, no JavaScript needed (call-simulator.js adds the
 * keyboard's digit keys).
 *   GET  /staff/call-simulator         the start form (the caller's phone number) and whether the webhooks are on
 *   POST /staff/call-simulator/calls   a new call: /telephony/voice
 *   POST /staff/call-simulator/step    the keys pressed for a menu: posted to that menu's own follow-on URL
 * With TWILIO_AUTH_TOKEN set, each step is signed with it (twilio.getExpectedTwilioSignature over PUBLIC_URL + path)
 * and sent through app.inject, so the very webhook route runs, signature check included. Unset, the webhooks answer
 * 503 (the contract); the page says so and plays the menu in practice mode: the same TwiML handlers
 * (TelephonyService), called in-process. Either way the answer is TwiML, read back (twiml.ts) to show what the
 * <Say> elements say. When the call reaches a queue or hangs up, the platform's status callback is simulated too,
 * so the call becomes a contact record.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { normalisePhone } from '../domain/phone-number.ts';
import { isStep, type Params, type TelephonyService } from './service.ts';
import { readTwiml, toTwiml, type Step } from './twiml.ts';

export interface SimulatorDeps {
  telephony: TelephonyService;
  authToken: string | null;
  publicUrl: string;
  /** The agency's contact center number: the number the simulated call dials. */
  contactCenterPhone: string;
  /** app.inject, bound late (the app is not built when pages are registered). */
  inject: (opts: { method: 'POST'; url: string; headers: Record<string, string>; payload: string }) => Promise<{ statusCode: number; body: string }>;
}

const PAGE = 'telephony/views/call-simulator.njk';
const DEFAULT_CALLER = '+12025550142';
const MAX_CALL_SECONDS = 4 * 3600;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Only Switchboard's own follow-on URLs may be posted to (never another path of the app). */
function ownStepUrl(action: string): boolean {
  const u = new URL(action, 'http://x');
  return u.origin === 'http://x' && u.pathname.startsWith('/telephony/') && isStep(u.pathname.slice('/telephony/'.length));
}

export function callSimulatorPages(app: FastifyInstance, deps: SimulatorDeps): void {
  async function staff(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff' && request.method === 'GET') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return authorize(actor, 'use-call-simulator');
  }

  /** One webhook request as the platform would send it; returns the TwiML answer read back. */
  async function send(path: string, params: Record<string, string>): Promise<{ step: Step; xml: string; via: 'webhook' | 'practice' }> {
    if (deps.authToken) {
      const signature = twilio.getExpectedTwilioSignature(deps.authToken, `${deps.publicUrl}${path}`, params);
      const res = await deps.inject({
        method: 'POST', url: path, payload: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });
      if (res.statusCode !== 200) throw new AppError('unavailable', `The voice webhook answered ${res.statusCode}.`);
      return { step: readTwiml(res.body), xml: res.body, via: 'webhook' };
    }
    const u = new URL(path, 'http://x');
    const name = u.pathname.slice('/telephony/'.length);
    let xml: string;
    if (name === 'voice') xml = toTwiml(await deps.telephony.voice(params));
    else if (name === 'status') {
      await deps.telephony.status(params);
      xml = toTwiml({ says: [], gather: null, enqueue: null, hangup: false });
    } else if (isStep(name)) xml = toTwiml(await deps.telephony.step(name, Object.fromEntries(u.searchParams) as Params, params));
    else throw new AppError('not-found', 'There is no such step of the phone menu.');
    return { step: readTwiml(xml), xml, via: 'practice' };
  }

  async function render(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>, status = 200) {
    resolveLang(request, reply);
    return reply.page(PAGE, {
      titleKey: 'telephony.simulator.title', webhooksOn: deps.authToken !== null, publicUrl: deps.publicUrl,
      defaultCaller: DEFAULT_CALLER, ...context,
    }, status);
  }

  /** The page for a step the call reached; a queue or a hang-up ends the call with a simulated status callback. */
  async function played(request: FastifyRequest, reply: FastifyReply, call: { callSid: string; from: string; startedAt: number; pressed: string | null }, step: Step, via: string, callerHungUp = false) {
    const ended = step.gather === null;
    let stored: boolean | null = null;
    if (ended) {
      const seconds = Math.max(1, Math.min(MAX_CALL_SECONDS, Math.round((Date.now() - call.startedAt) / 1000)));
      await send('/telephony/status', { CallSid: call.callSid, From: call.from, To: deps.contactCenterPhone, CallStatus: 'completed', CallDuration: String(seconds), Direction: 'inbound' });
      stored = true;
    }
    const t = translator(resolveLang(request, reply));
    return render(request, reply, {
      call: { ...call, to: deps.contactCenterPhone },
      outcome: ended ? t('telephony.simulator.ended') : undefined,
      step: {
        says: [...step.says, ...(step.gather?.prompts ?? [])],
        gather: step.gather, enqueue: step.enqueue, hangup: step.hangup, ended, stored, via, callerHungUp,
        multi: (step.gather?.numDigits ?? 1) > 1,
      },
    });
  }

  app.get('/staff/call-simulator', async (request, reply) => {
    if (!(await staff(request, reply))) return reply;
    return render(request, reply, {});
  });

  app.post('/staff/call-simulator/calls', async (request, reply) => {
    if (!(await staff(request, reply))) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raw = text(body.callerPhone).slice(0, 40) || DEFAULT_CALLER;
    const from = normalisePhone(raw);
    if (!from) {
      const t = translator(resolveLang(request, reply));
      return render(request, reply, { errors: { callerPhone: t('telephony.simulator.badPhone') }, values: { callerPhone: raw } }, 400);
    }
    const call = { callSid: `CA${randomBytes(16).toString('hex')}`, from, startedAt: Date.now(), pressed: null };
    const { step, via } = await send('/telephony/voice', { CallSid: call.callSid, From: from, To: deps.contactCenterPhone, CallStatus: 'ringing', Direction: 'inbound' });
    return played(request, reply, call, step, via);
  });

  app.post('/staff/call-simulator/step', async (request, reply) => {
    if (!(await staff(request, reply))) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const callSid = text(body.callSid);
    const from = normalisePhone(text(body.from));
    const action = text(body.action);
    const startedAt = Number(text(body.startedAt));
    if (!/^CA[0-9a-f]{32}$/.test(callSid) || !from || !ownStepUrl(action) || !Number.isFinite(startedAt)) {
      throw new AppError('invalid-request', 'Start the call again: the simulator\'s form was changed.');
    }
    if (text(body.hangup) === 'yes') {
      // The caller hangs up mid-menu: no webhook step, only the platform's status callback.
      return played(request, reply, { callSid, from, startedAt, pressed: null }, { says: [], gather: null, enqueue: null, hangup: true }, deps.authToken ? 'webhook' : 'practice', true);
    }
    const digits = text(body.Digits).replace(/[^0-9*#]/g, '').replace(/#$/, '').slice(0, 20); // the platform drops the key that ends an entry
    const call = { callSid, from, startedAt, pressed: digits };
    const { step, via } = await send(action, { CallSid: callSid, From: from, To: deps.contactCenterPhone, CallStatus: 'in-progress', Direction: 'inbound', Digits: digits });
    return played(request, reply, call, step, via);
  });
}
