/**
 * Demo service requests for SEED=demo, made through the real service (so the rules, due dates, history, audit and
 * answer mail are the real ones) with clocks set in the past: requests of the last six weeks in several offices,
 * some claimed, answered (one flagged as a form letter), reopened by the person, and, after a sweep at today's
 * date, overdue and closed ones. The demo office account (VSC) finds work in its queue.
 */
import type { Actor, StaffUser } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { pendingCasesOf } from '../cases/store.ts';
import type { Db } from '../platform/db/database.ts';
import type { ServiceRequestService } from './service.ts';

/** Which offices get demo requests, and how many. */
const OFFICES: ReadonlyArray<{ office: string; count: number }> = [
  { office: 'VSC', count: 24 }, { office: 'CSC', count: 10 }, { office: 'NBC', count: 10 }, { office: 'NSC', count: 6 }, { office: 'TSC', count: 6 },
];

const KINDS: ReadonlyArray<{ type: string; details: string; extra?: Record<string, unknown> }> = [
  { type: 'other', details: 'The caller asks why the biometrics appointment notice never came. They moved in March.' },
  { type: 'appointment-reschedule', details: 'The interview is on the day of the caller\'s surgery. They ask for a new date in the next month.' },
  { type: 'typographical-error', details: 'The receipt notice spells the applicant\'s family name "Garcia" without the accent and with one letter missing.' },
  { type: 'accommodation', details: 'The applicant uses a wheelchair and asks for an interview room on the ground floor.' },
  { type: 'expedite', details: 'The applicant has a job offer that ends if the work permit does not arrive by next month.', extra: { expediteCriterion: 'severe-financial-loss', urgency: 'urgent' } },
  { type: 'change-of-address', details: 'The applicant moved; mail to the old address comes back.', extra: { newAddress: '418 Elm Street, Apt 2, Burlington, VT 05401' } },
];

const ANSWERS = [
  'We reviewed your case today. Your file was waiting for a background check, which is now complete. An officer will decide within 30 days and we will mail the decision.',
  'We moved your interview to a new date and mailed a new appointment notice on the day of this answer. Bring the new notice and your ID to the interview.',
  'We corrected the spelling of your name in our system and mailed a corrected receipt notice. You do not need to do anything else.',
];
const FORM_LETTER = 'Your case is pending. Please wait for a decision. Thank you for your patience with this process.';

export interface DemoRequestsResult {
  /** How many offices got requests. */
  offices: number;
  created: number;
  claimed: number;
  answered: number;
  reopened: number;
  overdue: number;
  closed: number;
}

/** The demo accounts the seed acts as: agents make requests, office staff work them, a supervisor reviews. */
export interface DemoActors {
  tier1: StaffUser;
  tier2: StaffUser;
  supervisor: StaffUser;
  /** Office accounts by office code. */
  offices: Record<string, StaffUser>;
}

const DAY = 86_400_000;
const staff = (user: StaffUser): Actor => ({ kind: 'staff', user, sessionId: 'demo-seed' });

/** Makes the demo requests (only when there are none yet and cases are loaded); returns what it did. */
export async function seedDemoServiceRequests(db: Db, requests: ServiceRequestService, actors: DemoActors, now: Date = new Date()): Promise<DemoRequestsResult> {
  const result: DemoRequestsResult = { offices: OFFICES.length, created: 0, claimed: 0, answered: 0, reopened: 0, overdue: 0, closed: 0 };
  const at = (daysAgo: number) => requests.withClock(() => new Date(now.getTime() - daysAgo * DAY));
  let n = 0;
  for (const { office, count } of OFFICES) {
    const cases = await pendingCasesOf(db, office, count * 2);
    let made = 0;
    for (const c of cases) {
      if (made >= count) break;
      const kind = KINDS[n % KINDS.length]!;
      // Spread over the last 45 days, the oldest first: the older ones are past their due dates.
      const daysAgo = Math.round(45 - (made * 44) / Math.max(1, count - 1));
      const maker = n % 3 === 0 ? actors.tier2 : actors.tier1;
      n++;
      const service = at(daysAgo);
      let referral: string;
      try {
        const answer = await service.create(staff(maker), { receiptNumber: c.receipt_number, type: kind.type, details: kind.details, ...kind.extra }, { scope: 'demo', key: null, requestHash: '' });
        referral = (JSON.parse(answer.body) as { referralNumber: string }).referralNumber;
      } catch (err) {
        if (err instanceof AppError) continue; // a rule refused this case for this kind (e.g. a protected category): try the next case
        throw err;
      }
      made++;
      result.created++;
      const worker = actors.offices[office];
      if (!worker) continue;
      const applicant = JSON.parse(c.applicant) as { name: string; dateOfBirth: string };
      // Of each office's requests: every third stays open, the others are claimed; some of those answered.
      if (made % 3 === 1) continue;
      await at(daysAgo - 1).claim(staff(worker), referral);
      result.claimed++;
      if (made % 3 === 2 || daysAgo < 4) continue;
      const flagged = made % 7 === 0;
      await at(daysAgo - 3).respond(staff(worker), referral, flagged ? FORM_LETTER : ANSWERS[made % ANSWERS.length]!);
      result.answered++;
      if (flagged) {
        await at(daysAgo - 4).review(staff(actors.supervisor), referral, { formLetter: true, note: 'Says nothing about this case.' });
        await at(daysAgo - 5).publicReopen(referral, { receiptNumber: c.receipt_number, verification: applicant, reason: 'The answer does not say anything about my case.' });
        result.reopened++;
      }
    }
  }
  const swept = await requests.withClock(() => now).sweep();
  result.overdue = swept.overdue;
  result.closed = swept.closed;
  return result;
}
