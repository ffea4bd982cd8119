/**
 * Demo call reviews for SEED=demo, made through the real service (the call found from what the person remembers,
 * the retention hold, the audit entries) with clocks set in the past, after the demo's calls (src/contacts/seed.ts):
 *   - open: a caller told the Ombudsman that a Tier 2 call six days ago ended without the next step explained;
 *     found from about when, the phone used and the staff ID; the call is held until the review closes;
 *   - closed: the call about a misspelled name five days ago, reviewed and closed with its outcome (hold lifted).
 */
import type { Actor, StaffUser } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { CallReviewService } from './service.ts';

export interface DemoCallReviewsResult { open: number; closed: number; reviewNumbers: string[] }

const HOUR = 3_600_000;
const staff = (user: StaffUser): Actor => ({ kind: 'staff', user, sessionId: 'demo-seed' });

/** What the person remembers of each call (the demo's calls: src/contacts/seed.ts), and what the review found. */
const REVIEWS: ReadonlyArray<{ hoursAgo: number; phone: string; agent: 'tier2' | 'tier1'; concern: string; outcome?: string }> = [
  { hoursAgo: 6 * 24, phone: '(617) 555-0121', agent: 'tier2',
    concern: 'The caller says the officer ended the call before explaining what the interview scheduling step means and how long it takes.' },
  { hoursAgo: 5 * 24, phone: '(718) 555-0164', agent: 'tier1',
    concern: 'The caller says she was not told how long the correction of the misspelled name on her receipt notice would take.',
    outcome: 'The recording shows the agent made the service request and gave its referral number, but did not say it is answered within 15 business days. The agent was coached; the person was written to with the time.' },
];

/** Opens the demo reviews as the Ombudsman (`now` is the demo's present); calls not found are left out. */
export async function seedDemoCallReviews(reviews: CallReviewService, ombudsman: StaffUser, agents: Record<'tier1' | 'tier2', StaffUser>, now: Date = new Date()): Promise<DemoCallReviewsResult> {
  const result: DemoCallReviewsResult = { open: 0, closed: 0, reviewNumbers: [] };
  const at = (hoursAgo: number) => reviews.withClock(() => new Date(now.getTime() - hoursAgo * HOUR));
  for (const r of REVIEWS) {
    // The person remembers the time to within half an hour or so.
    const callTime = new Date(now.getTime() - r.hoursAgo * HOUR + 25 * 60_000).toISOString();
    let reviewNumber: string;
    try {
      const answer = await at(r.hoursAgo - 48).request(staff(ombudsman), { callTime, callerPhone: r.phone, agentId: agents[r.agent].agentId, concern: r.concern }, { scope: 'demo', key: null, requestHash: r.phone });
      reviewNumber = (JSON.parse(answer.body) as { reviewNumber: string }).reviewNumber;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not-found') continue; // the demo's calls were not made
      throw err;
    }
    result.reviewNumbers.push(reviewNumber);
    if (r.outcome) {
      await at(r.hoursAgo - 96).close(staff(ombudsman), reviewNumber, r.outcome);
      result.closed++;
    } else result.open++;
  }
  return result;
}
