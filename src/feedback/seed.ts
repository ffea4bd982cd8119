/**
 * Demo feedback for SEED=demo, recorded through the real service (its checks and audit entries) with clocks set in
 * the past: "Was this page helpful?" answered Yes and No (with the reasons ticked and a comment) on several public
 * pages, in English and Spanish, and comments about the Contact Center from the longer comment page, all in the
 * last three weeks, so the staff list (/staff/feedback) and the contact center report have something to show.
 */
import type { Actor } from '../platform/actor.ts';
import type { FeedbackService, FeedbackSource } from './service.ts';
import type { ReasonCode } from './policy.ts';

export interface DemoFeedbackResult { answers: number; helpful: number; notHelpful: number; contactCenterComments: number }

interface DemoAnswer { daysAgo: number; page: string; helpful?: boolean; reasons?: ReasonCode[]; comment?: string; lang: 'en' | 'es'; aboutContactCenter?: boolean }

const HOUR = 3_600_000;
const PUBLIC: Actor = { kind: 'anonymous' };

const ANSWERS: readonly DemoAnswer[] = [
  { daysAgo: 20, page: '/case-status', helpful: true, lang: 'en' },
  { daysAgo: 19, page: '/case-status', helpful: true, lang: 'es' },
  { daysAgo: 18, page: '/processing-times', helpful: false, reasons: ['confusing'], comment: 'I could not tell which office has my case, so I do not know which time applies to me.', lang: 'en' },
  { daysAgo: 16, page: '/guidance/contact-center-call', helpful: true, lang: 'en' },
  { daysAgo: 15, page: '/guidance/contact-center-call', helpful: false, reasons: ['not-what-i-looked-for', 'other'], comment: 'Quería saber cuánto tiempo hay que esperar al teléfono.', lang: 'es' },
  { daysAgo: 13, page: '/prepare', helpful: true, lang: 'en' },
  { daysAgo: 12, page: '/priority-date', helpful: false, reasons: ['outdated'], lang: 'en' },
  { daysAgo: 10, page: '/case-status', helpful: false, reasons: ['confusing'], comment: 'The status says "Case Is Being Actively Reviewed" for months. What does it mean?', lang: 'en' },
  { daysAgo: 9, page: '/ask', helpful: true, lang: 'es' },
  { daysAgo: 7, page: '/ombudsman/case-assistance', helpful: true, lang: 'en' },
  { daysAgo: 5, page: '/processing-times', helpful: true, lang: 'en' },
  { daysAgo: 3, page: '/call-record', helpful: false, reasons: ['broken-links'], lang: 'en' },
  { daysAgo: 2, page: '/case-status', helpful: true, lang: 'en' },
  // Comments about the Contact Center (/feedback).
  { daysAgo: 17, page: '/feedback', comment: 'The agent was patient and explained the notice to my father in Spanish. Thank you.', lang: 'en', aboutContactCenter: true },
  { daysAgo: 11, page: '/feedback', comment: 'Esperé 40 minutos y la llamada se cortó. Nadie me devolvió la llamada.', lang: 'es', aboutContactCenter: true },
  { daysAgo: 4, page: '/feedback', comment: 'The callback came when I was told it would, and the officer had my case in front of her.', lang: 'en', aboutContactCenter: true },
];

/** Records the demo answers; `now` is the demo's present. */
export async function seedDemoFeedback(feedback: FeedbackService, now: Date = new Date()): Promise<DemoFeedbackResult> {
  const result: DemoFeedbackResult = { answers: 0, helpful: 0, notHelpful: 0, contactCenterComments: 0 };
  for (const [i, a] of ANSWERS.entries()) {
    const source: FeedbackSource = a.aboutContactCenter ? 'comment-page' : 'page-form';
    const at = feedback.withClock(() => new Date(now.getTime() - a.daysAgo * 24 * HOUR + (i % 7) * HOUR));
    await at.record(PUBLIC, { page: a.page, helpful: a.helpful, reasons: a.reasons, comment: a.comment }, { source, lang: a.lang, aboutContactCenter: a.aboutContactCenter === true });
    result.answers++;
    if (a.helpful === true) result.helpful++;
    if (a.helpful === false) result.notHelpful++;
    if (a.aboutContactCenter) result.contactCenterComments++;
  }
  return result;
}
