/**
 * The start-up demo's calls and callbacks (src/contacts/seed.ts), on SQLite and PostgreSQL, after the demo's staff
 * and a few thousand synthetic cases: calls at each tier, ended and open, with verified cases and notes; service
 * requests made on calls; callbacks due, overdue, missed (after two failed attempts) and done; one live transfer to
 * the Tier 2 officer who speaks Spanish; each desk has work.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/platform/config.ts';
import { createDeps, type Deps } from '../../src/wiring.ts';
import { DEMO_STAFF, seedDemoStaff } from '../../src/demo.ts';
import { seedCases } from '../../src/cases/seed/run.ts';
import { seedDemoContacts, type DemoContactsResult } from '../../src/contacts/seed.ts';
import { seedDemoServiceRequests } from '../../src/service-requests/seed.ts';
import { seedDemoCaseAssistance, type DemoCaseAssistanceResult } from '../../src/ombudsman/seed.ts';
import { seedDemoCallReviews, type DemoCallReviewsResult } from '../../src/call-reviews/seed.ts';
import { seedDemoFeedback, type DemoFeedbackResult } from '../../src/feedback/seed.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';
import type { Actor, StaffUser } from '../../src/platform/actor.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testEnv } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`the demo's calls and callbacks [${kind}]`, () => {
    let db: TestDatabase;
    let deps: Deps;
    let result: DemoContactsResult;
    let assistance: DemoCaseAssistanceResult;
    let reviews: DemoCallReviewsResult;
    let feedback: DemoFeedbackResult;
    const users: Record<string, StaffUser> = {};
    const as = (email: string): Actor => ({ kind: 'staff', sessionId: 'test', user: users[email]! });

    before(async () => {
      db = await createTestDatabase(kind);
      deps = await db.whileNoSchemaIsDropped(() => createDeps(loadConfig(testEnv(db))));
      for (const u of await seedDemoStaff(deps.staff)) users[u.email] = u;
      await seedCases(deps.feed, { cases: 3000, randomSeed: 1, today: todayIn(deps.agency.timeZone) }, { kind: 'system' });
      // In the order `switchboard serve` loads them: service requests, calls, then the Ombudsman's work and feedback.
      const office = (code: string) => Object.values(users).find((u) => u.role === 'office' && u.office === code)!;
      await seedDemoServiceRequests(deps.database.db, deps.serviceRequests, {
        tier1: users['tier1@demo.switchboard.test']!, tier2: users['tier2@demo.switchboard.test']!, supervisor: users['supervisor@demo.switchboard.test']!,
        offices: { VSC: office('VSC'), CSC: office('CSC'), NBC: office('NBC') },
      });
      result = await seedDemoContacts(deps.database.db, deps, {
        tier1: users['tier1@demo.switchboard.test']!, tier1b: users['tier1.es@demo.switchboard.test'],
        tier2: users['tier2@demo.switchboard.test']!, tier2es: users['tier2.es@demo.switchboard.test']!,
      });
      const ombudsman = users['ombudsman@demo.switchboard.test']!;
      assistance = await seedDemoCaseAssistance(deps.database.db, { caseAssistance: deps.caseAssistance, ombudsmanAgency: deps.ombudsmanAgency, timeZone: deps.agency.timeZone }, { analyst: ombudsman, office: office('VSC') });
      reviews = await seedDemoCallReviews(deps.callReviews, ombudsman, { tier1: users['tier1@demo.switchboard.test']!, tier2: users['tier2@demo.switchboard.test']! });
      feedback = await seedDemoFeedback(deps.feedback);
    });
    after(async () => {
      await deps.database.close();
      await db.drop();
    });

    test('the demo staff: every role, and at Tier 2 one English-only officer and one with English, Spanish and military', async () => {
      assert.deepEqual([...new Set(DEMO_STAFF.map((s) => s.role))].sort(), ['admin', 'office', 'ombudsman', 'supervisor', 'tier1', 'tier2']);
      const skills = async (email: string) => JSON.parse((await deps.database.db.selectFrom('staff').select('skills').where('email', '=', email).executeTakeFirstOrThrow()).skills) as string[];
      assert.deepEqual(await skills('tier2@demo.switchboard.test'), ['en']);
      assert.deepEqual(await skills('tier2.es@demo.switchboard.test'), ['en', 'es', 'military']);
    });

    test('callbacks in every state: due, overdue, missed after two failed attempts, and done', async () => {
      const sup = as('supervisor@demo.switchboard.test');
      for (const status of ['due', 'overdue', 'missed', 'done'] as const) {
        const list = await deps.callbacks.list(sup, status, 1, 50);
        assert.ok(list.total >= 1, `a ${status} callback`);
        assert.ok(list.items.every((i) => i.status === status));
        if (status !== 'done') assert.equal(list.total, result.callbacks[status], `the seed's count of ${status} callbacks`);
      }
      const missed = (await deps.callbacks.list(sup, 'missed', 1, 50)).items;
      assert.ok(missed.every((m) => m.attempts === 2), 'missed after two failed attempts');
      const overview = await deps.callbacks.overview(sup);
      assert.ok(overview.overdue.total >= 1 && overview.missed.total >= 1);
      // Each Tier 2 officer has callbacks to make; the English-only officer never sees a Spanish one.
      const omar = await deps.callbacks.list(as('tier2@demo.switchboard.test'), undefined, 1, 50);
      const rosa = await deps.callbacks.list(as('tier2.es@demo.switchboard.test'), undefined, 1, 50);
      assert.ok(omar.total >= 2);
      assert.ok(omar.items.every((i) => i.language === 'en'));
      assert.ok(rosa.items.some((i) => i.language === 'es'), 'a Spanish callback for the Spanish-speaking officer');
    });

    test('calls at each tier, ended and open, with verified cases, notes and service requests made on calls', async () => {
      const found = await deps.contacts.find(as('ombudsman@demo.switchboard.test'), {}, 1, 100);
      assert.equal(found.total, result.calls);
      assert.ok(found.items.some((c) => c.tier === 'tier1'), 'Tier 1 calls');
      assert.ok(found.items.some((c) => c.tier === 'tier2'), 'Tier 2 calls');
      assert.ok(found.items.some((c) => c.endedAt === null) && found.items.some((c) => c.endedAt !== null), 'open and ended calls');
      assert.ok(found.items.some((c) => c.serviceRequests.length > 0), 'a service request made on a call');
      assert.ok(result.serviceRequests >= 1);
      const open = await deps.contacts.openCallsOf(as('tier1@demo.switchboard.test'));
      assert.ok(open.length >= 1, 'Tier 1 has a call open on first sign-in');
      const view = await deps.contacts.get(as('tier1@demo.switchboard.test'), open[0]!.id);
      assert.ok(view.cases.some((c) => c.verified), 'a verified case on the open call');
      assert.ok(view.events.some((e) => e.kind === 'note'), 'a note on it');
    });

    test('one live transfer: the Spanish call went to the officer who speaks Spanish, busy with it now; the English-only officer is free', async () => {
      assert.equal(result.transfers, 1);
      const rosa = as('tier2.es@demo.switchboard.test');
      const presence = await deps.callbacks.presenceOf(rosa);
      assert.equal(presence.status, 'busy');
      assert.ok(presence.contactId);
      const call = await deps.contacts.get(rosa, presence.contactId!);
      assert.equal(call.language, 'es');
      assert.equal(call.endedAt, null);
      assert.ok(call.escalations.some((e) => e.mode === 'transfer'));
      assert.equal((await deps.callbacks.presenceOf(as('tier2@demo.switchboard.test'))).status, 'available');
    });

    test('case assistance requests at every stage: received, in review with a note and an assignment, agency asked, answered, closed with its letter', async () => {
      const analyst = as('ombudsman@demo.switchboard.test');
      assert.deepEqual(assistance.byStatus, { received: 1, 'in-review': 1, 'agency-asked': 1, answered: 1, closed: 1 });
      const one = async (status: string) => {
        const list = await deps.caseAssistance.list(analyst, status, 1, 50);
        assert.equal(list.total, 1, `one ${status} request`);
        return deps.caseAssistance.get(analyst, list.items[0]!.requestNumber);
      };
      const received = await one('received');
      assert.equal(received.assignedTo, null);
      const inReview = await one('in-review');
      assert.equal(inReview.assignedTo?.id, users['ombudsman@demo.switchboard.test']!.id);
      assert.ok(inReview.history.some((h) => h.action === 'note'), 'a note');
      assert.ok(inReview.forSomeoneElse && inReview.consent, 'filed for someone else, with consent');
      assert.notEqual(inReview.requester.name, inReview.applicant.name);
      const asked = await one('agency-asked');
      const question = await deps.ombudsmanAgency.ofRequest(analyst, asked.requestNumber);
      assert.equal(question.length, 1);
      assert.equal(question[0]!.status, 'open', 'the question waits in the office queue');
      const answered = await one('answered');
      assert.equal((await deps.ombudsmanAgency.ofRequest(analyst, answered.requestNumber))[0]!.status, 'answered');
      assert.equal(answered.eligibility.priorActionVerified, true, 'the cited referral number is verified');
      assert.ok(answered.priorActions.some((a) => a.referral?.found === true && a.referral.belongsToCitedCase), 'the referral belongs to the cited case');
      assert.equal(assistance.referralVerified, 1);
      const closed = await one('closed');
      assert.match(closed.outcome ?? '', /biometrics appointment/);
      assert.ok(closed.closedAt);
      assert.ok(closed.history.some((h) => h.action === 'agency-answer'), 'closed after the office answered');
      const letter = await deps.database.db.selectFrom('outbox').select(['to_address', 'template']).where('subject_ref', '=', closed.requestNumber).execute();
      assert.deepEqual(letter.map((l) => l.template), ['ombudsman-case-assistance-closed'], 'the outcome letter queued');
      assert.equal(assistance.forSomeoneElse, 1);
    });

    test('call reviews: one open on a demo call (the call held), one closed with its outcome (the hold lifted)', async () => {
      assert.deepEqual({ open: reviews.open, closed: reviews.closed }, { open: 1, closed: 1 });
      const ombudsman = as('ombudsman@demo.switchboard.test');
      const views = await Promise.all(reviews.reviewNumbers.map((n) => deps.callReviews.get(ombudsman, n)));
      const open = views.find((v) => v.status === 'open')!;
      const closed = views.find((v) => v.status === 'closed')!;
      assert.equal(open.contact.callerPhone?.replace(/\D/g, '').slice(-10), '6175550121');
      assert.match(closed.outcome ?? '', /coached/);
      const contactOf = async (reference: string) => (await deps.database.db.selectFrom('contacts').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
      assert.equal(await deps.callReviews.isHeld(await contactOf(open.contact.reference)), true);
      assert.equal(await deps.callReviews.isHeld(await contactOf(closed.contact.reference)), false);
    });

    test('feedback: yes and no with reasons on several public pages, and comments about the Contact Center', async () => {
      const list = await deps.feedback.list(as('supervisor@demo.switchboard.test'), 1, 100);
      assert.equal(list.total, feedback.answers);
      assert.ok(feedback.helpful >= 3 && feedback.notHelpful >= 3 && feedback.contactCenterComments >= 2);
      assert.ok(list.byPage.filter((p) => p.page !== '/feedback').length >= 5, 'several pages answered');
      assert.ok(list.items.some((i) => i.helpful === false && i.reasons.length >= 2), 'a No with two reasons');
      assert.ok(list.items.some((i) => i.page?.startsWith('/guidance/')), 'the guidance page answered');
    });

    test('the contact center report over the last 60 days counts the Ombudsman\'s work and the feedback', async () => {
      const today = todayIn(deps.agency.timeZone);
      const { report } = await deps.reports.contactCenter(as('ombudsman@demo.switchboard.test'), { from: addDays(today, -60), to: today });
      assert.equal(report.ombudsman.caseAssistance, assistance.created);
      assert.equal(report.ombudsman.callReviews, reviews.reviewNumbers.length);
      assert.equal(report.feedback.helpful, feedback.helpful);
      assert.equal(report.feedback.notHelpful, feedback.notHelpful);
      assert.ok(report.feedback.comments >= feedback.contactCenterComments);
    });
  });
}
