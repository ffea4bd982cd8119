/**
 * The Tier 2 desk pages and the office's notice re-issue page through app.inject, on SQLite and PostgreSQL: staff
 * sign in through the real sign-in form (cookie + CSRF); the callback queue by the officer's skills with overdue
 * callbacks marked; one callback with the whole story; attempts through the form (two failures: missed, the caller
 * told how to reach Tier 2 again; reached: on to the officer's new call); the case timeline (403 naming the rule for
 * Tier 1, 403 for admins, 404 for another office, RFE text never shown, calls and callbacks on the timeline); a
 * re-issue request that the holding office issues, after which the history shows "Duplicate Notice Was Mailed".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { PageBrowser as Browser, escapedHtml as html } from '../support/page-browser.ts';

const en = translator('en');
const es = translator('es');
const ANA = { name: 'Ana Pérez', dateOfBirth: '1990-03-02' };
const RFE_TEXT = 'Submit the joint sponsor affidavit with tax transcripts for 2024.';


let counter = 0;

for (const kind of databaseKinds()) {
  describe(`tier 2 desk pages [${kind}]`, () => {
    let t: TestApp;
    let tier1: string;
    const people: Record<string, { id: string; email: string; name: string }> = {};

    before(async () => {
      t = await startTestApp(kind);
      tier1 = (await t.signIn('tier1')).token;
      for (const [key, role, office, skills, name] of [
        ['t1', 'tier1', null, null, 'Terry One'], ['en', 'tier2', null, ['en'], 'Olga Officer'], ['es', 'tier2', null, ['en', 'es'], 'Oscar Oficial'],
        ['sup', 'supervisor', null, null, 'Sam Supervisor'], ['vsc', 'office', 'VSC', null, 'Vera Worker'], ['nbc', 'office', 'NBC', null, 'Nora Worker'],
        ['admin', 'admin', null, null, 'Ada Admin'], ['omb', 'ombudsman', null, null, 'Omar Analyst'],
      ] as const) {
        const email = `t2p.${key}.${++counter}@agency.test`;
        const u = await t.deps.staff.addUser({ email, name, role, office: office ?? undefined, password: TEST_PASSWORD, ...(skills ? { skills: [...skills] } : {}) }, { kind: 'cli' });
        people[key] = { id: u.id, email, name };
      }
    });
    after(() => t?.close());

    const as = (key: string) => new Browser(t).signIn(people[key]!.email);
    const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: bearer(tier1) });
    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    /** Tier 1 takes a call about `receipt`, verifies, writes a note and asks for a callback: its id and the call's. */
    const callback = async (o: { phone?: string; language?: string; receipt?: string; note?: string; reason?: string; urgency?: string; end?: boolean } = {}) => {
      const c = await post('/api/v1/contacts', { channel: 'phone', callerPhone: o.phone ?? '2025550143', language: o.language ?? 'en' });
      assert.equal(c.statusCode, 201, c.body);
      const contact = c.json() as { id: string; reference: string };
      if (o.receipt) assert.equal((await post(`/api/v1/contacts/${contact.id}/verification`, { receiptNumber: o.receipt, ...ANA })).json().verified, true);
      if (o.note) assert.equal((await post(`/api/v1/contacts/${contact.id}/notes`, { text: o.note })).statusCode, 201);
      const e = await post(`/api/v1/contacts/${contact.id}/escalations`, { reason: o.reason ?? 'Caller needs a pending case explained.', urgency: o.urgency ?? 'urgent' });
      assert.equal(e.statusCode, 201, e.body);
      assert.equal(e.json().mode, 'callback');
      if (o.end !== false) assert.equal((await post(`/api/v1/contacts/${contact.id}/end`, { disposition: 'escalated' })).statusCode, 200);
      return { id: e.json().id as string, contactId: contact.id, reference: contact.reference };
    };
    const makeOverdue = (id: string, hoursAgo: number) =>
      t.deps.database.db.updateTable('escalations').set({ due_at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() }).where('id', '=', id).execute();
    const rowsOf = (body: string) => [...body.matchAll(/<tr data-callback="([^"]+)" data-status="([a-z]+)"/g)].map((m) => ({ id: m[1]!, status: m[2]! }));

    test('signed out, the desk sends the browser to sign in and back', async () => {
      const res = await new Browser(t).get('/desk/callbacks?status=overdue');
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent('/desk/callbacks?status=overdue')}`);
    });

    test('the queue: by the officer\'s skills, soonest due first, overdue ones marked in words and with a tag; tabs filter', async () => {
      const english = await callback({ phone: '2025550161', reason: 'English caller: decided case explained.' });
      const late = await callback({ phone: '2025550162', reason: 'English caller: overdue promise.' });
      await makeOverdue(late.id, 5);
      const spanish = await callback({ phone: '2025550163', language: 'es', reason: 'La persona pide ayuda con su caso.' });

      const officer = await as('en');
      const page = await officer.get('/desk/callbacks');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<title>Callbacks \| Switchboard<\/title>/);
      const rows = rowsOf(page.body);
      const ids = rows.map((r) => r.id);
      assert.ok(ids.includes(english.id) && ids.includes(late.id), 'both English callbacks');
      assert.ok(!ids.includes(spanish.id), 'a Spanish callback is not for an English-only officer');
      assert.ok(ids.indexOf(late.id) < ids.indexOf(english.id), 'the overdue one, due soonest, comes first');
      assert.equal(rows.find((r) => r.id === late.id)!.status, 'overdue');
      const lateRow = page.body.slice(page.body.indexOf(`data-callback="${late.id}"`)).split('</tr>')[0]!;
      assert.match(lateRow, /data-testid="overdue">Overdue<\/strong> <strong class="text-no-wrap">by 5 hours<\/strong>/, 'a tag and the words: "Overdue by 5 hours"');
      assert.match(lateRow, /Urgent/);
      assert.match(lateRow, /English/);
      assert.match(lateRow, /English caller: overdue promise\./);
      assert.match(lateRow, /EST|EDT/, 'the due time in the agency\'s zone');
      const englishRow = page.body.slice(page.body.indexOf(`data-callback="${english.id}"`)).split('</tr>')[0]!;
      assert.match(englishRow, /Due in (2 days|3 days)/);
      assert.doesNotMatch(englishRow, /data-testid="overdue"/);
      assert.match(page.body, /data-testid="overdue-alert"/);
      assert.match(page.body, new RegExp(html(en('tier2Desk.queue.overdueAlertOne'))));

      const overdueTab = rowsOf((await officer.get('/desk/callbacks?status=overdue')).body).map((r) => r.id);
      assert.ok(overdueTab.includes(late.id) && !overdueTab.includes(english.id));
      const dueTab = rowsOf((await officer.get('/desk/callbacks?status=due')).body).map((r) => r.id);
      assert.ok(dueTab.includes(english.id) && !dueTab.includes(late.id));
      assert.match((await officer.get('/desk/callbacks?status=done')).body, /aria-current="page">Done</);

      const bilingual = rowsOf((await (await as('es')).get('/desk/callbacks')).body).map((r) => r.id);
      assert.ok(bilingual.includes(spanish.id) && bilingual.includes(english.id), 'an officer with Spanish and English sees both');
      const sup = rowsOf((await (await as('sup')).get('/desk/callbacks')).body).map((r) => r.id);
      assert.ok(sup.includes(spanish.id) && sup.includes(late.id), 'a supervisor sees every callback');
      assert.equal((await (await as('t1')).get('/desk/callbacks')).statusCode, 403, 'Tier 1 has no callback queue');
      assert.equal((await (await as('vsc')).get('/desk/callbacks')).statusCode, 403);
    });

    test('one callback: the whole story before dialling (notes, verified case, earlier calls); Spanish renders', async () => {
      const rn = await newCase();
      const earlier = await callback({ phone: '2025550170', receipt: rn, note: 'First call: the caller asks where the interview letter is.' });
      const cb = await callback({ phone: '2025550170', receipt: rn, note: 'The caller says the interview notice never came; moved in May.', reason: 'Interview notice never arrived; needs Tier 2.' });
      const officer = await as('en');
      const page = await officer.get(`/desk/callbacks/${cb.id}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /Call back \(202\) 555-0170/);
      assert.match(page.body, /data-testid="reason">Interview notice never arrived; needs Tier 2\.</);
      assert.match(page.body, /The caller says the interview notice never came; moved in May\./);
      assert.match(page.body, new RegExp(`href="/desk/cases/${rn}\\?purpose=${cb.id}">${rn}</a>`));
      assert.match(page.body, /Verified/);
      assert.match(page.body, new RegExp(`data-earlier="${earlier.contactId}"`), 'the caller\'s earlier call is listed');
      assert.match(page.body, /Test tier1 verified the caller on case/);
      for (const o of ['reached', 'no-answer', 'voicemail', 'wrong-number']) assert.match(page.body, new RegExp(`name="outcome" value="${o}"`));
      // A supervisor reads it but records nothing.
      const sup = await (await as('sup')).get(`/desk/callbacks/${cb.id}`);
      assert.equal(sup.statusCode, 200);
      assert.doesNotMatch(sup.body, /name="outcome"/);
      assert.match(sup.body, new RegExp(html(en('tier2Desk.attempt.readOnly'))));
      // Spanish.
      const spanish = await officer.get(`/desk/callbacks/${cb.id}?lang=es`);
      assert.match(spanish.body, /<html lang="es">/);
      assert.match(spanish.body, new RegExp(html(es('tier2Desk.callback.factsHeading'))));
      assert.match(spanish.body, new RegExp(html(es('tier2Desk.attempt.no-answer'))));
      assert.match(spanish.body, /Vence en/);
      const queueEs = await officer.get('/desk/callbacks');
      assert.match(queueEs.body, new RegExp(html(es('tier2Desk.queue.title'))), 'the language is remembered');
      await officer.get('/desk/callbacks?lang=en');
    });

    test('attempts through the form: a failure is logged; the second closes it as missed and says the caller was told how to reach Tier 2', async () => {
      const cb = await callback({ phone: '2025550180' });
      const officer = await as('en');
      await officer.get(`/desk/callbacks/${cb.id}`);
      const first = await officer.post(`/desk/callbacks/${cb.id}/attempts`, { outcome: 'no-answer' });
      assert.equal(first.statusCode, 303, first.body);
      assert.equal(first.headers.location, `/desk/callbacks/${cb.id}?done=no-answer`);
      const afterFirst = await officer.get(String(first.headers.location));
      assert.match(afterFirst.body, /data-testid="outcome">Recorded: no answer\.</);
      assert.match(afterFirst.body, /data-testid="attempts">1</);
      assert.match(afterFirst.body, /<tr data-attempt="1"><td>1<\/td><td>[^<]+<\/td><td>No answer<\/td><td>Olga Officer<\/td>/);
      assert.match(afterFirst.body, /Failed attempts left: 1\./);

      const second = await officer.post(`/desk/callbacks/${cb.id}/attempts`, { outcome: 'voicemail' });
      assert.equal(second.statusCode, 303);
      const missed = await officer.get(String(second.headers.location));
      assert.match(missed.body, /data-testid="status">Missed</);
      assert.match(missed.body, /data-testid="missed"/);
      assert.match(missed.body, new RegExp(html(en('tier2Desk.callback.missedText', { n: 2, phone: t.deps.agency.contactCenterPhone, hours: t.deps.contacts.policy.liveHelp.en }))));
      assert.doesNotMatch(missed.body, /name="outcome"/, 'no more buttons');
      const told = await t.deps.database.db.selectFrom('outbox').select('template').where('subject_ref', '=', `escalation:${cb.id}`).execute();
      assert.ok(told.some((m) => m.template === 'callback-missed'), 'the caller was told');

      // A stale page's third attempt is refused with the reason, not lost.
      const third = await officer.post(`/desk/callbacks/${cb.id}/attempts`, { outcome: 'reached' });
      assert.equal(third.statusCode, 409);
      assert.match(third.body, new RegExp(html(en('tier2Desk.error.attempt.conflict'))));
      // An outcome that is none of the four.
      const other = await callback({ phone: '2025550181' });
      const bad = await officer.post(`/desk/callbacks/${other.id}/attempts`, { outcome: 'hung-up' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: /);
      // Without the CSRF token nothing is recorded.
      assert.equal((await officer.post(`/desk/callbacks/${other.id}/attempts`, { outcome: 'no-answer' }, null)).statusCode, 403);
      assert.equal((await t.deps.database.db.selectFrom('escalations').select('attempts').where('id', '=', other.id).executeTakeFirstOrThrow()).attempts, 0);
    });

    test('reached: the callback is done and the officer goes on to their own new call at /desk/contacts/…', async () => {
      const rn = await newCase();
      const cb = await callback({ phone: '2025550190', receipt: rn });
      const officer = await as('en');
      await officer.get(`/desk/callbacks/${cb.id}`);
      const res = await officer.post(`/desk/callbacks/${cb.id}/attempts`, { outcome: 'reached' });
      assert.equal(res.statusCode, 303, res.body);
      const m = /^\/desk\/contacts\/([^/?#]+)$/.exec(String(res.headers.location));
      assert.ok(m, String(res.headers.location));
      const call = await t.deps.database.db.selectFrom('contacts').selectAll().where('id', '=', m[1]!).executeTakeFirstOrThrow();
      assert.equal(call.source, 'callback');
      assert.equal(call.agent_staff_id, people.en!.id);
      const page = await officer.get(`/desk/callbacks/${cb.id}`);
      assert.match(page.body, /data-testid="status">Done</);
      assert.match(page.body, new RegExp(`href="/desk/contacts/${m[1]}"`));
    });

    test('the case page: Tier 1 gets the 403 naming the rule (audited once), admins 403, another office 404, unknown 404', async () => {
      const rn = await newCase({ office: 'VSC' });
      const tier1Page = await (await as('t1')).get(`/desk/cases/${rn}`);
      assert.equal(tier1Page.statusCode, 403);
      assert.match(tier1Page.body, new RegExp(html(en('tier2Desk.forbidden.rule.case-questions-beyond-status-online'))));
      assert.match(tier1Page.body, /href="\/case-status"/);
      assert.doesNotMatch(tier1Page.body, /A012345678/);
      const traceId = /Reference for support: ([0-9a-f]+)/.exec(tier1Page.body)?.[1];
      assert.ok(traceId);
      const denials = await t.deps.database.db.selectFrom('audit_log').select(['outcome', 'subject']).where('trace_id', '=', traceId).where('outcome', '=', 'denied').execute();
      assert.equal(denials.length, 1, 'one audit entry for the refusal');
      assert.equal(denials[0]!.subject, `case:${rn}`);

      const admin = await (await as('admin')).get(`/desk/cases/${rn}`);
      assert.equal(admin.statusCode, 403);
      assert.match(admin.body, new RegExp(html(en('tier2Desk.forbidden.noRule'))));
      assert.equal((await (await as('nbc')).get(`/desk/cases/${rn}`)).statusCode, 404, 'another office: like no case at all');
      assert.equal((await (await as('en')).get('/desk/cases/EAC2599999999')).statusCode, 404);
      assert.equal((await (await as('vsc')).get(`/desk/cases/${rn}`)).statusCode, 200, 'the holding office');
      assert.equal((await (await as('omb')).get(`/desk/cases/${rn}`)).statusCode, 200, 'the Ombudsman');
    });

    test('the case page for Tier 2: full A-number, military flag, RFEs by date without text, calls and callbacks on the timeline, read audited with its purpose', async () => {
      const rn = await newCase({
        applicant: { ...(caseRecord().applicant as object), military: true, aNumber: 'A087654321' },
        rfes: [{ id: 'RFE-7', date: '2025-03-03', text: RFE_TEXT }],
      });
      const cb = await callback({ phone: '2025550200', receipt: rn, language: 'en' });
      const officer = await as('en');
      const page = await officer.get(`/desk/cases/${rn}?purpose=${cb.id}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /data-testid="a-number">A087654321</);
      assert.match(page.body, /data-testid="flags"/);
      assert.match(page.body, /Military/);
      assert.match(page.body, /Request for Evidence RFE-7/);
      assert.match(page.body, /March 3, 2025/);
      assert.doesNotMatch(page.body, /joint sponsor affidavit/, 'the RFE text is never on the page');
      assert.match(page.body, /<tr data-kind="contact">/);
      assert.match(page.body, new RegExp(`${cb.reference.slice(0, 4)} ${cb.reference.slice(4, 8)} ${cb.reference.slice(8)}`));
      assert.match(page.body, /<tr data-kind="callback">/);
      assert.match(page.body, new RegExp(`href="/desk/callbacks/${cb.id}"`));
      const read = await t.deps.database.db.selectFrom('audit_log').select(['purpose']).where('action', '=', 'case-read').where('subject', '=', `case:${rn}`).execute();
      assert.deepEqual(read.map((r) => r.purpose), [cb.id]);
      // The holding office does not see the RFE text on this page either (it has its own RFE read).
      assert.doesNotMatch((await (await as('vsc')).get(`/desk/cases/${rn}`)).body, /joint sponsor affidavit/);
    });

    test('re-issue: Tier 2 asks on the case page, the office issues the duplicate from its page, the history shows Duplicate Notice Was Mailed', async () => {
      const rn = await newCase({ office: 'VSC', notices: [{ id: 'N1', type: 'receipt', date: '2025-01-16' }, { id: 'N2', type: 'interview', date: '2025-04-02' }] });
      const officer = await as('en');
      const page = await officer.get(`/desk/cases/${rn}`);
      assert.match(page.body, new RegExp(`action="/desk/cases/${rn}/notice-reissue-requests"`));
      assert.equal([...page.body.matchAll(/name="noticeId" value="N\d"/g)].length, 2, 'a form per notice');
      const short = await officer.post(`/desk/cases/${rn}/notice-reissue-requests`, { noticeId: 'N2', reason: 'lost' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /<title>Error: /);
      assert.match(short.body, /aria-invalid="true"/);
      assert.match(short.body, />lost<\/textarea>/, 'what was typed stays');
      const ok = await officer.post(`/desk/cases/${rn}/notice-reissue-requests`, { noticeId: 'N2', reason: 'The interview notice never arrived; the caller moved in May.' });
      assert.equal(ok.statusCode, 303, ok.body);
      const shown = await officer.get(String(ok.headers.location));
      assert.match(shown.body, /data-testid="outcome">Re-issue of notice N2 requested</);
      assert.match(shown.body, /data-testid="reissue-open"/);
      assert.equal([...shown.body.matchAll(/name="noticeId" value="N\d"/g)].length, 1, 'no second request for the same notice');
      const again = await officer.post(`/desk/cases/${rn}/notice-reissue-requests`, { noticeId: 'N2', reason: 'Asked again by a stale page for the same notice.' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, new RegExp(html(en('tier2Desk.error.reissue.conflict'))));
      // Tier 1 may not ask; the form is not on Tier 1's page anyway.
      assert.equal((await (await as('t1')).post(`/desk/cases/${rn}/notice-reissue-requests`, { noticeId: 'N1', reason: 'Tier 1 tries to ask for a notice.' })).statusCode, 403);

      // The office's page.
      const worker = await as('vsc');
      const queue = await worker.get('/staff/queue');
      assert.match(queue.body, /href="\/office\/notice-reissue-requests">Notice re-issue requests</);
      const office = await worker.get('/office/notice-reissue-requests');
      assert.equal(office.statusCode, 200, office.body);
      const id = new RegExp(`<tr data-request="([^"]+)" id="request-[^"]+">\\s*<th scope="row" data-label="Case"><a class="usa-link" href="/desk/cases/${rn}`).exec(office.body)?.[1];
      assert.ok(id, 'the request is in the office list');
      assert.match(office.body, /The interview notice never arrived; the caller moved in May\./);
      assert.match(office.body, /Olga Officer/);
      assert.doesNotMatch((await (await as('nbc')).get('/office/notice-reissue-requests')).body, new RegExp(rn), 'another office does not see it');
      const supPage = await (await as('sup')).get('/office/notice-reissue-requests?office=VSC');
      assert.match(supPage.body, new RegExp(`data-request="${id}"`));
      assert.doesNotMatch(supPage.body, /\/issue"/, 'a supervisor reads; only the office issues');
      assert.match((await (await as('sup')).get('/office/notice-reissue-requests')).body, /name="office"/, 'a supervisor chooses the office');
      assert.equal((await officer.get('/office/notice-reissue-requests')).statusCode, 403, 'Tier 2 has no office list');

      const issued = await worker.post(`/office/notice-reissue-requests/${id}/issue`, { receiptNumber: rn, noticeId: 'N2' });
      assert.equal(issued.statusCode, 303, issued.body);
      assert.equal(issued.headers.location, `/office/notice-reissue-requests?issued=${id}`);
      const done = await worker.get(String(issued.headers.location));
      assert.match(done.body, /data-testid="outcome">Duplicate notice of N2 issued for case/);
      assert.doesNotMatch(done.body, new RegExp(`data-request="${id}"`), 'no longer waiting');
      assert.match(done.body, new RegExp(`data-done="${id}"`));
      // A second click on a stale page issues no second duplicate.
      const twice = await worker.post(`/office/notice-reissue-requests/${id}/issue`, { receiptNumber: rn, noticeId: 'N2' });
      assert.equal(twice.statusCode, 303);
      const caseView = await officer.get(`/desk/cases/${rn}`);
      assert.equal([...caseView.body.matchAll(/<li data-status="duplicate-notice-was-mailed">/g)].length, 1, 'one duplicate in the history');
      assert.match(caseView.body, /Duplicate Notice Was Mailed/);
      // Spanish office page.
      const esPage = await worker.get('/office/notice-reissue-requests?lang=es');
      assert.match(esPage.body, new RegExp(html(es('noticeWork.title'))));
      assert.match(esPage.body, new RegExp(html(es('noticeWork.doneHeading'))));
    });
  });
}
