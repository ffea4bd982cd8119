/**
 * In-person appointments (issue 9) through the HTTP API and the pages, on SQLite and PostgreSQL: free slots follow
 * the office's hours, federal holidays and capacity in the office's own zone; booking answers 201 with the notice in
 * the outbox; a full slot and a second booking answer 409; N officers racing for the last seat of a slot through
 * several instances sharing one PostgreSQL database: exactly one wins; who may do what; moving an appointment
 * through an appointment-reschedule service request; the call screen's panel books; the printable confirmation
 * renders in English and Spanish without the A-number; the case timeline lists the appointment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';
import type { Actor } from '../../src/platform/actor.ts';
import { seedDemoAppointments } from '../../src/appointments/seed.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { PageBrowser as Browser } from '../support/page-browser.ts';

const en = translator('en');
const es = translator('es');


const formToken = (body: string) => /name="formToken" value="([^"]+)"/.exec(body)?.[1] ?? '';
const applicant = (state: string) => ({
  name: 'Ana Pérez', dateOfBirth: '1990-03-02', aNumber: 'A012345678', countryOfBirth: 'MX', phone: '+15555550123', email: 'ana@example.org',
  address: { street: '1 Main St', city: 'Somewhere', state, zip: '00000' }, military: false, protectedCategory: null,
});

for (const kind of databaseKinds()) {
  describe(`appointments [${kind}]`, () => {
    let t: TestApp;
    let tier1: string;
    let tier2: { token: string; id: string; email: string; agentId: string };
    let tier2b: string;
    let hou: { token: string; email: string };
    let nyc: string;
    let supervisor: string;
    let admin: string;

    before(async () => {
      t = await startTestApp(kind);
      tier1 = (await t.signIn('tier1')).token;
      tier2 = await t.signIn('tier2');
      tier2b = (await t.signIn('tier2')).token;
      hou = await t.signIn('office', { office: 'HOU' });
      nyc = (await t.signIn('office', { office: 'NYC' })).token;
      supervisor = (await t.signIn('supervisor')).token;
      admin = (await t.signIn('admin')).token;
    });
    after(() => t.close());

    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
    const post = (url: string, token: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload, headers: { ...bearer(token), ...headers } });
    const slots = async (rn: string, token = tier2.token, query = '') => {
      const res = await get(`/api/v1/cases/${rn}/appointment-slots${query}`, token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { office: { code: string; timeZone: string }; servedBy: string; slots: Array<{ start: string; end: string; seatsLeft: number }> };
    };
    const book = (rn: string, slotStart: string, token = tier2.token, headers: Record<string, string> = {}) =>
      post(`/api/v1/cases/${rn}/appointments`, token, { slotStart, reason: 'document-review' }, headers);
    const staffActor = (u: { id: string; email: string; agentId: string }, role: 'tier2'): Actor => ({ kind: 'staff', sessionId: 'test', user: { id: u.id, email: u.email, name: 'Test', role, office: null, agentId: u.agentId } });
    const outboxFor = (subjectRef: string) => t.deps.database.db.selectFrom('outbox').selectAll().where('subject_ref', '=', subjectRef).orderBy('created_at').execute();

    test('slots: the serving office says why it was chosen; times are its own, with its offset; holidays, closures and weekends have none', async () => {
      const tx = await newCase({ applicant: applicant('TX') });
      const a = await slots(tx);
      assert.equal(a.office.code, 'HOU');
      assert.equal(a.servedBy, 'applicant-state');
      assert.ok(a.slots.length > 0);
      for (const s of a.slots) {
        // Houston's hours, 08:00–12:00 and 13:00–15:00 Central time, in 30-minute slots, Monday to Friday.
        const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):00(-0[56]:00)$/.exec(s.start);
        assert.ok(m, s.start);
        const minutes = Number(m[2]) * 60 + Number(m[3]);
        assert.ok((minutes >= 480 && minutes < 720) || (minutes >= 780 && minutes < 900), s.start);
        const weekday = new Date(`${m[1]}T12:00:00Z`).getUTCDay();
        assert.ok(weekday >= 1 && weekday <= 5, s.start);
        assert.ok(Date.parse(s.start) >= Date.now() + 23.9 * 3_600_000, `at least a day ahead: ${s.start}`);
        assert.equal(s.seatsLeft, 1);
      }
      const fieldOffice = await newCase({ fieldOffice: 'MIA', applicant: applicant('TX') });
      assert.deepEqual([(await slots(fieldOffice)).office.code, (await slots(fieldOffice)).servedBy], ['MIA', 'case-field-office']);

      // A fixed week in the office's own calendar (the service with a clock in early December 2026).
      const nycCase = await newCase({ fieldOffice: 'NYC' });
      const fixed = t.deps.appointments.withClock(() => new Date('2026-12-14T15:00:00Z'));
      const week = await fixed.slots(staffActor(tier2, 'tier2'), nycCase, { from: '2026-12-21', to: '2026-12-27' });
      // The 24th is the office's closure, the 25th Christmas Day, then a weekend.
      assert.deepEqual([...new Set(week.slots.map((s) => s.start.slice(0, 10)))], ['2026-12-21', '2026-12-22', '2026-12-23']);
      assert.equal(week.slots[0]!.start, '2026-12-21T08:00:00-05:00');
      assert.equal(week.slots.filter((s) => s.start.startsWith('2026-12-21')).length, 13);
      assert.deepEqual((await fixed.slots(staffActor(tier2, 'tier2'), nycCase, { from: '2027-01-18', to: '2027-01-18' })).slots, []);

      const bad = await get(`/api/v1/cases/${tx}/appointment-slots?from=2026-12-10&to=2026-12-01`, tier2.token);
      assert.equal(bad.statusCode, 400);
      assert.equal(problem(bad).code, 'invalid-request');
    });

    test('booking: 201 with the confirmation number, audited, the notice in the outbox; the slot is then full (409) and the case has its one appointment (409)', async () => {
      const rn = await newCase({ applicant: applicant('TX') });
      const first = (await slots(rn)).slots[0]!;
      const res = await book(rn, first.start, tier2.token, { 'idempotency-key': `k-${rn}` });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['confirmationNumber', 'end', 'id', 'office', 'receiptNumber', 'start', 'status']);
      assert.equal(body.office, 'HOU');
      assert.equal(body.start, first.start);
      assert.equal(body.status, 'booked');
      assert.match(body.confirmationNumber, /^HOU-\d{4}-\d{4}$/);
      // The same key and body again: the first answer, nothing booked twice.
      const again = await book(rn, first.start, tier2.token, { 'idempotency-key': `k-${rn}` });
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().id, body.id);
      assert.equal((await t.deps.database.db.selectFrom('appointments').select('id').where('receipt_number', '=', rn).execute()).length, 1);

      const mail = await outboxFor(body.id);
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.to_address, 'ana@example.org');
      assert.equal(mail[0]!.template, 'appointment-booked');
      for (const part of ['810 Gears Road', 'Houston, TX 77067', body.confirmationNumber, 'What to bring', 'This appointment notice', 'government-issued photo ID', 'original documents', '/service-requests/new/appointment-reschedule', 'CST']) {
        assert.ok(mail[0]!.body_text.includes(part), `${part} in the notice:\n${mail[0]!.body_text}`);
      }
      assert.doesNotMatch(mail[0]!.body_text, /A0?12345678/);
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action']).where('subject', '=', `appointment:${body.id}`).execute();
      assert.deepEqual(audit.map((a) => a.action), ['appointment-book']);

      // Houston sees one person per slot: another case asking for the same slot is refused.
      const other = await newCase({ applicant: applicant('TX') });
      const full = await book(other, first.start);
      assert.equal(full.statusCode, 409, full.body);
      assert.equal(problem(full).code, 'conflict');
      assert.equal(full.json().reason, 'slot-full');
      assert.ok(!(await slots(other)).slots.some((s) => s.start === first.start), 'the full slot is no longer listed');

      // One booked future appointment per case: 409 naming it.
      const second = await book(rn, (await slots(rn)).slots[0]!.start);
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().reason, 'already-booked');
      assert.equal(second.json().existing.id, body.id);

      // A time the office does not offer.
      const night = await book(other, first.start.replace(/T\d{2}:\d{2}/, 'T03:10'));
      assert.equal(night.statusCode, 400);
      assert.equal(problem(night).code, 'invalid-request');

      // Readers: Tier 2, the supervisor, the office of the appointment; office staff elsewhere: 404.
      for (const token of [tier2.token, supervisor, hou.token]) assert.equal((await get(`/api/v1/appointments/${body.id}`, token)).statusCode, 200);
      assert.equal((await get(`/api/v1/appointments/${body.id}`, nyc)).statusCode, 404);

      // The case timeline lists the appointment.
      const c = await get(`/api/v1/cases/${rn}`, tier2.token);
      assert.ok((c.json().timeline as Array<{ kind: string; ref: string }>).some((e) => e.kind === 'appointment' && e.ref === body.confirmationNumber));
    });

    test('who may: Tier 1, office staff and admins may not list slots or book (403); supervisors may read slots but not book', async () => {
      const rn = await newCase({ applicant: applicant('CA') });
      const s = (await slots(rn)).slots[0]!;
      for (const token of [tier1, hou.token, admin]) {
        const list = await get(`/api/v1/cases/${rn}/appointment-slots`, token);
        assert.equal(list.statusCode, 403, list.body);
        const res = await book(rn, s.start, token);
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(problem(res).code, 'forbidden');
      }
      assert.equal((await get(`/api/v1/cases/${rn}/appointment-slots`, supervisor)).statusCode, 200);
      assert.equal((await book(rn, s.start, supervisor)).statusCode, 403);
      const denied = await t.deps.database.db.selectFrom('audit_log').select('action').where('outcome', '=', 'denied').execute();
      assert.ok(denied.length > 0);
    });

    test('rescheduling: through an appointment-reschedule service request, by the office of the appointment (or Tier 2); the referral is recorded and the person told; cancel by Tier 2 only', async () => {
      const rn = await newCase({ applicant: applicant('TX') });
      const [s1, s2] = (await slots(rn)).slots;
      const made = (await book(rn, s1!.start)).json();
      // The person (here an agent for them) asks through the existing kind of service request.
      const sr = await post('/api/v1/service-requests', tier1, { receiptNumber: rn, type: 'appointment-reschedule', details: 'The caller is in hospital that day and asks for a later date.' });
      assert.equal(sr.statusCode, 201, sr.body);
      const referral = sr.json().referralNumber as string;
      const other = await post('/api/v1/service-requests', tier1, { receiptNumber: rn, type: 'other', details: 'Something else entirely about the case.' });
      const move = (token: string, referralNumber: string, slotStart = s2!.start) => post(`/api/v1/appointments/${made.id}/reschedule`, token, { slotStart, referralNumber });
      assert.equal((await move(hou.token, other.json().referralNumber)).statusCode, 400, 'not an appointment-reschedule request');
      assert.equal((await move(nyc, referral)).statusCode, 404, 'another office');
      assert.equal((await move(tier1, referral)).statusCode, 403);
      const moved = await move(hou.token, referral);
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().start, s2!.start);
      assert.equal(moved.json().rescheduleReferral, referral);
      assert.equal(moved.json().previousStart, s1!.start);
      assert.equal(moved.json().confirmationNumber, made.confirmationNumber);
      // The old time is free again; the person gets the new notice.
      assert.ok((await slots(rn)).slots.some((s) => s.start === s1!.start));
      assert.ok(!(await slots(rn)).slots.some((s) => s.start === s2!.start));
      assert.deepEqual((await outboxFor(made.id)).map((m) => m.template), ['appointment-booked', 'appointment-moved']);

      assert.equal((await post(`/api/v1/appointments/${made.id}/cancel`, hou.token, { reason: 'Office closed that afternoon.' })).statusCode, 403);
      assert.equal((await post(`/api/v1/appointments/${made.id}/cancel`, tier2b, { reason: '' })).statusCode, 400);
      const cancelled = await post(`/api/v1/appointments/${made.id}/cancel`, tier2b, { reason: 'The person no longer needs it.' });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.ok((await slots(rn)).slots.some((s) => s.start === s2!.start), 'the cancelled seat is free');
      // Now the case may book again.
      assert.equal((await book(rn, s2!.start)).statusCode, 201);
    });

    test('the demo books a few appointments through the service, in the future, at the cases\' own field offices, each with its notice', async () => {
      await newCase({ fieldOffice: 'NYC' });
      await newCase({ fieldOffice: 'LOS' });
      const since = new Date().toISOString();
      const r = await seedDemoAppointments(t.deps.database.db, t.deps.appointments, (staffActor(tier2, 'tier2') as Extract<Actor, { kind: 'staff' }>).user);
      const rows = await t.deps.database.db.selectFrom('appointments').innerJoin('cases', 'cases.receipt_number', 'appointments.receipt_number')
        .select(['appointments.id', 'appointments.office', 'appointments.slot_start', 'cases.field_office']).where('appointments.booked_at', '>=', since).execute();
      assert.equal(rows.length, r.booked);
      assert.ok(r.booked >= 2, JSON.stringify(r));
      assert.ok(rows.some((a) => a.office === 'NYC') && rows.some((a) => a.office === 'LOS'));
      for (const a of rows) {
        assert.equal(a.office, a.field_office);
        assert.ok(a.slot_start > new Date().toISOString());
        assert.equal((await outboxFor(a.id)).length, 1);
      }
      for (const code of ['NYC', 'LOS']) assert.ok(rows.filter((a) => a.office === code).length <= 2);
    });

    test('the call screen: Tier 2 books from the "In-person appointment" panel; the appointment page links to the reschedule flow; the printable confirmation in English and Spanish has no A-number', async () => {
      const rn = await newCase({ applicant: applicant('IL') });
      const b = await new Browser(t).signIn(tier2.email);
      const desk = await b.get('/desk');
      const opened = await b.post('/desk/contacts', { callerPhone: '(202) 555-0143', language: 'es', formToken: formToken(desk.body) });
      assert.equal(opened.statusCode, 303, opened.body);
      const id = (opened.headers.location as string).split('/')[3]!.split('?')[0]!;
      const before = await b.get(`/desk/contacts/${id}`);
      assert.doesNotMatch(before.body, /data-testid="appointment-panel"/, 'no panel before the caller is verified');
      const verified = await b.post(`/desk/contacts/${id}/verify`, { receiptNumber: rn, name: 'Ana Pérez', dobMonth: '3', dobDay: '2', dobYear: '1990' });
      assert.equal(verified.statusCode, 303);
      const screen = await b.get(`/desk/contacts/${id}`);
      assert.match(screen.body, new RegExp(en('appointments.panel.heading')));
      assert.match(screen.body, /Chicago Field Office/);
      const slot = /name="slotStart" value="([^"]+)"/.exec(screen.body)?.[1];
      assert.ok(slot);
      // Without a reason: the form again with the message beside the field.
      const noReason = await b.post(`/desk/contacts/${id}/appointments`, { receiptNumber: rn, slotStart: slot, reason: '', formToken: formToken(screen.body) });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, new RegExp(en('appointments.error.reason.required')));
      const booked = await b.post(`/desk/contacts/${id}/appointments`, { receiptNumber: rn, slotStart: slot, reason: 'proof-of-status', formToken: formToken(screen.body) });
      assert.equal(booked.statusCode, 303, booked.body);
      const location = booked.headers.location as string;
      assert.match(location, /^\/appointments\/[^/?]+\?booked=1&contact=/);
      const apptId = location.split('/')[2]!.split('?')[0]!;
      const page = await b.get(location.split('#')[0]!);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="confirmation-number">CHI-\d{4}-\d{4}</);
      assert.match(page.body, /href="\/service-requests\/new\/appointment-reschedule"/);
      assert.match(page.body, new RegExp(`href="/desk/contacts/${id}#sr-heading"`));
      assert.match(page.body, new RegExp(`href="/appointments/${apptId}/confirmation"`));
      // The call screen's case timeline says it in words; the panel now shows the booked appointment instead of the form.
      const after = await b.get(`/desk/contacts/${id}`);
      const confirmationNumber = /data-testid="confirmation-number">([^<]+)</.exec(page.body)![1]!;
      assert.match(after.body, new RegExp(`<li data-kind="appointment">[^<]*<time[^>]*>[^<]*</time>: In-person appointment ${confirmationNumber} at the Chicago Field Office, `));
      assert.match(after.body, /data-testid="appointment-existing"/);
      // The mail went in the caller's language.
      const mail = await outboxFor(apptId);
      assert.equal(mail[0]!.lang, 'es');
      assert.match(mail[0]!.body_text, /Qué debe traer/);

      const printable = await b.get(`/appointments/${apptId}/confirmation`);
      assert.equal(printable.statusCode, 200);
      assert.match(printable.body, new RegExp(en('appointments.confirmation.heading')));
      assert.match(printable.body, /101 West Congress Parkway/);
      assert.match(printable.body, /Your unexpired passport/);
      assert.match(printable.body, /print\.js/);
      assert.doesNotMatch(printable.body, /012345678|5678\b/);
      const spanish = await b.get(`/appointments/${apptId}/confirmation?lang=es`);
      assert.equal(spanish.statusCode, 200);
      assert.match(spanish.body, new RegExp(es('appointments.confirmation.heading')));
      assert.match(spanish.body, /Su pasaporte vigente/);
      assert.doesNotMatch(spanish.body, /012345678|5678\b/);

      // The office of the appointment may print it; another office may not see it; Tier 1 may not.
      const office = await new Browser(t).signIn((await t.signIn('office', { office: 'CHI' })).email);
      assert.equal((await office.get(`/appointments/${apptId}/confirmation`)).statusCode, 200);
      const elsewhere = await new Browser(t).signIn(hou.email);
      assert.equal((await elsewhere.get(`/appointments/${apptId}/confirmation`)).statusCode, 404);
    });
  });
}

for (const kind of databaseKinds()) {
  const instanceCount = kind === 'postgres' ? 3 : 1;
  const OFFICERS = 8;
  const SLOTS = 4;
  describe(`appointments: the last seat of a slot, raced [${kind}, ${instanceCount} instance${instanceCount > 1 ? 's' : ''}]`, () => {
    const instances: TestApp[] = [];
    let officers: string[];
    before(async () => {
      instances.push(await startTestApp(kind));
      for (let i = 1; i < instanceCount; i++) instances.push(await startTestApp(kind, { sharing: instances[0]! }));
      officers = [];
      for (let i = 0; i < OFFICERS; i++) officers.push((await instances[0]!.signIn('tier2')).token);
    });
    after(async () => {
      for (const app of instances.slice(1)) await app.close();
      await instances[0]?.close();
    });

    test(`${OFFICERS} officers book the last of Los Angeles' three seats at once: exactly one wins, the rest get 409`, async () => {
      const first = instances[0]!;
      const feed = await first.clientToken(['case-feed']);
      const receipts = Array.from({ length: SLOTS * (OFFICERS + 2) }, () => receiptNumber('WAC'));
      const loaded = await first.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: ndjson(receipts.map((rn) => caseRecord({ receiptNumber: rn, applicant: applicant('CA') }))), headers: { 'content-type': 'application/x-ndjson', ...bearer(feed) } });
      assert.deepEqual(loaded.json(), { accepted: receipts.length, rejected: [] });
      const free = (await first.app.inject({ method: 'GET', url: `/api/v1/cases/${receipts[0]}/appointment-slots`, headers: bearer(officers[0]!) })).json().slots as Array<{ start: string; seatsLeft: number }>;
      assert.equal(free[0]!.seatsLeft, 3);
      let next = 0;
      for (let s = 0; s < SLOTS; s++) {
        const slotStart = free[s]!.start;
        const bookVia = (app: TestApp, token: string) => app.app.inject({ method: 'POST', url: `/api/v1/cases/${receipts[next++]}/appointments`, headers: bearer(token), payload: { slotStart, reason: 'document-review' } });
        // Two seats taken first; the third is the last.
        for (let i = 0; i < 2; i++) assert.equal((await bookVia(first, officers[i]!)).statusCode, 201);
        const order = officers.map((_, i) => i).sort(() => Math.random() - 0.5);
        const sent = new Map(order.map((i) => [i, bookVia(instances[(i + s) % instanceCount]!, officers[i]!)]));
        const answers = await Promise.all(officers.map((_, i) => sent.get(i)!));
        const won = answers.filter((r) => r.statusCode === 201);
        assert.equal(won.length, 1, answers.map((a) => `${a.statusCode}`).join(' '));
        for (const r of answers) if (r.statusCode !== 201) { assert.equal(r.statusCode, 409, r.body); assert.equal(r.json().reason, 'slot-full'); }
        const seats = await first.deps.database.db.selectFrom('appointment_seats').select('seat').where('office', '=', 'LOS').where('slot_start', '=', new Date(slotStart).toISOString()).execute();
        assert.deepEqual(seats.map((x) => Number(x.seat)).sort(), [1, 2, 3]);
      }
    });
  });
}
