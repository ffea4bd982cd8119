/**
 * The back-office pages (issue 7 item 8) through app.inject, on SQLite and PostgreSQL: staff sign in through the
 * real sign-in form (cookie + CSRF), work their office's queue (order, filters, pagination, Claim), answer a request
 * (the answer must answer: too short, not the claimant, the same words as the reopened answer), transfer, assign,
 * flag form letters, and supervisors watch the overdue view; English and Spanish.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { ServiceRequestService } from '../../src/service-requests/service.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { QUEUE_PAGE_SIZE } from '../../src/back-office/policy.ts';
import { PageBrowser as Browser, escapedHtml as html } from '../support/page-browser.ts';

const en = translator('en');
const es = translator('es');
const ANSWER = 'We checked your case today: the file moved to the interview office, and a new interview letter goes out within 10 days.';


let counter = 0;

for (const kind of databaseKinds()) {
  describe(`back-office pages [${kind}]`, () => {
    let t: TestApp;
    let tier1: string;
    const people: Record<string, { id: string; email: string; name: string }> = {};

    before(async () => {
      t = await startTestApp(kind);
      tier1 = (await t.signIn('tier1')).token;
      for (const [key, role, office, name] of [
        ['vsc1', 'office', 'VSC', 'Vera Worker'], ['vsc2', 'office', 'VSC', 'Victor Worker'], ['nbc', 'office', 'NBC', 'Nora Worker'],
        ['csc', 'office', 'CSC', 'Carl Worker'], ['sup', 'supervisor', null, 'Sam Supervisor'], ['tier2', 'tier2', null, 'Tina Tier'],
      ] as const) {
        const email = `${key}.${++counter}@agency.test`;
        const u = await t.deps.staff.addUser({ email, name, role, office: office ?? undefined, password: TEST_PASSWORD }, { kind: 'cli' });
        people[key] = { id: u.id, email, name };
      }
    });
    after(() => t?.close());

    const as = (key: string) => new Browser(t).signIn(people[key]!.email);
    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    const make = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/service-requests', payload: body, headers: bearer(tier1) });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().referralNumber as string;
    };
    const other = async (office = 'VSC', details = 'The caller asks why the interview letter never came.') =>
      make({ receiptNumber: await newCase({ office }), type: 'other', details });
    const rowsOf = (body: string) => [...body.matchAll(/<tr data-referral="(\d{15})"/g)].map((m) => m[1]);
    const statusOf = async (ref: string) => (await t.deps.database.db.selectFrom('service_requests').select(['status', 'office', 'claimed_by', 'form_letter_flag']).where('referral_number', '=', ref).executeTakeFirstOrThrow());
    const later = (days: number) => new ServiceRequestService({
      db: t.deps.database.db, audit: t.deps.audit, outbox: t.deps.outbox, idempotency: t.deps.idempotency, rules: t.deps.serviceRequests.rules,
      processingTimes: t.deps.processingTimes, agency: t.deps.agency, publicUrl: 'http://x', clock: () => new Date(Date.now() + days * 86_400_000),
    });

    test('signed out, the pages send the browser to sign in and back; the staff home links to the queue (office) and the overdue view (supervisor)', async () => {
      const anonymous = await new Browser(t).get('/staff/queue?overdue=1');
      assert.equal(anonymous.statusCode, 302);
      assert.equal(anonymous.headers.location, `/sign-in?next=${encodeURIComponent('/staff/queue?overdue=1')}`);
      const home = await (await as('vsc1')).get('/staff');
      assert.match(home.body, /href="\/staff\/queue">Service request queue</);
      assert.doesNotMatch(home.body, /href="\/staff\/overdue"/);
      const supHome = await (await as('sup')).get('/staff');
      assert.match(supHome.body, new RegExp(`href="/staff/queue">${html(en('staff.home.queuesLink'))}<`));
      assert.match(supHome.body, new RegExp(`href="/staff/overdue">${html(en('staff.home.overdueLink'))}<`));
      const tier2Home = await (await as('tier2')).get('/staff');
      assert.doesNotMatch(tier2Home.body, /href="\/staff\/queue"/);
    });

    test('the office queue: its own office only, oldest due first, filters by kind, status, overdue and "claimed by me"; a Claim button claims a row', async () => {
      const worker = await as('csc');
      const before = rowsOf((await worker.get('/staff/queue')).body);
      const slow = await other('CSC');
      const typo = await make({ receiptNumber: await newCase({ office: 'CSC' }), type: 'typographical-error', details: 'My name is misspelled on the receipt notice.' });
      const elsewhere = await other('NBC');
      const page = await worker.get('/staff/queue');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>Service request queue \| Switchboard<\/title>/);
      const rows = rowsOf(page.body).filter((r) => !before.includes(r));
      assert.deepEqual(rows, [typo, slow], 'the 5-business-day request is due first');
      assert.ok(!rowsOf(page.body).includes(elsewhere), 'another office\'s request is not in this queue');
      assert.match(page.body, new RegExp(`href="/staff/service-requests/${typo}">${formatReferralNumber(typo)}</a>`));
      assert.match(page.body, /Case outside|Typographical|typographical/i);

      const typed = rowsOf((await worker.get('/staff/queue?type=typographical-error')).body);
      assert.ok(typed.includes(typo) && !typed.includes(slow));

      const claim = await worker.post('/staff/queue/claim', { referralNumber: slow, next: '/staff/queue?type=other' });
      assert.equal(claim.statusCode, 303);
      assert.equal(claim.headers.location, `/staff/queue?type=other&claimed=${slow}`);
      const afterClaim = await worker.get(String(claim.headers.location));
      assert.match(afterClaim.body, new RegExp(`<title>${html(en('backOffice.done.claimedRow', { referral: formatReferralNumber(slow) }))} – Service request queue`));
      assert.equal((await statusOf(slow)).status, 'claimed');

      const mine = rowsOf((await worker.get('/staff/queue?mine=1')).body);
      assert.deepEqual(mine, [slow]);
      const claimed = rowsOf((await worker.get('/staff/queue?status=claimed')).body);
      assert.ok(claimed.includes(slow) && !claimed.includes(typo));
      const none = await worker.get('/staff/queue?overdue=1');
      assert.deepEqual(rowsOf(none.body), []);
      assert.match(none.body, new RegExp(html(en('backOffice.queue.noneFiltered'))));
      // The filter form keeps the choices.
      assert.match((await worker.get('/staff/queue?mine=1&status=claimed')).body, /id="filter-mine" type="checkbox" name="mine" value="1" checked/);

      // Office staff may not look at another office's queue, even by asking for it: ?office is a supervisor's.
      assert.deepEqual(rowsOf((await worker.get('/staff/queue?office=NBC')).body).includes(elsewhere), false);
      // Agents do not work queues.
      assert.equal((await (await as('tier2')).get('/staff/queue')).statusCode, 403);
    });

    test('pagination: page X of Y, the total count, previous and next; supervisors choose an office first', async () => {
      const refs: string[] = [];
      for (let i = 0; i < QUEUE_PAGE_SIZE + 2; i++) refs.push(await other('TSC', `Request number ${i} about a letter that never came.`));
      const sup = await as('sup');
      const chooser = await sup.get('/staff/queue');
      assert.equal(chooser.statusCode, 200);
      assert.match(chooser.body, /href="\/staff\/queue\?office=TSC">/);
      assert.deepEqual(rowsOf(chooser.body), []);
      const first = await sup.get('/staff/queue?office=TSC');
      assert.equal(rowsOf(first.body).length, QUEUE_PAGE_SIZE);
      assert.match(first.body, new RegExp(html(en('backOffice.queue.count', { total: QUEUE_PAGE_SIZE + 2 }))));
      assert.match(first.body, /Page 1 of 2/);
      assert.match(first.body, /href="\/staff\/queue\?office=TSC&amp;page=2">Next page</);
      assert.doesNotMatch(first.body, /Previous page/);
      const second = await sup.get('/staff/queue?office=TSC&page=2');
      assert.equal(rowsOf(second.body).length, 2);
      assert.match(second.body, /Page 2 of 2/);
      assert.match(second.body, /href="\/staff\/queue\?office=TSC">Previous page</);
      assert.deepEqual([...rowsOf(first.body), ...rowsOf(second.body)].sort(), [...refs].sort());
      // A supervisor does not claim (claims are office staff's): no Claim buttons.
      assert.doesNotMatch(first.body, /action="\/staff\/queue\/claim"/);
    });

    test('the claimant gives a request back to the queue: it is open again for a colleague, and the history says so', async () => {
      const receipt = await newCase({ office: 'VSC' });
      const ref = await make({ receiptNumber: receipt, type: 'other', details: 'The caller asks when the card will come.' });
      const vera = await as('vsc1');
      const victor = await as('vsc2');
      await vera.post(`/staff/service-requests/${ref}/claim`, {});
      const mine = await vera.get(`/staff/service-requests/${ref}`);
      assert.match(mine.body, new RegExp(`action="/staff/service-requests/${ref}/release"`));
      assert.doesNotMatch((await victor.get(`/staff/service-requests/${ref}`)).body, /\/release"/, 'no give-back button for someone else');
      const notMine = await victor.post(`/staff/service-requests/${ref}/release`, {});
      assert.equal(notMine.statusCode, 403);
      assert.match(notMine.body, new RegExp(html(en('backOffice.error.forbidden.release'))));
      const back = await vera.post(`/staff/service-requests/${ref}/release`, {});
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, `/staff/service-requests/${ref}?done=released`);
      const after = await victor.get(`/staff/service-requests/${ref}`);
      assert.match(after.body, new RegExp(`action="/staff/service-requests/${ref}/claim"`), 'a colleague can claim it now');
      assert.match(after.body, new RegExp(html(en('backOffice.history.released', { who: 'Vera Worker' }))));
      assert.equal((await statusOf(ref)).status, 'open');
      assert.equal((await vera.post(`/staff/service-requests/${ref}/release`, {})).statusCode, 409, 'no longer claimed');
    });

    test('the request page: details, history and the case timeline; other offices\' staff get 404; claim, then the answer must answer', async () => {
      const receipt = await newCase({ office: 'VSC' });
      const ref = await make({ receiptNumber: receipt, type: 'other', details: 'The caller asks why the interview letter never came.' });
      const sibling = await make({ receiptNumber: receipt, type: 'accommodation', details: 'I use a wheelchair; please move the interview to the ground floor.' });
      const vera = await as('vsc1');
      const victor = await as('vsc2');
      const page = await vera.get(`/staff/service-requests/${ref}`);
      assert.match(page.body, /<time datetime="2025-01-16">January 16, 2025<\/time>: Receipt notice/, 'the case\'s notices, named');
      assert.match(page.body, new RegExp(`data-testid="other-requests">\\s*<li><a class="usa-link" href="/staff/service-requests/${sibling}">${formatReferralNumber(sibling)}</a>: Disability accommodation, Open`));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>Service request \| Switchboard<\/title>/);
      assert.match(page.body, new RegExp(`Service request ${formatReferralNumber(ref)}</h1>`));
      assert.match(page.body, /The caller asks why the interview letter never came\./);
      assert.match(page.body, /data-action="created">/);
      assert.match(page.body, /Case was received|Case Was Received/i, 'the case timeline in the agency\'s words');
      assert.match(page.body, new RegExp(`action="/staff/service-requests/${ref}/claim"`));
      assert.doesNotMatch(page.body, /name="response"/, 'no answer form before the claim');

      assert.equal((await (await as('nbc')).get(`/staff/service-requests/${ref}`)).statusCode, 404);
      // Tier 2 may read it (who may see a case), without work controls; Tier 1 may not.
      const read = await (await as('tier2')).get(`/staff/service-requests/${ref}`);
      assert.equal(read.statusCode, 200);
      assert.match(read.body, new RegExp(html(en('backOffice.request.readOnly'))));
      assert.doesNotMatch(read.body, /<form method="post" action="\/staff\/service-requests/);
      assert.equal((await (await new Browser(t).signIn((await t.signIn('tier1')).email)).get(`/staff/service-requests/${ref}`)).statusCode, 403);
      assert.equal((await vera.get('/staff/service-requests/123456789012345')).statusCode, 404);

      // Without the form's CSRF token the claim is refused.
      assert.equal((await vera.post(`/staff/service-requests/${ref}/claim`, {}, null)).statusCode, 403);
      const claim = await vera.post(`/staff/service-requests/${ref}/claim`, {});
      assert.equal(claim.statusCode, 303);
      assert.equal(claim.headers.location, `/staff/service-requests/${ref}?done=claimed`);
      const claimed = await vera.get(String(claim.headers.location));
      assert.match(claimed.body, new RegExp(`<title>${html(en('backOffice.done.claimed'))} – Service request`));
      assert.match(claimed.body, /<textarea[^>]+id="response" name="response"/);
      assert.match(claimed.body, new RegExp(html(en('backOffice.respond.hint', { min: 40 }))));

      // Someone else claiming it: 409, the page again with the reason.
      const late = await victor.post(`/staff/service-requests/${ref}/claim`, {});
      assert.equal(late.statusCode, 409);
      assert.match(late.body, new RegExp(html(en('backOffice.error.conflict.claim'))));
      assert.match(late.body, /<title>Error: Service request/);
      const lateFromQueue = await victor.post('/staff/queue/claim', { referralNumber: ref, next: '/staff/queue' });
      assert.equal(lateFromQueue.statusCode, 409);
      assert.match(lateFromQueue.body, new RegExp(html(en('backOffice.error.conflict.claim'))));
      assert.match(lateFromQueue.body, /Vera Worker claimed this request/);
      // Not the claimant: 403, kept text, the reason in the error summary; the denial is audited.
      const notMine = await victor.post(`/staff/service-requests/${ref}/respond`, { response: ANSWER });
      assert.equal(notMine.statusCode, 403);
      assert.match(notMine.body, new RegExp(html(en('backOffice.error.forbidden.respond'))));
      assert.match(notMine.body, /class="usa-alert usa-alert--error sb-error-summary/);
      assert.match(notMine.body, new RegExp(`Vera Worker claimed this request`));
      const denied = await t.deps.database.db.selectFrom('audit_log').select(['action', 'outcome']).where('actor', '=', `staff:${people.vsc2!.id}`).where('outcome', '=', 'denied').execute();
      assert.ok(denied.some((d) => d.action === 'POST /staff/service-requests/:referralNumber/respond'), JSON.stringify(denied));

      // Too short: 400, the message beside the field, aria-invalid, the typed text kept.
      const short = await vera.post(`/staff/service-requests/${ref}/respond`, { response: 'See <letter> & wait.' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /<title>Error: Service request/);
      assert.match(short.body, new RegExp(`<a class="usa-link" href="#response">${html(en('backOffice.error.response.too-short', { min: 40 }))}</a>`));
      assert.match(short.body, new RegExp(`<span class="usa-error-message" id="response-error">${html(en('backOffice.error.response.too-short', { min: 40 }))}</span>`));
      assert.match(short.body, /aria-describedby="response-hint response-error" aria-invalid="true">See &lt;letter&gt; &amp; wait\.<\/textarea>/);
      assert.equal((await statusOf(ref)).status, 'claimed');

      const ok = await vera.post(`/staff/service-requests/${ref}/respond`, { response: ANSWER });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `/staff/service-requests/${ref}?done=answered`);
      const answered = await vera.get(String(ok.headers.location));
      assert.match(answered.body, new RegExp(`<title>${html(en('backOffice.done.answered'))} – Service request`));
      assert.match(answered.body, new RegExp(html(ANSWER)));
      assert.match(answered.body, /data-action="answered">/);
      assert.doesNotMatch(answered.body, /name="response"/);
      assert.equal((await statusOf(ref)).status, 'answered');
      const mail = await t.deps.database.db.selectFrom('outbox').select('subject_ref').where('subject_ref', '=', ref).execute();
      assert.equal(mail.length, 1, 'the person is told by mail');
    });

    test('reopened by the person: the reason is shown first; the same answer again is refused, a new one is taken', async () => {
      const ref = await other('VSC');
      const vera = await as('vsc1');
      await vera.post(`/staff/service-requests/${ref}/claim`, {});
      assert.equal((await vera.post(`/staff/service-requests/${ref}/respond`, { response: ANSWER })).statusCode, 303);
      const receipt = (await t.deps.database.db.selectFrom('service_requests').select('receipt_number').where('referral_number', '=', ref).executeTakeFirstOrThrow()).receipt_number;
      const reopen = await t.app.inject({
        method: 'POST', url: `/api/v1/public/service-requests/${ref}/reopen`,
        payload: { receiptNumber: receipt, verification: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' }, reason: 'No letter came, and nobody told me when the interview is.' },
      });
      assert.equal(reopen.statusCode, 200, reopen.body);
      const page = await vera.get(`/staff/service-requests/${ref}`);
      assert.match(page.body, /data-testid="reopened"/);
      assert.match(page.body, /data-testid="reopen-reason"><p class="margin-0">No letter came, and nobody told me when the interview is\.<\/p><\/blockquote>/);
      assert.ok(page.body.indexOf('data-testid="reopened"') < page.body.indexOf('id="work-heading"'), 'the reason comes before the work');
      assert.match(page.body, /data-action="reopened">/);
      assert.equal(rowsOf((await vera.get('/staff/queue?status=reopened')).body).includes(ref), true);

      await vera.post(`/staff/service-requests/${ref}/claim`, {});
      const claimed = await vera.get(`/staff/service-requests/${ref}`);
      assert.match(claimed.body, new RegExp(html(en('backOffice.respond.hintReopened'))));
      const same = await vera.post(`/staff/service-requests/${ref}/respond`, { response: `  ${ANSWER.toUpperCase()} ` });
      assert.equal(same.statusCode, 400);
      assert.match(same.body, new RegExp(html(en('backOffice.error.response.same-as-before'))));
      const fresh = await vera.post(`/staff/service-requests/${ref}/respond`, { response: `${ANSWER} Your interview is on January 12 at 9 AM; the letter was mailed today.` });
      assert.equal(fresh.statusCode, 303);
    });

    test('transfer: errors keep the choice; office staff land back on their queue, the request is gone from their office and at the new one', async () => {
      const ref = await other('VSC');
      const vera = await as('vsc1');
      const missing = await vera.post(`/staff/service-requests/${ref}/transfer`, { office: 'NBC', reason: '  ' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, new RegExp(`href="#transfer-reason">${html(en('backOffice.error.reason.required'))}`));
      assert.match(missing.body, /<option value="NBC" selected>/);
      assert.match(missing.body, /<details class="margin-top-3" open>/);
      const noOffice = await vera.post(`/staff/service-requests/${ref}/transfer`, { office: '', reason: 'The interview is at the Nebraska office.' });
      assert.equal(noOffice.statusCode, 400);
      assert.match(noOffice.body, new RegExp(html(en('backOffice.error.office.unknown-office'))));
      assert.match(noOffice.body, />The interview is at the Nebraska office\.<\/textarea>/);

      const moved = await vera.post(`/staff/service-requests/${ref}/transfer`, { office: 'NBC', reason: 'The interview is at the Nebraska office.' });
      assert.equal(moved.statusCode, 303);
      assert.equal(moved.headers.location, `/staff/queue?transferred=${ref}`);
      const queue = await vera.get(String(moved.headers.location));
      assert.match(queue.body, new RegExp(html(en('backOffice.done.transferredAway', { referral: formatReferralNumber(ref) }))));
      assert.equal((await vera.get(`/staff/service-requests/${ref}`)).statusCode, 404);
      const nora = await as('nbc');
      const there = await nora.get(`/staff/service-requests/${ref}`);
      assert.equal(there.statusCode, 200);
      assert.match(there.body, /data-action="transferred">/);
      assert.match(there.body, /“The interview is at the Nebraska office\.”/);
      assert.ok(rowsOf((await nora.get('/staff/queue')).body).includes(ref));
    });

    test('assign (supervisor): the picker lists the office\'s accounts; the claim moves; a wrong account is a 400', async () => {
      const ref = await other('VSC');
      const sup = await as('sup');
      const page = await sup.get(`/staff/service-requests/${ref}`);
      assert.match(page.body, new RegExp(`<option value="${people.vsc2!.id}">Victor Worker`));
      assert.doesNotMatch(page.body, new RegExp(`<option value="${people.nbc!.id}"`), 'only the holding office\'s accounts');
      assert.doesNotMatch(page.body, new RegExp(`action="/staff/service-requests/${ref}/claim"`), 'supervisors assign, they do not claim');
      const wrong = await sup.post(`/staff/service-requests/${ref}/assign`, { userId: people.nbc!.id });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, new RegExp(html(en('backOffice.error.userId.not-in-office'))));
      const ok = await sup.post(`/staff/service-requests/${ref}/assign`, { userId: people.vsc2!.id });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `/staff/service-requests/${ref}?done=assigned`);
      const after = await sup.get(String(ok.headers.location));
      assert.match(after.body, /Sam Supervisor assigned it to Victor Worker\./);
      assert.equal((await statusOf(ref)).claimed_by, people.vsc2!.id);
      // Victor may now answer it; office staff get no assign form, and posting one is refused.
      const victor = await as('vsc2');
      assert.match((await victor.get(`/staff/service-requests/${ref}`)).body, /name="response"/);
      assert.equal((await victor.post(`/staff/service-requests/${ref}/assign`, { userId: people.vsc1!.id })).statusCode, 403);
    });

    test('the overdue view: supervisors only (403 for office staff); overdue requests marked in words; flagged answers listed and unflagged', async () => {
      const late = await other('CHI');
      assert.ok((await later(40).sweep()).overdue >= 1);
      const sup = await as('sup');
      const view = await sup.get('/staff/overdue');
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /<title>Overdue requests \| Switchboard<\/title>/);
      assert.equal(rowsOf(view.body.slice(0, view.body.indexOf('id="flagged-heading"'))).length, Math.min(QUEUE_PAGE_SIZE, Number(/Overdue requests: (\d+)/.exec(view.body)?.[1])));
      assert.match(view.body, /data-testid="overdue">Overdue<\/strong>/);
      assert.match(view.body, /<th scope="row">Chicago[^<]*\(CHI\)<\/th>\s*<td>1<\/td>\s*<td><strong>1<\/strong><\/td>/, 'the office overview counts it');
      const onlyChi = await sup.get('/staff/overdue?office=CHI');
      assert.deepEqual(rowsOf(onlyChi.body).filter((r) => r === late), [late]);
      assert.ok(rowsOf((await sup.get('/staff/queue?office=CHI&overdue=1')).body).includes(late));
      assert.equal((await (await as('vsc1')).get('/staff/overdue')).statusCode, 403);

      // A form letter: answered, then flagged by the supervisor from the request page.
      const ref = await other('VSC');
      const vera = await as('vsc1');
      await vera.post(`/staff/service-requests/${ref}/claim`, {});
      await vera.post(`/staff/service-requests/${ref}/respond`, { response: 'Thank you for contacting us. Your case is being processed normally.' });
      const toReview = await sup.get(`/staff/service-requests/${ref}`);
      assert.match(toReview.body, new RegExp(`action="/staff/service-requests/${ref}/review"`));
      const flag = await sup.post(`/staff/service-requests/${ref}/review`, { formLetter: '1', note: 'Says nothing about the case.' });
      assert.equal(flag.statusCode, 303);
      assert.equal(flag.headers.location, `/staff/service-requests/${ref}?done=flagged`);
      assert.equal((await statusOf(ref)).form_letter_flag, 1);
      const flaggedPage = await sup.get(String(flag.headers.location));
      assert.match(flaggedPage.body, /data-action="flagged">/);
      assert.match(flaggedPage.body, /“Says nothing about the case\.”/);
      const overdue = await sup.get('/staff/overdue');
      const flaggedSection = overdue.body.slice(overdue.body.indexOf('id="flagged-heading"'));
      assert.ok(rowsOf(flaggedSection).includes(ref));
      const unflag = await sup.post(`/staff/service-requests/${ref}/review`, { formLetter: '0', note: '' });
      assert.equal(unflag.headers.location, `/staff/service-requests/${ref}?done=unflagged`);
      assert.equal((await statusOf(ref)).form_letter_flag, 0);
      // Office staff cannot flag.
      assert.equal((await vera.post(`/staff/service-requests/${ref}/review`, { formLetter: '1' })).statusCode, 403);
    });

    test('in Spanish: the queue, the request page and the overdue view', async () => {
      const ref = await other('VSC');
      const vera = await as('vsc1');
      const queue = await vera.get('/staff/queue?lang=es');
      assert.match(queue.body, /<html lang="es">/);
      assert.match(queue.body, new RegExp(`<title>${html(es('backOffice.queue.title'))} \\| Switchboard</title>`));
      assert.match(queue.body, new RegExp(html(es('backOffice.filter.heading'))));
      const page = await vera.get(`/staff/service-requests/${ref}`);
      assert.match(page.body, new RegExp(html(es('backOffice.request.heading', { referral: formatReferralNumber(ref) }))));
      assert.match(page.body, new RegExp(html(es('backOffice.request.claim'))));
      await vera.post(`/staff/service-requests/${ref}/claim`, {});
      const short = await vera.post(`/staff/service-requests/${ref}/respond`, { response: 'Corto.' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /<title>Error: /);
      assert.match(short.body, new RegExp(html(es('backOffice.error.response.too-short', { min: 40 }))));
      const sup = await as('sup');
      const overdue = await sup.get('/staff/overdue?lang=es');
      assert.match(overdue.body, new RegExp(`<h1>${html(es('backOffice.overdue.title'))}</h1>`));
    });
  });
}
