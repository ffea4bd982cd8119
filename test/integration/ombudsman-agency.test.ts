/**
 * The Ombudsman's requests to the agency and letters to the person (issue 10, item 2), through the HTTP API on
 * SQLite and PostgreSQL (two instances on one PostgreSQL database for the claim race): an analyst asks the office
 * holding a cited case, the item is in that office's queue with its due date, one of many simultaneous claims wins,
 * the answer comes back to the request, which moves to answered when every question is, and is closed; outsiders
 * are refused; a letter reaches the real test SMTP server in the request's language, or goes by post; the case
 * feed moving the case moves the item to the new office.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { PageBrowser, escapedHtml } from '../support/page-browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';
import { AGENCY_ANSWER_BUSINESS_DAYS } from '../../src/ombudsman/policy.ts';

const CA = '/api/v1/ombudsman/case-assistance';
const QUESTION = 'Please tell us why the interview for this case was never scheduled after the biometrics.';
const ANSWER = 'The file was waiting at the National Benefits Center; we scheduled the interview for next month.';
const en = translator('en');
const es = translator('es');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of databaseKinds()) {
  const instanceCount = kind === 'postgres' ? 2 : 1;
  describe(`Ombudsman requests to the agency [${kind}, ${instanceCount} instance${instanceCount > 1 ? 's' : ''}]`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    const instances: TestApp[] = [];
    let analyst: { token: string; id: string; email: string };
    let vsc: Array<{ token: string; id: string; email: string }>;
    let csc: { token: string; id: string; email: string };
    let supervisor: string;
    let tier1: string;
    let tier2: string;
    let admin: string;
    let today: string;

    before(async () => {
      smtp = await startTestSmtp();
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '10000', SMTP_URL: smtp.url } });
      instances.push(t);
      for (let i = 1; i < instanceCount; i++) instances.push(await startTestApp(kind, { sharing: t }));
      analyst = await t.signIn('ombudsman');
      vsc = [];
      for (let i = 0; i < 6; i++) vsc.push(await t.signIn('office', { office: 'VSC' }));
      csc = await t.signIn('office', { office: 'CSC' });
      supervisor = (await t.signIn('supervisor')).token;
      tier1 = (await t.signIn('tier1')).token;
      tier2 = (await t.signIn('tier2')).token;
      admin = (await t.signIn('admin')).token;
      today = todayIn(t.deps.agency.timeZone);
    });
    after(async () => {
      // Whatever before() got to: a test SMTP server left open keeps the process from ending.
      await t?.deps.outboxWorker?.stop();
      for (const app of instances.slice(1)) await app.close();
      await t?.close();
      await smtp?.close();
    });

    const via = (i: number) => instances[i % instanceCount]!;
    const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    const post = (url: string, token: string, payload: Record<string, unknown> = {}, app = t) => app.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
    const load = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record;
    };
    const submitted = async (receipts: string[], options: { lang?: 'es'; requester?: Record<string, unknown> } = {}) => {
      const res = await t.app.inject({
        method: 'POST', url: CA, headers: options.lang ? { 'accept-language': 'es-US' } : {},
        payload: {
          requester: options.requester ?? { name: 'Ana Pérez', email: 'ana@example.org' },
          cases: receipts.map((receiptNumber) => ({ receiptNumber, formType: 'I-130' })),
          priorActions: [{ date: addDays(today, -10), kind: 'call' }],
          reasons: 'My I-130 has been pending for three years and nobody can tell me why.',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().requestNumber as string;
    };
    const ask = async (n: string, receiptNumber: string, question = QUESTION) => {
      const res = await post(`${CA}/${n}/agency-requests`, analyst.token, { receiptNumber, question });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; office: string; dueDate: string; status: string; requestNumber: string };
    };
    const detail = async (n: string) => {
      const res = await get(`${CA}/${n}`, analyst.token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { status: string; history: Array<{ action: string; detail: Record<string, unknown> | null }> };
    };
    const officeQueue = async (office: string, token: string, query = '') => {
      const res = await get(`/api/v1/offices/${office}/ombudsman-requests?pageSize=200${query}`, token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: Array<{ id: string; dueDate: string; status: string; question: string }>; total: number };
    };

    test('ask → the office queue shows it (oldest due first) → a claim race has one winner → answers → the request is answered with them in its history → closed', async () => {
      const a = await load();
      const b = await load();
      const n = await submitted([a.receiptNumber as string, b.receiptNumber as string]);
      const first = await ask(n, a.receiptNumber as string);
      assert.equal(first.office, 'VSC');
      assert.equal(first.status, 'open');
      const calendar = t.deps.serviceRequests.rules.calendarFor('VSC');
      assert.equal(first.dueDate, calendar.addBusinessDays(calendar.dateAt(new Date()), AGENCY_ANSWER_BUSINESS_DAYS), '15 business days of the office calendar');
      let d = await detail(n);
      assert.equal(d.status, 'agency-asked', 'received → agency-asked on asking');
      assert.deepEqual(d.history.map((h) => h.action), ['received', 'agency-asked', 'status']);
      const second = await ask(n, b.receiptNumber as string, 'Is there an open FBI name check holding this second case?');
      assert.equal((await detail(n)).history.filter((h) => h.action === 'status').length, 1, 'asking again leaves it agency-asked');

      // An older item of another request is listed first (oldest due first).
      const older = await ask(await submitted([a.receiptNumber as string]), a.receiptNumber as string);
      await t.deps.database.db.updateTable('ombudsman_agency_requests').set({ due_date: addDays(today, -1) }).where('id', '=', older.id).execute();
      const queue = await officeQueue('VSC', vsc[0]!.token);
      const ids = queue.items.map((i) => i.id);
      assert.ok(ids.includes(first.id) && ids.includes(second.id));
      assert.equal(ids[0], older.id);
      assert.deepEqual(queue.items.map((i) => i.dueDate), [...queue.items.map((i) => i.dueDate)].sort());
      const overdue = (await get(`/api/v1/ombudsman-requests/${older.id}`, vsc[0]!.token)).json();
      assert.equal(overdue.overdue, true);
      assert.equal((await officeQueue('VSC', supervisor)).total, queue.total, 'supervisors read every office');

      // Six office staff claim at once, across the instances: exactly one wins.
      const claims = await Promise.all(vsc.map((s, i) => post(`/api/v1/ombudsman-requests/${first.id}/claim`, s.token, {}, via(i))));
      const won = claims.filter((r) => r.statusCode === 200);
      assert.equal(won.length, 1, claims.map((r) => r.statusCode).join(' '));
      assert.ok(claims.filter((r) => r.statusCode !== 200).every((r) => r.statusCode === 409 && problem(r).code === 'conflict'));
      const holder = vsc[claims.indexOf(won[0]!)]!;
      const other = vsc.find((s) => s !== holder)!;
      assert.equal(won[0]!.json().claimedBy.id, holder.id);
      assert.equal((await post(`/api/v1/ombudsman-requests/${first.id}/claim`, holder.token)).statusCode, 200, 'the holder again');
      assert.equal((await post(`/api/v1/ombudsman-requests/${first.id}/answer`, other.token, { answer: ANSWER })).statusCode, 403, 'not the claimant');
      const short = await post(`/api/v1/ombudsman-requests/${first.id}/answer`, holder.token, { answer: 'Done.' });
      assert.equal(short.statusCode, 400);
      assert.equal(problem(short).errors![0]!.field, 'answer');
      const answered = await post(`/api/v1/ombudsman-requests/${first.id}/answer`, holder.token, { answer: ANSWER });
      assert.equal(answered.statusCode, 200, answered.body);
      assert.equal(answered.json().status, 'answered');
      assert.equal((await post(`/api/v1/ombudsman-requests/${first.id}/answer`, holder.token, { answer: ANSWER })).statusCode, 409, 'answered once');
      d = await detail(n);
      assert.equal(d.status, 'agency-asked', 'one question still waits');
      const back = d.history.find((h) => h.action === 'agency-answer')!;
      assert.equal(back.detail!.answer, ANSWER);
      assert.equal(back.detail!.agencyRequestId, first.id);

      assert.equal((await post(`/api/v1/ombudsman-requests/${second.id}/claim`, other.token)).statusCode, 200);
      assert.equal((await post(`/api/v1/ombudsman-requests/${second.id}/answer`, other.token, { answer: `${ANSWER} No name check is pending.` })).statusCode, 200);
      d = await detail(n);
      assert.equal(d.status, 'answered', 'every question answered');
      assert.deepEqual(d.history.slice(-2).map((h) => [h.action, h.detail?.to ?? null]), [['agency-answer', null], ['status', 'answered']]);
      const list = (await get(`${CA}/${n}/agency-requests`, analyst.token)).json();
      assert.deepEqual(list.items.map((i: { status: string; answer: string }) => i.status), ['answered', 'answered']);
      assert.equal(list.items[0].answer, ANSWER);
      assert.equal((await officeQueue('VSC', vsc[0]!.token)).items.some((i) => i.id === first.id), false, 'answered leaves the waiting list');
      assert.equal((await officeQueue('VSC', vsc[0]!.token, '&status=answered')).items[0]!.id, second.id, 'answered ones, newest first');

      const closed = await post(`${CA}/${n}/status`, analyst.token, { status: 'closed', outcome: 'The office scheduled the interview; no name check is pending.' });
      assert.equal(closed.statusCode, 200, closed.body);
      const refused = await post(`${CA}/${n}/agency-requests`, analyst.token, { receiptNumber: a.receiptNumber, question: QUESTION });
      assert.equal(refused.statusCode, 409, 'a closed request asks no more');

      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('subject', '=', `ombudsman-agency-request:${first.id}`).orderBy('seq').execute();
      assert.deepEqual(audit.map((x) => x.action), ['ombudsman-agency-request-claim', 'ombudsman-agency-request-answer']);
      assert.doesNotMatch(JSON.stringify(audit), /National Benefits Center|interview/, 'no answer text in the audit trail');
      const asked = await t.deps.database.db.selectFrom('audit_log').select('action').where('subject', '=', `case-assistance:${n}`).where('action', '=', 'ombudsman-agency-request-create').execute();
      assert.equal(asked.length, 2);
    });

    test('asking: only a cited case (400), only a case Switchboard holds (422), a question long enough (400); Idempotency-Key replays', async () => {
      const a = await load();
      const other = await load();
      const n = await submitted([a.receiptNumber as string, 'EAC2599999999']);
      const notCited = await post(`${CA}/${n}/agency-requests`, analyst.token, { receiptNumber: other.receiptNumber, question: QUESTION });
      assert.equal(notCited.statusCode, 400);
      assert.deepEqual(problem(notCited).errors!.map((e) => e.field), ['receiptNumber']);
      const notHeld = await post(`${CA}/${n}/agency-requests`, analyst.token, { receiptNumber: 'EAC2599999999', question: QUESTION });
      assert.equal(notHeld.statusCode, 422, notHeld.body);
      const short = await post(`${CA}/${n}/agency-requests`, analyst.token, { receiptNumber: a.receiptNumber, question: 'Why?' });
      assert.equal(short.statusCode, 400);
      assert.deepEqual(problem(short).errors!.map((e) => e.field), ['question']);
      assert.equal((await post(`${CA}/CA000000000/agency-requests`, analyst.token, { receiptNumber: a.receiptNumber, question: QUESTION })).statusCode, 404);
      const headers = { ...bearer(analyst.token), 'idempotency-key': `agency-${kind}` };
      const once = await t.app.inject({ method: 'POST', url: `${CA}/${n}/agency-requests`, headers, payload: { receiptNumber: a.receiptNumber, question: QUESTION } });
      const twice = await t.app.inject({ method: 'POST', url: `${CA}/${n}/agency-requests`, headers, payload: { receiptNumber: a.receiptNumber, question: QUESTION } });
      assert.equal(once.statusCode, 201);
      assert.equal(twice.json().id, once.json().id);
      const rows = await t.deps.database.db.selectFrom('ombudsman_agency_requests').select('id').where('request_number', '=', n).execute();
      assert.equal(rows.length, 1);
    });

    test('outsiders are refused: other offices 403 on the list and 404 on the item; Tier 1, Tier 2 and admins 403; supervisors read but do not claim', async () => {
      const a = await load();
      const n = await submitted([a.receiptNumber as string]);
      const item = await ask(n, a.receiptNumber as string);
      const at = `/api/v1/ombudsman-requests/${item.id}`;
      assert.equal((await get('/api/v1/offices/VSC/ombudsman-requests', csc.token)).statusCode, 403);
      for (const url of [at]) assert.equal((await get(url, csc.token)).statusCode, 404);
      assert.equal((await post(`${at}/claim`, csc.token)).statusCode, 404);
      assert.equal((await post(`${at}/answer`, csc.token, { answer: ANSWER })).statusCode, 404);
      for (const token of [tier1, tier2, admin, analyst.token]) assert.equal((await get('/api/v1/offices/VSC/ombudsman-requests', token)).statusCode, 403);
      for (const token of [tier1, tier2, admin]) {
        assert.equal((await get(at, token)).statusCode, 403);
        assert.equal((await post(`${at}/claim`, token)).statusCode, 403);
        assert.equal((await post(`${CA}/${n}/agency-requests`, token, { receiptNumber: a.receiptNumber, question: QUESTION })).statusCode, 403);
        assert.equal((await post(`${CA}/${n}/letters`, token, { text: 'A letter from someone who may not send it.' })).statusCode, 403);
      }
      assert.equal((await get(at, supervisor)).statusCode, 200);
      assert.equal((await get(at, analyst.token)).statusCode, 200, 'the Ombudsman reads what it asked');
      assert.equal((await post(`${at}/claim`, supervisor)).statusCode, 403);
      assert.equal((await get('/api/v1/offices/XXX/ombudsman-requests', supervisor)).statusCode, 404);
      assert.equal((await get(at)).statusCode, 401);
      assert.equal((await get('/api/v1/ombudsman-requests/not-an-id', vsc[0]!.token)).statusCode, 404);
    });

    test('letters: delivered to the real SMTP server in the request\'s language (the requester\'s e-mail); without any e-mail the history says by post', async () => {
      const a = await load();
      const n = await submitted([a.receiptNumber as string], { lang: 'es', requester: { name: 'Luis Gómez', email: 'luis@example.org' } });
      const short = await post(`${CA}/${n}/letters`, analyst.token, { text: 'Hola' });
      assert.equal(short.statusCode, 400);
      const text = 'Pedimos a la oficina que revise su caso. Le escribiremos de nuevo cuando conteste.';
      const sent = await post(`${CA}/${n}/letters`, analyst.token, { text });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal(sent.json().delivery, 'email');
      const toLuis = () => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === 'luis@example.org');
      for (let i = 0; i < 300 && toLuis().length === 0; i++) {
        if (i % 50 === 0) await t.deps.outboxWorker!.drain();
        await sleep(10);
      }
      assert.equal(toLuis().length, 1);
      const mail = toLuis()[0]!;
      assert.match(mail.subject ?? '', new RegExp(`Ombudsman.*${n}`));
      assert.match(mail.subject ?? '', /carta/i, 'in Spanish, the request\'s language');
      assert.match(mail.text ?? '', /Le escribiremos de nuevo/);
      assert.match(mail.text ?? '', new RegExp(a.receiptNumber as string));
      let d = await detail(n);
      assert.deepEqual(d.history.at(-1)!.detail, { letter: 'email', text });
      assert.equal(d.status, 'received', 'a letter does not move the request');

      const m = await submitted([a.receiptNumber as string], { requester: { name: 'Ana Pérez' } });
      const post1 = await post(`${CA}/${m}/letters`, analyst.token, { text: 'We asked the office to look at your case again.' });
      assert.equal(post1.statusCode, 201);
      assert.equal(post1.json().delivery, 'post');
      d = await detail(m);
      assert.equal(d.history.at(-1)!.action, 'letter');
      assert.equal(d.history.at(-1)!.detail!.letter, 'post');
      assert.equal((await t.deps.database.db.selectFrom('outbox').select('id').where('subject_ref', '=', m).execute()).length, 0);
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('subject', 'in', [`case-assistance:${n}`, `case-assistance:${m}`]).where('action', '=', 'case-assistance-letter').execute();
      assert.equal(audit.length, 2);
      assert.doesNotMatch(JSON.stringify(audit), /escribiremos|look at your case/, 'no letter text in the audit trail');
    });

    test('pages: the analyst asks and writes from the request page (errors beside their fields); the office claims and answers from its queue; the answer shows on the desk; in Spanish too', async () => {
      const a = await load();
      const n = await submitted([a.receiptNumber as string]);
      const desk = await new PageBrowser(t).signIn(analyst.email);
      let page = await desk.get(`/ombudsman/desk/${n}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(en('ombudsmanAgency.desk.ask')) && page.body.includes(en('ombudsmanAgency.desk.letterHeading')));
      assert.ok(page.body.includes(escapedHtml(en('ombudsmanAgency.desk.letterTo', { email: 'ana@example.org' }))));
      const formKey = () => /name="formKey" value="([^"]+)"/.exec(page.body)![1]!;
      const refused = await desk.post(`/ombudsman/desk/${n}/agency-requests`, { receiptNumber: a.receiptNumber as string, question: 'Why?', formKey: formKey() });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: /);
      assert.match(refused.body, /id="question-error"/);
      assert.match(refused.body, /aria-invalid="true"[^>]*>Why\?<\/textarea>|id="question"[^>]*aria-invalid="true"/);
      assert.ok(refused.body.includes(en('ombudsmanAgency.error.question.length', { min: 20, max: 4000 })));
      page = await desk.send(`/ombudsman/desk/${n}/agency-requests`, { receiptNumber: a.receiptNumber as string, question: QUESTION, formKey: formKey() });
      assert.ok(page.body.includes(escapedHtml(QUESTION)), 'the question is listed');
      assert.match(page.body, new RegExp(en('ombudsman.desk.statusWord.agency-asked')));
      page = await desk.send(`/ombudsman/desk/${n}/letters`, { letter: 'We asked the office about your interview.', formKey: /name="formKey" value="([^"]+)"/.exec(page.body.slice(page.body.indexOf('id="letters"')))![1]! });
      assert.ok(page.body.includes(`${en('ombudsman.desk.action.letter')} (${en('ombudsman.desk.letter.email')})`), 'the history says how the letter went');

      const office = await new PageBrowser(t).signIn(vsc[2]!.email);
      const queuePage = await office.get('/staff/queue');
      assert.ok(queuePage.body.includes('href="/office/ombudsman-requests"'), 'the back-office queue links to it');
      const list = await office.get('/office/ombudsman-requests');
      assert.equal(list.statusCode, 200);
      const item = (await t.deps.database.db.selectFrom('ombudsman_agency_requests').select('id').where('request_number', '=', n).executeTakeFirstOrThrow()).id;
      assert.match(list.body, new RegExp(`data-item="${item}"`));
      let itemPage = await office.send(`/office/ombudsman-requests/${item}/claim`, {});
      assert.ok(itemPage.body.includes(en('ombudsmanAgency.item.claimedDone')));
      const short = await office.post(`/office/ombudsman-requests/${item}/answer`, { answer: 'Looked.' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /id="answer-error"/);
      assert.ok(short.body.includes('>Looked.</textarea>'), 'what was typed is kept');
      const done = await office.send(`/office/ombudsman-requests/${item}/answer`, { answer: ANSWER });
      assert.ok(done.body.includes(escapedHtml(en('ombudsmanAgency.office.answeredDone', { number: n, receipt: a.receiptNumber as string }))));
      itemPage = await office.get(`/office/ombudsman-requests/${item}`);
      assert.ok(itemPage.body.includes(escapedHtml(ANSWER)));
      const again = await office.post(`/office/ombudsman-requests/${item}/claim`, {});
      assert.equal(again.statusCode, 409, 'an answered one cannot be claimed');

      page = await desk.get(`/ombudsman/desk/${n}?lang=es`);
      assert.ok(page.body.includes(escapedHtml(ANSWER)), 'the answer on the desk');
      assert.match(page.body, new RegExp(es('ombudsman.desk.statusWord.answered')));
      assert.ok(page.body.includes(es('ombudsmanAgency.desk.heading')) && page.body.includes(es('ombudsmanAgency.desk.letterHeading')));
      const esList = await office.get('/office/ombudsman-requests?lang=es');
      assert.ok(esList.body.includes(es('ombudsmanAgency.office.title')));
      const other = await new PageBrowser(t).signIn(csc.email);
      assert.equal((await other.get(`/office/ombudsman-requests/${item}`)).statusCode, 404, 'another office');
    });

    test('the case feed moves the case to another office: its waiting item moves too (a claim does not travel); an answered one stays', async () => {
      const record = await load();
      const receipt = record.receiptNumber as string;
      const n = await submitted([receipt]);
      const waiting = await ask(n, receipt);
      const done = await ask(n, receipt, 'A second question about the same case, answered before the move.');
      assert.equal((await post(`/api/v1/ombudsman-requests/${waiting.id}/claim`, vsc[0]!.token)).statusCode, 200);
      assert.equal((await post(`/api/v1/ombudsman-requests/${done.id}/claim`, vsc[1]!.token)).statusCode, 200);
      assert.equal((await post(`/api/v1/ombudsman-requests/${done.id}/answer`, vsc[1]!.token, { answer: ANSWER })).statusCode, 200);
      const moved = await t.deps.feed.import((async function* () { yield { line: 1, value: { ...record, office: 'CSC' } }; })(), { kind: 'system' });
      assert.equal(moved.rejectedTotal, 0);
      const item = (await get(`/api/v1/ombudsman-requests/${waiting.id}`, csc.token)).json();
      assert.equal(item.office, 'CSC');
      assert.equal(item.status, 'open');
      assert.equal(item.claimedBy, null);
      assert.ok((await officeQueue('CSC', csc.token)).items.some((i) => i.id === waiting.id));
      assert.equal((await officeQueue('VSC', vsc[0]!.token)).items.some((i) => i.id === waiting.id), false);
      assert.equal((await get(`/api/v1/ombudsman-requests/${waiting.id}`, vsc[0]!.token)).statusCode, 404, 'no longer VSC\'s');
      assert.equal((await get(`/api/v1/ombudsman-requests/${done.id}`, vsc[1]!.token)).json().office, 'VSC', 'answered stays where it was answered');
      const d = await detail(n);
      assert.deepEqual(d.history.filter((h) => h.action === 'agency-request-moved').map((h) => [h.detail!.from, h.detail!.to]), [['VSC', 'CSC']]);
      const audit = await t.deps.database.db.selectFrom('audit_log').select('action').where('subject', '=', `ombudsman-agency-request:${waiting.id}`).where('action', '=', 'ombudsman-agency-request-move-with-case').execute();
      assert.equal(audit.length, 1);
    });
  });
}
