/**
 * The supervisor's tools (src/supervision/) driven like a browser (sign in at /sign-in, GET, POST with the page's
 * CSRF token), on SQLite and PostgreSQL: reassigning a claimed service request and a held callback moves it (the new
 * holder's queue and API show it, the old one's do not) and is audited; a target who may not take it is refused
 * with a clear error and nothing changes; "move all" moves every item or none; an agent's day lists exactly that
 * agent's calls, callbacks and requests of that date in the agency's time zone, not the next day's; denied access
 * lists the refusals of the supervisor's staff only (an administrator's: everyone's); roles without the capability
 * get 403 and change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { PageBrowser as Browser, escapedHtml as html } from '../support/page-browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import type { Actor } from '../../src/platform/actor.ts';
import type { Role } from '../../src/domain/roles.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { formatContactReference } from '../../src/domain/contact-reference.ts';

const en = translator('en');
const es = translator('es');
let counter = 0;

for (const kind of databaseKinds()) {
  describe(`supervisor tools [${kind}]`, () => {
    let t: TestApp;
    const people: Record<string, { id: string; email: string; name: string; agentId: string; token: string; actor: Actor }> = {};

    const person = async (key: string, role: Role, name: string, office: string | null, skills?: string[]) => {
      const email = `${key}.${++counter}.${kind}@agency.test`;
      const u = await t.deps.staff.addUser({ email, name, role, office, password: TEST_PASSWORD, ...(skills ? { skills } : {}) }, { kind: 'cli' });
      const token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } })).json().token as string;
      people[key] = { id: u.id, email, name, agentId: u.agentId, token, actor: { kind: 'staff', sessionId: 'test', user: { id: u.id, email, name, role, office, agentId: u.agentId } } };
    };
    const as = (key: string) => new Browser(t).signIn(people[key]!.email);
    const api = (key: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: bearer(people[key]!.token), ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    /** A request at `office` claimed by `holder` (through the API, as the desk and the office would). */
    const claimed = async (office: string, holder: string) => {
      const res = await api('tier1', 'POST', '/api/v1/service-requests', { receiptNumber: await newCase({ office }), type: 'other', details: 'The caller asks why the interview letter never came.' });
      assert.equal(res.statusCode, 201, res.body);
      const ref = res.json().referralNumber as string;
      assert.equal((await api(holder, 'POST', `/api/v1/service-requests/${ref}/claim`)).statusCode, 200);
      return ref;
    };
    const holderOf = async (ref: string) => (await t.deps.database.db.selectFrom('service_requests').select('claimed_by').where('referral_number', '=', ref).executeTakeFirstOrThrow()).claimed_by;
    const callbackHolder = async (id: string) => (await t.deps.database.db.selectFrom('escalations').select('assigned_to').where('id', '=', id).executeTakeFirstOrThrow()).assigned_to;
    const audits = (action: string, subject: string) => t.deps.database.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', action).where('subject', '=', subject).execute();
    const idem = (key: string) => ({ scope: 'test', key: null, requestHash: `${kind}-${key}-${++counter}` });
    /** An English callback (nobody of Tier 2 free), then Omar's failed first try: he holds it for the next one. */
    const heldCallback = async (reason: string) => {
      const call = JSON.parse((await t.deps.contacts.open(people.tier1!.actor, { channel: 'phone', callerPhone: '(202) 555-0143', language: 'en' }, idem('open'))).body) as { id: string };
      const made = JSON.parse((await t.deps.callbacks.escalate(people.tier1!.actor, call.id, { reason, urgency: 'urgent' }, idem('cb'))).body) as { id: string; mode: string };
      assert.equal(made.mode, 'callback');
      await t.deps.callbacks.attempt(people.omar!.actor, made.id, 'no-answer');
      return made.id;
    };
    const mine = async (key: string) => ((await api(key, 'GET', '/api/v1/callbacks?assigned=me')).json().items as Array<{ id: string }>).map((i) => i.id);

    before(async () => {
      t = await startTestApp(kind);
      await person('sup', 'supervisor', 'Sam Okafor', null);
      await person('admin', 'admin', 'Ada Admin', null);
      await person('ombudsman', 'ombudsman', 'Olga Ombuds', null);
      await person('tier1', 'tier1', 'Tina Reyes', null);
      await person('tier1b', 'tier1', 'Theo Park', null);
      await person('omar', 'tier2', 'Omar Haddad', null, ['en']);
      await person('rosa', 'tier2', 'Rosa Díaz', null, ['en', 'es']);
      await person('lee', 'tier2', 'Lee Chen', null, ['es']);
      await person('vsc1', 'office', 'Vera Worker', 'VSC');
      await person('vsc2', 'office', 'Victor Worker', 'VSC');
      await person('csc', 'office', 'Carl Worker', 'CSC');
    });
    after(() => t?.close());

    test('a claimed service request moves to a colleague of its office: their queue shows it, the old holder\'s does not, and the move is audited', async () => {
      const ref = await claimed('VSC', 'vsc1');
      const sup = await as('sup');
      const page = await sup.get(`/supervisor/reassign?agent=${people.vsc1!.id}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, new RegExp(`<tr data-request="${ref}">`));
      const row = page.body.slice(page.body.indexOf(`<tr data-request="${ref}">`), page.body.indexOf('</tr>', page.body.indexOf(`<tr data-request="${ref}">`)));
      assert.ok(row.includes(`<option value="${people.vsc2!.id}"`), 'a colleague of the same office may take it');
      assert.ok(!row.includes(`<option value="${people.csc!.id}"`), 'another office\'s worker is not offered');
      assert.ok(!row.includes(`<option value="${people.vsc1!.id}"`), 'nor the holder');

      const done = await sup.send(`/supervisor/reassign/requests/${ref}`, { agent: people.vsc1!.id, to: people.vsc2!.id });
      assert.match(done.body, new RegExp(html(en('supervisorTools.reassign.movedOne', { name: 'Victor Worker' }))));
      assert.doesNotMatch(done.body, new RegExp(`<tr data-request="${ref}">`), 'no longer in the old holder\'s open work');
      assert.equal(await holderOf(ref), people.vsc2!.id);
      const vsc2Queue = await (await as('vsc2')).get('/staff/queue?mine=1');
      assert.ok(vsc2Queue.body.includes(`data-referral="${ref}"`), 'the new holder\'s "claimed by me" queue shows it');
      const vsc1Queue = await (await as('vsc1')).get('/staff/queue?mine=1');
      assert.ok(!vsc1Queue.body.includes(`data-referral="${ref}"`), 'the old holder\'s does not');
      const entries = await audits('service-request-assign', `service-request:${ref}`);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actor, `staff:${people.sup!.id}`);
      assert.match(entries[0]!.detail ?? '', new RegExp(people.vsc2!.id));
    });

    test('a request given to a worker of another office is refused with a clear error, and nothing changes', async () => {
      const ref = await claimed('VSC', 'vsc1');
      const sup = await as('sup');
      await sup.get(`/supervisor/reassign?agent=${people.vsc1!.id}`);
      const res = await sup.post(`/supervisor/reassign/requests/${ref}`, { agent: people.vsc1!.id, to: people.csc!.id });
      assert.equal(res.statusCode, 400, res.body.slice(0, 500));
      const words = en('supervisorTools.reassign.error.not-in-office', { name: 'Carl Worker', referral: formatReferralNumber(ref), office: t.deps.agency.offices.find((o) => o.code === 'VSC')!.name.en });
      assert.ok(res.body.includes(html(words)), 'the error names who, which request and the rule');
      assert.match(res.body, /<title>Error: /);
      assert.match(res.body, new RegExp(`href="#to-${ref}"`), 'the error summary links to the select');
      assert.equal(await holderOf(ref), people.vsc1!.id);
      assert.equal((await audits('service-request-assign', `service-request:${ref}`)).length, 0);
    });

    test('a held callback moves to an officer whose skills serve it: their list shows it, the old holder\'s does not; an officer without the skills is refused', async () => {
      const id = await heldCallback('Caller asks why the interview notice never came.');
      assert.deepEqual(await mine('omar'), [id], 'the officer who tried first holds it');
      const sup = await as('sup');
      const page = await sup.get(`/supervisor/reassign?agent=${people.omar!.id}`);
      const row = page.body.slice(page.body.indexOf(`<tr data-callback="${id}">`), page.body.indexOf('</tr>', page.body.indexOf(`<tr data-callback="${id}">`)));
      assert.ok(row.includes(`<option value="${people.rosa!.id}"`), 'Rosa speaks English');
      assert.ok(!row.includes(`<option value="${people.lee!.id}"`), 'Lee serves Spanish only');

      const refused = await sup.post(`/supervisor/reassign/callbacks/${id}`, { agent: people.omar!.id, to: people.lee!.id });
      assert.equal(refused.statusCode, 400);
      assert.ok(refused.body.includes(html(en('supervisorTools.reassign.error.lacks-skills', { name: 'Lee Chen', skills: 'English' }))), refused.body.slice(0, 300));
      assert.equal(await callbackHolder(id), people.omar!.id, 'nothing changed');

      const done = await sup.send(`/supervisor/reassign/callbacks/${id}`, { agent: people.omar!.id, to: people.rosa!.id });
      assert.match(done.body, new RegExp(html(en('supervisorTools.reassign.movedOne', { name: 'Rosa Díaz' }))));
      assert.deepEqual(await mine('rosa'), [id]);
      assert.deepEqual(await mine('omar'), []);
      const desk = await (await as('rosa')).get('/desk/callbacks');
      assert.match(desk.body, new RegExp(`<tr data-callback="${id}" data-status="due" data-mine>`), 'her queue marks it as hers');
      const entries = await audits('callback-assign', `escalation:${id}`);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actor, `staff:${people.sup!.id}`);
      // The same move through the API (one service method), back to Omar.
      const viaApi = await api('sup', 'POST', `/api/v1/callbacks/${id}/assign`, { userId: people.omar!.id });
      assert.equal(viaApi.statusCode, 200, viaApi.body);
      assert.equal(viaApi.json().assignedTo, people.omar!.id);
      assert.equal((await api('sup', 'POST', `/api/v1/callbacks/${id}/assign`, { userId: people.lee!.id })).statusCode, 400);
    });

    test('"move all" moves every open item of an agent, or none when the target may not take one', async () => {
      const refs = [await claimed('VSC', 'vsc2'), await claimed('VSC', 'vsc2')];
      const before = await Promise.all(refs.map(holderOf));
      assert.deepEqual(before, [people.vsc2!.id, people.vsc2!.id]);
      const sup = await as('sup');
      await sup.get(`/supervisor/reassign?agent=${people.vsc2!.id}`);
      const refused = await sup.post('/supervisor/reassign/all', { agent: people.vsc2!.id, to: people.csc!.id });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /href="#to-all"/);
      assert.deepEqual(await Promise.all(refs.map(holderOf)), before, 'nothing moved');
      const done = await sup.send('/supervisor/reassign/all', { agent: people.vsc2!.id, to: people.vsc1!.id });
      assert.match(done.body, /data-testid="no-open-work"/);
      assert.deepEqual(await Promise.all(refs.map(holderOf)), [people.vsc1!.id, people.vsc1!.id]);
      // In Spanish, the same page.
      const esPage = await sup.get(`/supervisor/reassign?agent=${people.vsc1!.id}&lang=es`);
      assert.match(esPage.body, new RegExp(`<h1>${html(es('supervisorTools.reassign.title'))}</h1>`));
    });

    test('roles without the capability get 403 and change nothing; a form without its CSRF token changes nothing', async () => {
      const ref = await claimed('VSC', 'vsc1');
      for (const key of ['tier1', 'vsc1', 'admin', 'ombudsman']) {
        const b = await as(key);
        assert.equal((await b.get(`/supervisor/reassign?agent=${people.vsc1!.id}`)).statusCode, 403, key);
        assert.equal((await b.get(`/supervisor/agent-day?agent=${people.tier1!.id}`)).statusCode, 403, key);
        const posted = await b.post(`/supervisor/reassign/requests/${ref}`, { agent: people.vsc1!.id, to: people.vsc2!.id });
        assert.equal(posted.statusCode, 403, key);
      }
      for (const key of ['tier1', 'vsc1', 'omar']) assert.equal((await (await as(key)).get('/supervisor/denied-access')).statusCode, 403, key);
      const sup = await as('sup');
      await sup.get(`/supervisor/reassign?agent=${people.vsc1!.id}`);
      assert.equal((await sup.post(`/supervisor/reassign/requests/${ref}`, { agent: people.vsc1!.id, to: people.vsc2!.id }, null)).statusCode, 403);
      assert.equal(await holderOf(ref), people.vsc1!.id);
      assert.equal((await audits('service-request-assign', `service-request:${ref}`)).length, 0);
      assert.equal((await api('tier1', 'POST', `/api/v1/callbacks/x/assign`, { userId: people.rosa!.id })).statusCode, 403);
    });

    test('an agent\'s day lists exactly that agent\'s calls, callbacks and requests of that date (agency time zone), not the next day\'s', async () => {
      // 2026-11-10 in New York runs from 05:00Z on the 10th to 05:00Z on the 11th.
      const at = (iso: string) => () => new Date(iso);
      const open = async (who: string, iso: string, phone: string) => JSON.parse((await t.deps.contacts.withClock(at(iso)).open(people[who]!.actor, { channel: 'phone', callerPhone: phone, language: 'en' }, idem(iso))).body) as { id: string; reference: string };
      const morning = await open('tier1b', '2026-11-10T14:00:00.000Z', '(202) 555-0101');
      const lateEvening = await open('tier1b', '2026-11-11T04:30:00.000Z', '(202) 555-0102');
      const nextDay = await open('tier1b', '2026-11-11T05:30:00.000Z', '(202) 555-0103');
      const someoneElse = await open('tier1', '2026-11-10T15:00:00.000Z', '(202) 555-0104');
      const receipt = await newCase({ office: 'VSC' });
      await t.deps.contacts.withClock(at('2026-11-10T14:05:00.000Z')).linkCase(people.tier1b!.actor, morning.id, receipt);
      await t.deps.contacts.withClock(at('2026-11-10T14:10:00.000Z')).end(people.tier1b!.actor, morning.id, { disposition: 'service-request-created' });
      const made = await t.deps.serviceRequests.withClock(at('2026-11-10T14:08:00.000Z')).create(people.tier1b!.actor, { receiptNumber: receipt, type: 'other', details: 'The caller asks why the interview letter never came.' }, idem('sr'));
      const referral = JSON.parse(made.body).referralNumber as string;
      const nextDayCase = await newCase({ office: 'VSC' });
      const nextMade = await t.deps.serviceRequests.withClock(at('2026-11-11T06:00:00.000Z')).create(people.tier1b!.actor, { receiptNumber: nextDayCase, type: 'other', details: 'The caller asks why the interview letter never came.' }, idem('sr2'));
      const nextReferral = JSON.parse(nextMade.body).referralNumber as string;

      const sup = await as('sup');
      const day = await sup.get(`/supervisor/agent-day?agent=${people.tier1b!.id}&date=2026-11-10`);
      assert.equal(day.statusCode, 200, day.body.slice(0, 500));
      const shown = [...day.body.matchAll(/<tr data-reference="([^"]+)">/g)].map((m) => m[1]);
      assert.deepEqual(shown, [formatContactReference(morning.reference), formatContactReference(lateEvening.reference)], 'that day\'s calls, in order, and no one else\'s');
      assert.ok(!day.body.includes(formatContactReference(nextDay.reference)));
      assert.ok(!day.body.includes(formatContactReference(someoneElse.reference)));
      const morningRow = day.body.slice(day.body.indexOf(`<tr data-reference="${formatContactReference(morning.reference)}">`)).split('</tr>')[0]!;
      assert.match(morningRow, new RegExp(`${html(en('desk.disposition.service-request-created'))}</td>\\s*<td[^>]*>1</td>`), 'disposition and one linked case');
      assert.ok(day.body.includes(`data-request="${formatReferralNumber(referral)}"`), 'the request made that day');
      assert.ok(!day.body.includes(formatReferralNumber(nextReferral)), 'not the next day\'s');
      const next = await sup.get(`/supervisor/agent-day?agent=${people.tier1b!.id}&date=2026-11-11`);
      assert.deepEqual([...next.body.matchAll(/<tr data-reference="([^"]+)">/g)].map((m) => m[1]), [formatContactReference(nextDay.reference)]);
      assert.equal((await t.deps.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'agent-day-read').where('subject', '=', `staff:${people.tier1b!.id}`).execute()).length, 2, 'each read is audited');
      const bad = await sup.get(`/supervisor/agent-day?agent=${people.tier1b!.id}&date=11/10/2026`);
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes(html(en('supervisorTools.day.error.date'))));
      assert.equal((await sup.get(`/supervisor/agent-day?agent=${people.sup!.id}&date=2026-11-10`)).statusCode, 404, 'a supervisor is not among the staff');

      // Today: Omar's callback attempt (through the service now) is on his day.
      const id = await heldCallback('Caller needs a decided case explained.');
      const today = await sup.get(`/supervisor/agent-day?agent=${people.omar!.id}`);
      assert.ok(today.body.includes(`href="/desk/callbacks/${id}"`), 'the attempt he made today');
      assert.ok(today.body.includes(html(en('tier2Desk.outcome.no-answer'))));
    });

    test('denied access lists the refusals of the supervisor\'s staff only, newest first; an administrator sees everyone\'s', async () => {
      const tina = await as('tier1');
      for (let i = 0; i < 27; i++) assert.equal((await tina.get('/admin/staff')).statusCode, 403);
      assert.equal((await (await as('ombudsman')).get('/admin/staff')).statusCode, 403);
      assert.equal((await (await as('sup')).get('/admin/staff')).statusCode, 403);
      assert.equal((await (await as('vsc1')).get('/supervisor')).statusCode, 403);

      const sup = await as('sup');
      const page1 = await sup.get('/supervisor/denied-access');
      assert.equal(page1.statusCode, 200, page1.body.slice(0, 300));
      const staffOf = (body: string) => [...body.matchAll(/<tr data-seq="(\d+)" data-staff="([^"]+)">/g)].map((m) => ({ seq: Number(m[1]), staff: m[2]! }));
      const rows = staffOf(page1.body);
      assert.equal(rows.length, 25, 'a page of 25');
      assert.deepEqual(rows.map((r) => r.seq), [...rows.map((r) => r.seq)].sort((a, b) => b - a), 'newest first');
      assert.equal(rows[0]!.staff, people.vsc1!.id, 'the newest: the office worker');
      const supervised = new Set([people.tier1!.id, people.vsc1!.id, people.vsc2!.id, people.csc!.id, people.omar!.id, people.rosa!.id, people.lee!.id, people.tier1b!.id]);
      const page2 = staffOf((await sup.get('/supervisor/denied-access?page=2')).body);
      assert.ok(page2.length > 0);
      for (const r of [...rows, ...page2]) assert.ok(supervised.has(r.staff), `only the supervisor's staff: ${r.staff}`);
      assert.ok(![...rows, ...page2].some((r) => r.staff === people.ombudsman!.id || r.staff === people.sup!.id));
      assert.ok(page1.body.includes('<code>GET /admin/staff</code>'));
      assert.ok(page1.body.includes(html(en('supervisorTools.denied.code.forbidden'))));
      const onlyTina = staffOf((await sup.get(`/supervisor/denied-access?agent=${people.tier1!.id}`)).body);
      assert.ok(onlyTina.length > 0 && onlyTina.every((r) => r.staff === people.tier1!.id));

      const admin = staffOf((await (await as('admin')).get('/supervisor/denied-access')).body);
      assert.ok(admin.some((r) => r.staff === people.sup!.id), 'the administrator sees the supervisor\'s refusal');
      const adminOmbudsman = staffOf((await (await as('admin')).get(`/supervisor/denied-access?agent=${people.ombudsman!.id}`)).body);
      assert.ok(adminOmbudsman.length > 0 && adminOmbudsman.every((r) => r.staff === people.ombudsman!.id), 'one staff member\'s, when chosen');
      const esPage = await sup.get('/supervisor/denied-access?lang=es');
      assert.match(esPage.body, new RegExp(`<h1>${html(es('supervisorTools.denied.title'))}</h1>`));
    });
  });
}
