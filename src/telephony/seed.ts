/**
 * Demo calls that came in through the phone menu (SEED=demo): played through TelephonyService step by step with
 * clocks in the past, as the signed webhooks would play them, each ended by the platform's status callback, so
 * they are contact records with source "platform" (found by phone number, on the case's caller's history) and
 * rows of telephony_calls with their language, receipt number and queue. A status heard in English and in
 * Spanish, callers queued for Tier 1 in both languages and for Tier 2's military line, one who gave up in the menu.
 */
import type { Db } from '../platform/db/database.ts';
import { pendingCasesOf } from '../cases/store.ts';
import type { TelephonyService } from './service.ts';

const MINUTE = 60_000;

interface DemoCall {
  minutesAgo: number;
  /** Call length in seconds, as the status callback's CallDuration. */
  seconds: number;
  phone: string;
  /** Keys pressed, one entry per step: language, menu, and for a status the receipt's prefix key and digits. */
  keys: Array<'receipt' | string>;
}

const CALLS: DemoCall[] = [
  { minutesAgo: 60 * 26, seconds: 142, phone: '+12025550111', keys: ['1', '1', 'receipt'] },
  { minutesAgo: 60 * 20, seconds: 171, phone: '+13055550122', keys: ['2', '1', 'receipt'] },
  { minutesAgo: 60 * 8, seconds: 488, phone: '+17135550133', keys: ['1', '2'] },
  { minutesAgo: 60 * 5, seconds: 610, phone: '+13125550144', keys: ['2', '2'] },
  { minutesAgo: 60 * 3, seconds: 905, phone: '+12105550155', keys: ['1', '3'] },
  { minutesAgo: 90, seconds: 37, phone: '+16175550166', keys: ['2', '9', '9', '9'] },
];

export interface DemoTelephonyResult {
  calls: number;
  recorded: number;
}

export async function seedDemoTelephony(db: Db, telephony: TelephonyService, now: Date = new Date()): Promise<DemoTelephonyResult> {
  const receipts = (await pendingCasesOf(db, 'VSC', 2)).map((r) => r.receipt_number);
  const result: DemoTelephonyResult = { calls: 0, recorded: 0 };
  for (const [n, call] of CALLS.entries()) {
    const start = now.getTime() - call.minutesAgo * MINUTE;
    let at = start;
    const svc = () => telephony.withClock(() => new Date(at));
    const params = { CallSid: `CAdemo${String(n + 1).padStart(28, '0')}`, From: call.phone, To: '+18003755283', CallStatus: 'in-progress', Direction: 'inbound' };
    let step = await svc().voice(params);
    for (const key of call.keys) {
      if (!step.gather) break;
      at += 20_000;
      const url = new URL(step.gather.action, 'http://x');
      const name = url.pathname.slice('/telephony/'.length) as Parameters<TelephonyService['step']>[0];
      let digits = key;
      if (key === 'receipt') {
        const receipt = receipts[n % Math.max(1, receipts.length)];
        if (!receipt) break;
        // Two steps: the prefix's key, then the ten digits.
        step = await svc().step(name, Object.fromEntries(url.searchParams), { ...params, Digits: String(telephony.prefixes.indexOf(receipt.slice(0, 3)) + 1) });
        if (!step.gather) break;
        at += 25_000;
        const next = new URL(step.gather.action, 'http://x');
        digits = receipt.slice(3);
        step = await svc().step(next.pathname.slice('/telephony/'.length) as typeof name, Object.fromEntries(next.searchParams), { ...params, Digits: digits });
        continue;
      }
      step = await svc().step(name, Object.fromEntries(url.searchParams), { ...params, Digits: digits });
    }
    at = start + call.seconds * 1000;
    const r = await svc().status({ ...params, CallStatus: 'completed', CallDuration: String(call.seconds) });
    result.calls++;
    if (r.stored) result.recorded++;
  }
  return result;
}
