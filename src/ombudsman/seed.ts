/**
 * Demo case assistance requests for SEED=demo, made through the real services (intake with its advice, the
 * analyst's assignment, notes and status changes, the question to the agency and the office's answer, the closing
 * letter through the outbox, each with its history and audit entry) with clocks set in the past, like the
 * service-request seed. After it, the Ombudsman's desk (/ombudsman/desk) has a request at every stage:
 *   - received: sent last week by the person herself;
 *   - in review: assigned to the demo analyst, with a note; filed by a daughter for her mother, with consent;
 *   - agency asked: the analyst's question in the Vermont office's queue (/office/ombudsman-requests), due;
 *   - answered: the office answered the question; the request cites a service request, found and verified;
 *   - closed: asked, answered and closed with the outcome letter to the person.
 * Cases come from the demo cases (pending, not protected); the office that answers is the demo VSC account.
 */
import type { Actor, StaffUser } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { findCase, pendingCasesOf } from '../cases/store.ts';
import { listRequests as listServiceRequests } from '../service-requests/store.ts';
import { addDays } from '../domain/processing-time.ts';
import { todayIn } from '../domain/calendar.ts';
import type { CaseAssistanceService } from './service.ts';
import type { OmbudsmanAgencyService } from '../ombudsman-agency/service.ts';

export interface DemoCaseAssistanceActors {
  /** The Ombudsman analyst who works the requests. */
  analyst: StaffUser;
  /** Office staff of VSC, who answer the analyst's questions. */
  office: StaffUser;
}

export interface DemoCaseAssistanceResult {
  created: number;
  byStatus: Record<'received' | 'in-review' | 'agency-asked' | 'answered' | 'closed', number>;
  forSomeoneElse: number;
  referralVerified: number;
}

const DAY = 86_400_000;
const staff = (user: StaffUser): Actor => ({ kind: 'staff', user, sessionId: 'demo-seed' });
const PUBLIC: Actor = { kind: 'anonymous' };
const once = (key: string) => ({ scope: 'demo', key: null, requestHash: key });

interface DemoCase { receipt: string; formType: string; name: string; dateOfBirth?: string; email?: string }

/**
 * Makes the demo requests (cases and the demo service requests must be loaded; only on a demo's first start).
 * `now` is the demo's present.
 */
export async function seedDemoCaseAssistance(
  db: Db, services: { caseAssistance: CaseAssistanceService; ombudsmanAgency: OmbudsmanAgencyService; timeZone: string },
  actors: DemoCaseAssistanceActors, now: Date = new Date(),
): Promise<DemoCaseAssistanceResult> {
  const result: DemoCaseAssistanceResult = { created: 0, byStatus: { received: 0, 'in-review': 0, 'agency-asked': 0, answered: 0, closed: 0 }, forSomeoneElse: 0, referralVerified: 0 };
  const at = (daysAgo: number, minutes = 0) => () => new Date(now.getTime() - daysAgo * DAY + minutes * 60_000);
  const ca = (daysAgo: number, minutes = 0) => services.caseAssistance.withClock(at(daysAgo, minutes));
  const agency = (daysAgo: number, minutes = 0) => services.ombudsmanAgency.withClock(at(daysAgo, minutes));
  const dateAgo = (days: number) => addDays(todayIn(services.timeZone, now), -days);
  const analyst = staff(actors.analyst);
  const office = staff(actors.office);

  // The request that cites a service request: a demo request at VSC, on its own case.
  const [sr] = (await listServiceRequests(db, { office: 'VSC' }, 1, 1)).rows;
  const srCase = sr ? await demoCase(db, sr.receipt_number) : undefined;
  const cases = await demoCases(db, 'VSC', 5, new Set(sr ? [sr.receipt_number] : []));
  if (cases.length < 5) return result; // no demo cases to cite

  const submit = async (daysAgo: number, body: Record<string, unknown>, lang: 'en' | 'es') => {
    const answer = await ca(daysAgo).submit(PUBLIC, body, once(`ca-${daysAgo}`), { lang });
    const created = JSON.parse(answer.body) as { requestNumber: string; eligibility: { priorActionVerified: boolean } };
    result.created++;
    if (created.eligibility.priorActionVerified) result.referralVerified++;
    if (body.applicant !== undefined) result.forSomeoneElse++;
    return created.requestNumber;
  };
  // The person's own e-mail from the case, else one made from the name (the closing letter goes to it).
  const emailOf = (name: string) => `${name.normalize('NFKD').replace(/[^A-Za-z ]/g, '').trim().toLowerCase().replace(/\s+/g, '.')}@example.org`;
  const person = (c: DemoCase) => ({ name: c.name, email: c.email ?? emailOf(c.name), ...(c.dateOfBirth ? { dateOfBirth: c.dateOfBirth } : {}) });
  const cited = (c: DemoCase) => [{ receiptNumber: c.receipt, formType: c.formType }];

  // Closed: sent 45 days ago; reviewed, the office asked and answered, closed with the letter ten days ago.
  const closedCase = cases[0]!;
  const closed = await submit(45, {
    requester: person(closedCase), cases: cited(closedCase),
    priorActions: [{ date: dateAgo(60), kind: 'call' }, { date: dateAgo(52), kind: 'online-inquiry' }],
    reasons: 'My biometrics appointment was cancelled twice and no new date came. I called twice and sent an online inquiry; each time I was told to wait.',
  }, 'en');
  await ca(43).assign(analyst, closed, actors.analyst.id);
  await ca(43, 5).changeStatus(analyst, closed, { status: 'in-review' });
  await ca(43, 10).note(analyst, closed, 'Two cancelled biometrics appointments in the case history; no new notice. Asking the office.');
  const closedQuestion = await agency(42).ask(analyst, closed, { receiptNumber: closedCase.receipt, question: 'The biometrics appointment was cancelled twice. Is a new appointment scheduled, and when will the notice be mailed?' }, once(`ask-${closed}`));
  await answerAsOffice(JSON.parse(closedQuestion.body) as { id: string }, 35, 'A new biometrics appointment is scheduled for next month at the Burlington center; the notice was mailed today to the address on file.');
  await ca(10).changeStatus(analyst, closed, {
    status: 'closed',
    outcome: 'We asked the office about your biometrics appointment. A new appointment is scheduled for next month at the Burlington center, and the notice was mailed to your address. Please attend on that date; if the notice does not arrive within two weeks, write to us with this request number.',
  });
  result.byStatus.closed++;

  // Answered: cites a service request that Switchboard holds on that case (verified); the office has answered.
  const answeredCase = srCase ?? cases[1]!;
  const answered = await submit(30, {
    requester: person(answeredCase), cases: cited(answeredCase),
    priorActions: [{ date: dateAgo(40), kind: 'service-request', ...(sr && srCase ? { referralNumber: sr.referral_number } : {}) }],
    reasons: 'I made a service request about my case through the Contact Center more than a month ago and have had no answer. My work permit runs out soon.',
  }, 'en');
  await ca(28).assign(analyst, answered, actors.analyst.id);
  await ca(28, 5).changeStatus(analyst, answered, { status: 'in-review' });
  const answeredQuestion = await agency(27).ask(analyst, answered, { receiptNumber: answeredCase.receipt, question: 'The person cites a service request on this case that is still open. Can the office say when it will be answered and what is holding the case?' }, once(`ask-${answered}`));
  await answerAsOffice(JSON.parse(answeredQuestion.body) as { id: string }, 20, 'The case was waiting for a background check, which is now complete. The service request will be answered this week and the case decided within 30 days.');
  result.byStatus.answered++;

  // Agency asked: the question is in the office's queue, not yet answered.
  const askedCase = cases[2]!;
  const asked = await submit(21, {
    requester: person(askedCase), cases: cited(askedCase),
    priorActions: [{ date: dateAgo(30), kind: 'letter' }],
    reasons: 'My case was transferred to another office and since then the online status has not changed for four months.',
  }, 'en');
  await ca(19).assign(analyst, asked, actors.analyst.id);
  await ca(19, 5).changeStatus(analyst, asked, { status: 'in-review' });
  await agency(4).ask(analyst, asked, { receiptNumber: askedCase.receipt, question: 'The case shows no change since its transfer four months ago. Is it assigned to an officer, and what is the next step?' }, once(`ask-${asked}`));
  result.byStatus['agency-asked']++;

  // In review: filed by a daughter for her mother with the mother's written consent; assigned, with a note.
  const reviewCase = cases[3]!;
  const inReview = await submit(12, {
    requester: { name: 'Sofía Ramírez', email: 'sofia.ramirez@example.org', phone: '(802) 555-0139' },
    applicant: person(reviewCase), consent: true, cases: cited(reviewCase),
    priorActions: [{ date: dateAgo(20), kind: 'call' }],
    reasons: 'Mi madre tiene 78 años y recibió una carta que no entiende. Llamamos al Centro de Contacto y nos dijeron que esperáramos, pero ya pasó la fecha.',
  }, 'es');
  await ca(10).assign(analyst, inReview, actors.analyst.id);
  await ca(10, 5).changeStatus(analyst, inReview, { status: 'in-review' });
  await ca(9).note(analyst, inReview, 'Spoke with the daughter: her mother consents and will sign the consent form if asked. The letter is a request for evidence; check its due date before asking the office.');
  result.byStatus['in-review']++;

  // Received: sent three days ago, nobody has looked at it yet.
  const receivedCase = cases[4]!;
  await submit(3, {
    requester: person(receivedCase), cases: cited(receivedCase),
    reasons: 'I have been waiting for my interview for over a year. I do not know what to do next.',
  }, 'en');
  result.byStatus.received++;
  return result;

  async function answerAsOffice(item: { id: string }, daysAgo: number, text: string) {
    await agency(daysAgo).claim(office, item.id);
    await agency(daysAgo, 30).answer(office, item.id, { answer: text });
  }
}

/** A case as the person would cite it (the form filed and the applicant's name, date of birth and e-mail). */
async function demoCase(db: Db, receipt: string): Promise<DemoCase | undefined> {
  const c = await findCase(db, receipt);
  if (!c || c.protected_category) return undefined;
  const applicant = JSON.parse(c.applicant) as { name?: string; dateOfBirth?: string; email?: string };
  if (!applicant.name) return undefined;
  return { receipt: c.receipt_number, formType: c.form_type, name: applicant.name, ...(applicant.dateOfBirth ? { dateOfBirth: applicant.dateOfBirth } : {}), ...(applicant.email ? { email: applicant.email } : {}) };
}

/** Pending cases of an office to cite, past the ones the service requests' and calls' demos start with. */
async function demoCases(db: Db, office: string, count: number, skip: ReadonlySet<string>): Promise<DemoCase[]> {
  const out: DemoCase[] = [];
  for (const row of (await pendingCasesOf(db, office, 200)).slice(100)) {
    if (out.length >= count) break;
    if (skip.has(row.receipt_number) || row.protected_category) continue;
    const c = await demoCase(db, row.receipt_number);
    if (c) out.push(c);
  }
  return out;
}
