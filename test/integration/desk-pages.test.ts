/**
 * The agent desk pages (src/desk) through app.inject, on SQLite and PostgreSQL: agents sign in through the real form
 * (cookie + CSRF) and work calls end to end. Tier 1 sees what Case Status Online shows and nothing more (no timeline,
 * no A-number, no re-issue form); Tier 2 sees the case's timeline and may request a re-issued notice; forms appear
 * only for the call's actions; every POST answers 303 back with ?done=, or the form again with the message beside
 * the field; the verification lock is said in words; an ended call shows its record and no forms; Spanish renders.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { formatContactReference } from '../../src/domain/contact-reference.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { PageBrowser as Browser, escapedHtml as html } from '../support/page-browser.ts';

const en = translator('en');
const es = translator('es');
const ANA = { name: 'Ana Pérez', dobMonth: '3', dobDay: '2', dobYear: '1990' };


let counter = 0;
const formToken = (body: string) => /name="formToken" value="([^"]+)"/.exec(body)?.[1] ?? '';

for (const kind of databaseKinds()) {
  describe(`agent desk pages [${kind}]`, () => {
    let t: TestApp;
    const people: Record<string, { email: string; agentId: string }> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const [key, role, skills] of [['tier1', 'tier1', undefined], ['tier1b', 'tier1', undefined], ['tier2', 'tier2', ['en']], ['office', 'office', undefined]] as const) {
        const email = `desk.${key}.${++counter}@agency.test`;
        const u = await t.deps.staff.addUser({ email, name: `Desk ${key}`, role, office: role === 'office' ? 'VSC' : undefined, password: TEST_PASSWORD, skills: skills ? [...skills] : undefined }, { kind: 'cli' });
        people[key] = { email, agentId: u.agentId };
      }
    });
    after(() => t?.close());

    const as = (key: string) => new Browser(t).signIn(people[key]!.email);
    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord({
        history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-02', status: 'fingerprints-were-taken' }],
        notices: [{ id: 'N1', type: 'receipt', date: '2025-01-16' }], ...overrides,
      });
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    /** Starts a call from the desk's form; answers the call's id and its screen. */
    const startCall = async (b: Browser, phone = '(202) 555-0143', language = 'en') => {
      const desk = await b.get('/desk');
      const res = await b.post('/desk/contacts', { callerPhone: phone, language, formToken: formToken(desk.body) });
      assert.equal(res.statusCode, 303, res.body);
      const location = res.headers.location as string;
      assert.match(location, /^\/desk\/contacts\/[^/?]+\?done=started$/);
      const id = location.split('/')[3]!.split('?')[0]!;
      return { id, page: await b.get(location) };
    };
    const verify = (b: Browser, id: string, receiptNumber: string, who = ANA) => b.post(`/desk/contacts/${id}/verify`, { receiptNumber, ...who });
    const forms = (body: string) => [...body.matchAll(/<form method="post" action="\/desk\/contacts\/[^/]+\/([a-z-]+)"/g)].map((m) => m[1]).sort();

    test('signed out, the desk sends the browser to sign in; the staff home links Tier 1 and Tier 2 to it; office staff are refused', async () => {
      const anonymous = await new Browser(t).get('/desk');
      assert.equal(anonymous.statusCode, 302);
      assert.equal(anonymous.headers.location, `/sign-in?next=${encodeURIComponent('/desk')}`);
      for (const key of ['tier1', 'tier2']) assert.match((await (await as(key)).get('/staff')).body, new RegExp(`href="/desk">${html(en('desk.home.link'))}<`));
      const office = await as('office');
      assert.doesNotMatch((await office.get('/staff')).body, /href="\/desk"/);
      assert.equal((await office.get('/desk')).statusCode, 403);
    });

    test('starting a call: a bad phone is named beside its field; a good one opens the call with its reference in groups of four and the agent ID', async () => {
      const b = await as('tier1');
      const desk = await b.get('/desk');
      assert.equal(desk.statusCode, 200);
      assert.match(desk.body, /<input[^>]+id="callerPhone"[^>]*autofocus/);
      const bad = await b.post('/desk/contacts', { callerPhone: '12', language: 'en', formToken: formToken(desk.body) });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: Agent desk/);
      assert.match(bad.body, new RegExp(`id="callerPhone-error">${html(en('desk.error.callerPhone.invalid'))}<`));
      assert.match(bad.body, /id="callerPhone"[^>]+value="12"/);

      const { id, page } = await startCall(b);
      const row = await t.deps.database.db.selectFrom('contacts').select(['reference', 'agent_id', 'caller_phone']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.caller_phone, '+12025550143');
      assert.match(page.body, new RegExp(`data-testid="reference">${formatContactReference(row.reference)}<`));
      assert.match(page.body, new RegExp(`data-testid="agent-id">${people.tier1!.agentId}<`));
      assert.match(page.body, /\(202\) 555-0143/);
      assert.match(page.body, new RegExp(html(en('desk.done.started'))));
      // Before verification: a verify form with the receipt number focused, nothing about a case.
      assert.match(page.body, /id="receiptNumber"[^>]*autofocus/);
      assert.deepEqual(forms(page.body), ['end', 'escalate', 'notes', 'service-requests', 'verify']);
      // The call is listed as open on the desk, and is nobody else's.
      assert.match((await b.get('/desk')).body, new RegExp(`href="/desk/contacts/${id}"`));
      assert.equal((await (await as('tier1b')).get(`/desk/contacts/${id}`)).statusCode, 404);
    });

    test('Tier 1: verified, the case panel shows only what Case Status Online shows (no timeline, no A-number, no re-issue form)', async () => {
      const receipt = await newCase();
      const b = await as('tier1');
      const { id } = await startCall(b);
      const failed = await verify(b, id, receipt, { ...ANA, name: 'Someone Else' });
      assert.equal(failed.statusCode, 303);
      assert.match(failed.headers.location as string, /done=verify-failed&left=2/);
      assert.match((await b.get(failed.headers.location as string)).body, new RegExp(html(en('desk.done.verify-failed', { left: 2 }))));
      const page = await b.send(`/desk/contacts/${id}/verify`, { receiptNumber: receipt, ...ANA });
      assert.match(page.body, new RegExp(html(en('desk.verify.verified', { receipt }))));
      const status = await t.deps.caseStatus.find(receipt);
      assert.match(page.body, new RegExp(`data-testid="status-title" data-agency-text>${html(status!.current.title.en)}<`));
      assert.match(page.body, /data-testid="status-description"/);
      assert.doesNotMatch(page.body, /data-testid="timeline"/);
      assert.doesNotMatch(page.body, /A012345678/);
      assert.doesNotMatch(page.body, /Ana Pérez|March 2, 1990/, 'Tier 1 is not shown the applicant on file');
      assert.doesNotMatch(page.body, /\/reissue"/);
      assert.deepEqual(forms(page.body), ['end', 'escalate', 'notes', 'service-requests', 'verify']);
      // A Tier 1 agent posting the re-issue form anyway is refused, the denial audited.
      const forced = await b.post(`/desk/contacts/${id}/reissue`, { receiptNumber: receipt, noticeId: 'N1', reissueReason: 'The caller never got the receipt notice in the mail.', formToken: 'x-1' });
      assert.equal(forced.statusCode, 403);
      assert.match(forced.body, new RegExp(html(en('desk.error.forbidden'))));
      const denied = await t.deps.database.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'POST /desk/contacts/:id/reissue').execute();
      assert.ok(denied.some((d) => d.outcome === 'denied'), 'the caught denial is in the audit trail');
    });

    test('the verification lock: the third failure says it locked; the next try says until when, in words', async () => {
      const receipt = await newCase();
      const b = await as('tier1');
      const { id } = await startCall(b);
      for (const left of [2, 1]) assert.match((await verify(b, id, receipt, { ...ANA, dobYear: '1991' })).headers.location as string, new RegExp(`left=${left}`));
      const third = await verify(b, id, receipt, { ...ANA, dobYear: '1991' });
      assert.match((await b.get(third.headers.location as string)).body, new RegExp(html(en('desk.done.verify-locked', { hours: 24 }))));
      const locked = await verify(b, id, receipt);
      assert.equal(locked.statusCode, 403);
      const lock = await t.deps.database.db.selectFrom('verification_locks').selectAll().where('receipt_number', '=', receipt).executeTakeFirstOrThrow().catch(() => null);
      assert.match(locked.body, /data-testid="verify-problem"/);
      assert.match(locked.body, /is locked until [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2}/);
      if (lock) assert.ok(lock);
      // Field checks happen on the page first.
      const empty = await verify(b, id, '', { name: '', dobMonth: '', dobDay: '', dobYear: '' });
      assert.equal(empty.statusCode, 400);
      for (const f of ['receiptNumber', 'name']) assert.match(empty.body, new RegExp(`id="${f}-error"`));
      assert.match(empty.body, /id="dob-error"/);
    });

    test('notes, a service request with its referral number in groups of five, a callback, and the end: the call record, no forms', async () => {
      const receipt = await newCase();
      const b = await as('tier1');
      const { id } = await startCall(b, '(202) 555-0177');
      await b.send(`/desk/contacts/${id}/verify`, { receiptNumber: receipt, ...ANA });
      const emptyNote = await b.post(`/desk/contacts/${id}/notes`, { text: '  ' });
      assert.equal(emptyNote.statusCode, 400);
      assert.match(emptyNote.body, new RegExp(`id="text-error">${html(en('desk.error.text.required'))}<`));
      const noted = await b.send(`/desk/contacts/${id}/notes`, { text: 'Asks why the interview letter never came.' });
      assert.match(noted.body, /data-testid="notes"[\s\S]*Asks why the interview letter never came\./);

      // An expedite without its reason is refused beside the field.
      let page = await b.get(`/desk/contacts/${id}`);
      const expedite = await b.post(`/desk/contacts/${id}/service-requests`, { srReceipt: receipt, srType: 'expedite', srDetails: 'She must travel to see her ill mother.', formToken: formToken(page.body) });
      assert.equal(expedite.statusCode, 400);
      assert.match(expedite.body, new RegExp(`id="srCriterion-error">${html(en('desk.error.srCriterion.required'))}<`));
      assert.match(expedite.body, /She must travel to see her ill mother\./);
      page = await b.get(`/desk/contacts/${id}`);
      assert.match(page.body, new RegExp(`id="srReceipt"[^>]+value="${receipt}"`), 'the verified case is filled in');
      const made = await b.post(`/desk/contacts/${id}/service-requests`, { srReceipt: receipt, srType: 'other', srDetails: 'The interview letter never came.', formToken: formToken(page.body) });
      assert.equal(made.statusCode, 303, made.body.slice(0, 3000));
      const referral = /referral=(\d{15})/.exec(made.headers.location as string)![1]!;
      page = await b.get(made.headers.location as string);
      assert.match(page.body, new RegExp(html(en('desk.done.sr', { referral: formatReferralNumber(referral) }))));
      assert.match(formatReferralNumber(referral), /^\d{5} \d{5} \d{5}$/);
      const stored = await t.deps.database.db.selectFrom('service_requests').select(['contact_id', 'type']).where('referral_number', '=', referral).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { contact_id: id, type: 'other' });
      // The same kind again: the open one is named.
      const again = await b.post(`/desk/contacts/${id}/service-requests`, { srReceipt: receipt, srType: 'other', srDetails: 'Asking again.', formToken: formToken(page.body) });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, new RegExp(formatReferralNumber(referral)));

      // Escalation: a short reason is named; then a callback (no Tier 2 officer is available).
      const short = await b.post(`/desk/contacts/${id}/escalate`, { reason: 'help', urgency: 'urgent', callbackPhone: '(202) 555-0177', notifyChannel: 'sms', formToken: formToken(page.body) });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /id="reason-error"/);
      assert.match(page.body, /id="callbackPhone"[^>]+value="\(202\) 555-0177"/, 'the callback phone defaults to the caller\'s');
      page = await b.send(`/desk/contacts/${id}/escalate`, { reason: 'Needs an officer to look at the interview file.', urgency: 'urgent', callbackPhone: '(202) 555-0177', callbackWindow: 'weekday mornings', notifyChannel: 'sms', formToken: formToken(page.body) });
      const escalation = await t.deps.database.db.selectFrom('escalations').selectAll().where('contact_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(escalation.mode, 'callback');
      assert.equal(escalation.phone, '+12025550177');
      assert.match(page.body, /No Tier 2 officer is free\. Tier 2 will call back by [A-Z]/);

      // Ending: the disposition is required; then the record, read out, with no forms left.
      const noDisposition = await b.post(`/desk/contacts/${id}/end`, { disposition: '', sendChannel: 'none' });
      assert.equal(noDisposition.statusCode, 400);
      assert.match(noDisposition.body, /id="disposition-error"/);
      const ended = await b.post(`/desk/contacts/${id}/end`, { disposition: 'service-request-created', endNotes: 'Told her the number.', sendChannel: 'sms', sendTo: '' });
      assert.equal(ended.statusCode, 303);
      assert.match(ended.headers.location as string, /done=ended#record$/);
      const record = await b.get(ended.headers.location as string);
      const row = await t.deps.database.db.selectFrom('contacts').select(['reference', 'ended_at', 'disposition']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.disposition, 'service-request-created');
      assert.match(record.body, /<title>The call ended\. – Call record \| Switchboard<\/title>|<title>The call ended – Call record/);
      assert.match(record.body, new RegExp(`data-testid="record-reference">${formatContactReference(row.reference)}<`));
      assert.match(record.body, new RegExp(`data-testid="record-agent">${people.tier1!.agentId}<`));
      assert.match(record.body, new RegExp(`data-testid="record-referrals"><strong>${formatReferralNumber(referral)}</strong>`));
      assert.match(record.body, /data-testid="record-callback"><strong>[A-Z][a-z]+ \d/);
      assert.deepEqual(forms(record.body), []);
      const sent = await t.deps.database.db.selectFrom('outbox').select(['channel', 'to_address']).where('subject_ref', '=', `contact:${id}`).execute();
      assert.deepEqual(sent.map((s) => s.channel), ['sms']);
      // Ended calls are off the desk's open list; posting to one is a clear conflict, not a crash.
      assert.doesNotMatch((await b.get('/desk')).body, new RegExp(`href="/desk/contacts/${id}"`));
      const late = await b.post(`/desk/contacts/${id}/notes`, { text: 'Too late.' });
      assert.equal(late.statusCode, 409);
      assert.match(late.body, new RegExp(html(en('desk.error.ended'))));

      // The caller calls again: the earlier call is in the side panel with its note.
      const { page: second } = await startCall(b, '202-555-0177');
      assert.match(second.body, /data-testid="earlier"[\s\S]*Asks why the interview letter never came\./);
      assert.match(second.body, new RegExp(`data-testid="earlier"[\\s\\S]*${formatContactReference(row.reference)}`));
    });

    test('Tier 2: presence; a live transfer from Tier 1 names the officer; the officer sees the timeline and A-number and requests a re-issued notice', async () => {
      const officer = await as('tier2');
      let desk = await officer.get('/desk');
      assert.match(desk.body, /href="\/desk\/callbacks"/);
      assert.match(desk.body, new RegExp(html(en('desk.presence.now.away'))));
      desk = await officer.send('/desk/presence', { status: 'available' });
      assert.match(desk.body, new RegExp(html(en('desk.presence.now.available'))));
      assert.doesNotMatch((await (await as('tier1')).get('/desk')).body, /desk\/callbacks|desk\/presence/, 'Tier 1 has neither');

      const receipt = await newCase();
      const agent = await as('tier1');
      const { id } = await startCall(agent, '(202) 555-0190');
      let page = await agent.send(`/desk/contacts/${id}/verify`, { receiptNumber: receipt, ...ANA });
      page = await agent.send(`/desk/contacts/${id}/escalate`, { reason: 'The caller needs the interview file reviewed.', urgency: 'regular', callbackPhone: '', notifyChannel: 'sms', formToken: formToken(page.body) });
      assert.match(page.body, new RegExp(html(en('desk.done.transferred', { agentId: people.tier2!.agentId }))));

      // The officer's desk lists the call transferred to them, and says they are busy with it.
      const busy = await officer.get('/desk');
      assert.match(busy.body, new RegExp(`data-testid="open-calls"[\\s\\S]*href="/desk/contacts/${id}"`));
      assert.match(busy.body, new RegExp(html(en('desk.presence.now.busy'))));
      const seen = await officer.get(`/desk/contacts/${id}`);
      assert.equal(seen.statusCode, 200);
      assert.match(seen.body, /data-testid="timeline"/);
      assert.match(seen.body, /<li data-kind="transfer">[^<]*<time[^>]*>[^<]*<\/time>: Call transferred live to Tier 2</);
      assert.doesNotMatch(seen.body, /<li data-kind="[a-z-]+"><time[^>]*>[^<]*<\/time>: [a-z-]+<\/li>/, 'every timeline entry is in words');
      assert.match(seen.body, /data-testid="a-number">A012345678</);
      assert.match(seen.body, /action="\/desk\/contacts\/[^"]+\/reissue"/);
      assert.deepEqual(forms(seen.body), ['appointments', 'end', 'notes', 'reissue', 'service-requests', 'verify'], 'no escalation form for Tier 2 (a verified case: the in-person appointment panel)');
      const read = await t.deps.database.db.selectFrom('audit_log').select(['purpose']).where('action', '=', 'case-read').where('subject', '=', `case:${receipt}`).execute();
      assert.ok(read.some((r) => r.purpose === id), 'the case read is audited with the call as its purpose');
      const short = await officer.post(`/desk/contacts/${id}/reissue`, { receiptNumber: receipt, noticeId: 'N1', reissueReason: 'lost', formToken: formToken(seen.body) });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, new RegExp(`id="reissue-${receipt}-N1-error"`));
      const done = await officer.send(`/desk/contacts/${id}/reissue`, { receiptNumber: receipt, noticeId: 'N1', reissueReason: 'The caller never got the receipt notice in the mail.', formToken: formToken(seen.body) });
      assert.match(done.body, new RegExp(html(en('desk.done.reissue'))));
      const reissues = await t.deps.database.db.selectFrom('notice_reissue_requests').select(['contact_id', 'notice_id']).where('receipt_number', '=', receipt).execute();
      assert.deepEqual(reissues, [{ contact_id: id, notice_id: 'N1' }]);
      const twice = await officer.post(`/desk/contacts/${id}/reissue`, { receiptNumber: receipt, noticeId: 'N1', reissueReason: 'The caller never got the receipt notice in the mail.', formToken: 'another-token-1' });
      assert.equal(twice.statusCode, 409);
      assert.match(twice.body, new RegExp(html(en('desk.error.reissueOpen'))));
      await officer.send('/desk/presence', { status: 'away' });
    });

    test('forms need the CSRF token; Spanish renders the desk and the call', async () => {
      const b = await as('tier1');
      const { id } = await startCall(b, '(202) 555-0111', 'es');
      assert.equal((await b.post(`/desk/contacts/${id}/notes`, { text: 'Sin token.' }, null)).statusCode, 403);
      const desk = await b.get('/desk?lang=es');
      assert.match(desk.body, /<html lang="es">/);
      assert.match(desk.body, new RegExp(html(es('desk.start.formHeading'))));
      const call = await b.get(`/desk/contacts/${id}?lang=es`);
      assert.match(call.body, new RegExp(html(es('desk.verify.heading'))));
      assert.match(call.body, new RegExp(html(es('desk.end.submit'))));
      assert.match(call.body, new RegExp(`<dd>${html(es('desk.language.es'))}</dd>`));
      const bad = await b.post(`/desk/contacts/${id}/notes`, { text: '' });
      assert.match(bad.body, new RegExp(html(es('desk.error.text.required'))));
    });
  });
}
