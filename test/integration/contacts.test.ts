/**
 * The contact desk (CONTRACT.md section 8) through the HTTP API, on SQLite and PostgreSQL: opening a call, the
 * verification lock (three failures for one receipt number on any call, 24 hours), notes, ending with the call
 * record and sending it, the public lookup, platform records stored once, finding calls, escalation as a live
 * transfer or a callback, attempts and the missed callback, and who may act on a call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';

const ANA = { name: 'Ana Pérez', dateOfBirth: '1990-03-02' };

for (const kind of databaseKinds()) {
  describe(`contacts and callbacks [${kind}]`, () => {
    let t: TestApp;
    let tier1: { token: string; id: string; agentId: string };
    let tier1b: { token: string; id: string; agentId: string };
    let tier2: { token: string; id: string; agentId: string };
    let tier2es: { token: string; id: string; agentId: string };
    let supervisor: string;
    let ombudsman: string;
    let office: string;
    let admin: string;

    before(async () => {
      t = await startTestApp(kind);
      tier1 = await t.signIn('tier1');
      tier1b = await t.signIn('tier1');
      tier2 = await t.signIn('tier2', { skills: ['en'] });
      tier2es = await t.signIn('tier2', { skills: ['en', 'es', 'military'] });
      supervisor = (await t.signIn('supervisor')).token;
      ombudsman = (await t.signIn('ombudsman')).token;
      office = (await t.signIn('office', { office: 'VSC' })).token;
      admin = (await t.signIn('admin')).token;
    });
    after(() => t.close());

    const newCase = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    const post = (url: string, token: string | null, payload: unknown = {}, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...(token ? bearer(token) : {}), ...headers } });
    const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    const open = async (token = tier1.token, body: Record<string, unknown> = {}) => {
      const res = await post('/api/v1/contacts', token, { channel: 'phone', callerPhone: '(202) 555-0143', language: 'en', ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; reference: string; startedAt: string; agentId: string };
    };

    test('opening a call: 201 with a 12-digit reference and the agent\'s public ID; the phone is kept as E.164', async () => {
      const res = await post('/api/v1/contacts', tier1.token, { channel: 'phone', callerPhone: '(202) 555-0143', language: 'es' });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['agentId', 'id', 'reference', 'startedAt']);
      assert.match(body.reference, /^\d{12}$/);
      assert.equal(body.agentId, tier1.agentId);
      const seen = await get(`/api/v1/contacts/${body.id}`, tier1.token);
      assert.equal(seen.statusCode, 200, seen.body);
      assert.equal(seen.json().callerPhone, '+12025550143');
      assert.equal(seen.json().language, 'es');
      assert.deepEqual(seen.json().actions.sort(), ['add-note', 'create-service-request', 'end', 'escalate', 'link-case', 'verify', 'view-case-status']);
    });

    test('opening: bad phone, channel and language are each named; office, admin and the public may not open calls', async () => {
      const res = await post('/api/v1/contacts', tier1.token, { channel: 'fax', callerPhone: '12', language: 'fr' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(problem(res).errors!.map((e) => e.field).sort(), ['callerPhone', 'channel', 'language']);
      for (const token of [office, admin, supervisor]) assert.equal((await post('/api/v1/contacts', token, { channel: 'phone', callerPhone: '2025550143', language: 'en' })).statusCode, 403);
      assert.equal((await post('/api/v1/contacts', null, { channel: 'phone', callerPhone: '2025550143', language: 'en' })).statusCode, 401);
    });

    test('Idempotency-Key: the same open twice is one call', async () => {
      const body = { channel: 'phone', callerPhone: '2025550100', language: 'en' };
      const a = await post('/api/v1/contacts', tier1.token, body, { 'idempotency-key': 'open-1' });
      const b = await post('/api/v1/contacts', tier1.token, body, { 'idempotency-key': 'open-1' });
      assert.equal(a.statusCode, 201);
      assert.equal(b.json().id, a.json().id);
    });

    test('only the agent who opened a call may act on it: another agent gets 404, like no call at all', async () => {
      const c = await open();
      assert.equal((await get(`/api/v1/contacts/${c.id}`, tier1b.token)).statusCode, 404);
      assert.equal((await post(`/api/v1/contacts/${c.id}/notes`, tier1b.token, { text: 'hello' })).statusCode, 404);
      assert.equal((await post(`/api/v1/contacts/${c.id}/end`, tier2.token, { disposition: 'resolved' })).statusCode, 404);
      assert.equal((await get('/api/v1/contacts/nope', tier1.token)).statusCode, 404);
      // Supervisors and Ombudsman staff read any call; office staff and admins never.
      assert.equal((await get(`/api/v1/contacts/${c.id}`, supervisor)).statusCode, 200);
      assert.equal((await get(`/api/v1/contacts/${c.id}`, ombudsman)).statusCode, 200);
      assert.equal((await get(`/api/v1/contacts/${c.id}`, office)).statusCode, 403);
      assert.equal((await get(`/api/v1/contacts/${c.id}`, admin)).statusCode, 403);
    });

    test('verification: right name (any case and accents) and date of birth verify and link the case; wrong ones do not', async () => {
      const rn = await newCase();
      const c = await open();
      const ok = await post(`/api/v1/contacts/${c.id}/verification`, tier1.token, { receiptNumber: rn.toLowerCase(), name: 'ANA PEREZ', dateOfBirth: '1990-03-02' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().verified, true);
      const bad = await post(`/api/v1/contacts/${c.id}/verification`, tier1.token, { receiptNumber: rn, name: 'Ana Perez', dateOfBirth: '1990-03-03' });
      assert.equal(bad.json().verified, false);
      assert.equal(bad.json().failuresLeft, 2);
      const seen = (await get(`/api/v1/contacts/${c.id}`, tier1.token)).json();
      assert.deepEqual(seen.cases.map((k: { receiptNumber: string; verified: boolean }) => [k.receiptNumber, k.verified]), [[rn, true]]);
      const bogus = await post(`/api/v1/contacts/${c.id}/verification`, tier1.token, { receiptNumber: 'EAC-12', ...ANA });
      assert.equal(bogus.statusCode, 400);
      assert.equal(problem(bogus).code, 'invalid-receipt-number');
    });

    test('three failures for one receipt number, on different calls, lock its verification for 24 hours on any call', async () => {
      const rn = await newCase();
      const calls = [await open(tier1.token), await open(tier1b.token), await open(tier2.token)];
      const tokens = [tier1.token, tier1b.token, tier2.token];
      for (let i = 0; i < 3; i++) {
        const r = await post(`/api/v1/contacts/${calls[i]!.id}/verification`, tokens[i]!, { receiptNumber: rn, name: 'Someone Else', dateOfBirth: '1990-03-02' });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().verified, false);
      }
      const fresh = await open(tier1.token);
      const locked = await post(`/api/v1/contacts/${fresh.id}/verification`, tier1.token, { receiptNumber: rn, ...ANA });
      assert.equal(locked.statusCode, 403, locked.body);
      assert.equal(problem(locked).code, 'verification-locked');
      const until = Date.parse(locked.json().lockedUntil);
      assert.ok(Math.abs(until - Date.now() - 24 * 3_600_000) < 60_000, locked.json().lockedUntil);
      const denied = await t.deps.database.db.selectFrom('audit_log').select(['outcome', 'detail']).where('outcome', '=', 'denied').where('trace_id', '=', problem(locked).traceId).execute();
      assert.equal(denied.length, 1, 'the refusal is audited');
      // Another receipt number is not locked.
      const other = await newCase();
      assert.equal((await post(`/api/v1/contacts/${fresh.id}/verification`, tier1.token, { receiptNumber: other, ...ANA })).json().verified, true);
      // A day later (the service's clock moved on), the lock is over and the right caller verifies.
      const later = t.deps.contacts.withClock(() => new Date(Date.now() + 24 * 3_600_000 + 120_000));
      const staff = await t.deps.staff.resolveSession(tier1.token);
      const v = await later.verify({ kind: 'staff', user: staff!.user, sessionId: staff!.sessionId }, fresh.id, { receiptNumber: rn, ...ANA });
      assert.equal(v.verified, true);
    });

    test('ending: the call record (reference, agent ID, times, referral numbers); a second end is 409; sent by e-mail through the outbox', async () => {
      const rn = await newCase();
      const c = await open();
      const note = await post(`/api/v1/contacts/${c.id}/notes`, tier1.token, { text: 'Caller asks why the interview notice never arrived.' });
      assert.equal(note.statusCode, 201, note.body);
      const sr = await post('/api/v1/service-requests', tier1.token, { receiptNumber: rn, type: 'other', contactId: c.id, details: 'The interview notice never arrived; caller asks for it to be re-sent.' });
      assert.equal(sr.statusCode, 201, sr.body);
      const end = await post(`/api/v1/contacts/${c.id}/end`, tier1.token, { disposition: 'service-request-created', notes: 'Told the caller the due date.', sendRecord: { channel: 'email', to: 'caller@example.org' } });
      assert.equal(end.statusCode, 200, end.body);
      const record = end.json();
      assert.equal(record.reference, c.reference);
      assert.equal(record.agentId, tier1.agentId);
      assert.equal(record.startedAt, c.startedAt);
      assert.ok(record.endedAt >= record.startedAt);
      assert.deepEqual(record.serviceRequests, [sr.json().referralNumber]);
      const again = await post(`/api/v1/contacts/${c.id}/end`, tier1.token, { disposition: 'resolved' });
      assert.equal(again.statusCode, 409);
      const mail = await t.deps.database.db.selectFrom('outbox').selectAll().where('subject_ref', '=', `contact:${c.id}`).execute();
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.to_address, 'caller@example.org');
      assert.match(mail[0]!.body_text, new RegExp(`${c.reference.slice(0, 4)} ${c.reference.slice(4, 8)} ${c.reference.slice(8)}`));
      assert.match(mail[0]!.body_text, new RegExp(tier1.agentId));
      assert.match(mail[0]!.body_text, /Service request referral numbers: \d{5} \d{5} \d{5}/);
      // Actions are gone once the call ended.
      assert.deepEqual((await get(`/api/v1/contacts/${c.id}`, tier1.token)).json().actions, []);
      // Bad dispositions are refused before anything changes.
      const c2 = await open();
      const bad = await post(`/api/v1/contacts/${c2.id}/end`, tier1.token, { disposition: 'vanished', sendRecord: { channel: 'sms', to: 'x' } });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problem(bad).errors!.map((e) => e.field).sort(), ['disposition', 'sendRecord.to']);
      assert.equal((await get(`/api/v1/contacts/${c2.id}`, tier1.token)).json().endedAt, null);
    });

    test('the caller looks the record up later by reference and phone number; a wrong phone is 404', async () => {
      const c = await open(tier1.token, { callerPhone: '+1 202 555 0199' });
      await post(`/api/v1/contacts/${c.id}/end`, tier1.token, { disposition: 'resolved' });
      const spaced = `${c.reference.slice(0, 4)} ${c.reference.slice(4, 8)}-${c.reference.slice(8)}`;
      const ok = await get(`/api/v1/public/call-records/${encodeURIComponent(spaced)}?callerPhone=${encodeURIComponent('(202) 555-0199')}`);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().reference, c.reference);
      assert.equal(ok.json().agentId, tier1.agentId);
      assert.equal((await get(`/api/v1/public/call-records/${c.reference}?callerPhone=2025550100`)).statusCode, 404);
      assert.equal((await get(`/api/v1/public/call-records/123412341234?callerPhone=2025550199`)).statusCode, 404);
    });

    test('contact records from a telephony platform: stored once per external id; bad ones reported by index; found by phone', async () => {
      const feed = await t.clientToken(['contact-feed']);
      const rec = (externalId: string, extra: Record<string, unknown> = {}) => ({
        externalId, startedAt: '2026-11-30T14:00:00Z', endedAt: '2026-11-30T14:09:30Z', callerPhone: '+1 (303) 555-0177', agentId: tier1.agentId, tier: 'tier1', ...extra,
      });
      const first = await post('/api/v1/contact-records', feed, [rec('CA-1'), rec('CA-2', { recordingUri: 'https://rec.example/2' }), rec('CA-1'), rec('CA-3', { endedAt: '2026-11-30T13:00:00Z' }), { nope: 1 }]);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().accepted, 2);
      assert.equal(first.json().duplicates, 1);
      assert.deepEqual(first.json().rejected.map((r: { index: number; code: string }) => [r.index, r.code]), [[3, 'ended-before-started'], [4, 'invalid-external-id']]);
      const second = await post('/api/v1/contact-records', feed, [rec('CA-1'), rec('CA-2')]);
      assert.deepEqual(second.json(), { accepted: 0, duplicates: 2, rejected: [] });
      const found = await get(`/api/v1/contacts?callerPhone=${encodeURIComponent('303-555-0177')}`, ombudsman);
      assert.equal(found.statusCode, 200, found.body);
      assert.equal(found.json().total, 2);
      assert.deepEqual(found.json().items.map((i: { source: string }) => i.source), ['platform', 'platform']);
      assert.equal((await post('/api/v1/contact-records', await t.clientToken(['case-feed']), [rec('CA-9')])).statusCode, 403);
      assert.equal((await post('/api/v1/contact-records', tier1.token, [rec('CA-9')])).statusCode, 403);
      assert.equal((await post('/api/v1/contact-records', admin, { not: 'an array' })).statusCode, 400);
    });

    test('finding calls by phone, agent and time range (supervisor, Ombudsman); Tier 1 may not search', async () => {
      const c = await open(tier1b.token, { callerPhone: '2025550142' });
      const byAgent = await get(`/api/v1/contacts?agentId=${tier1b.agentId}`, supervisor);
      assert.ok(byAgent.json().items.some((i: { id: string }) => i.id === c.id));
      const today = c.startedAt.slice(0, 10);
      const inRange = await get(`/api/v1/contacts?callerPhone=2025550142&from=${encodeURIComponent(new Date(Date.parse(c.startedAt) - 1000).toISOString())}&to=${encodeURIComponent(new Date(Date.parse(c.startedAt) + 1000).toISOString())}`, supervisor);
      assert.deepEqual(inRange.json().items.map((i: { id: string }) => i.id), [c.id]);
      const before = await get(`/api/v1/contacts?callerPhone=2025550142&to=2020-01-01`, supervisor);
      assert.equal(before.json().total, 0);
      assert.ok(today);
      const bad = await get('/api/v1/contacts?from=yesterday&agentId=12', supervisor);
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problem(bad).errors!.map((e) => e.field).sort(), ['agentId', 'from']);
      assert.equal((await get('/api/v1/contacts?callerPhone=2025550142', tier1.token)).statusCode, 403);
    });

    test('transfers to an office are refused for every role, audited', async () => {
      const c = await open();
      for (const token of [tier1.token, tier2.token, supervisor]) {
        const res = await post(`/api/v1/contacts/${c.id}/transfers`, token, { office: 'VSC' });
        assert.equal(res.statusCode, 403);
        assert.equal(res.json().prohibition, 'transfer-to-offices');
      }
    });

    test('escalation: a live transfer to a free Tier 2 officer with the skills; then that officer may act on the call', async () => {
      const rn = await newCase({ applicant: { ...(caseRecord().applicant as object), military: true } });
      const c = await open(tier1.token, { language: 'es' });
      await post(`/api/v1/contacts/${c.id}/verification`, tier1.token, { receiptNumber: rn, ...ANA });
      // The English-only officer is free, but the call needs Spanish and military: no transfer to them.
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', payload: { status: 'available' }, headers: bearer(tier2.token) })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', payload: { status: 'available' }, headers: bearer(tier2es.token) })).statusCode, 200);
      const res = await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'Military spouse asks about a pending case.', urgency: 'urgent' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().mode, 'transfer');
      assert.equal(res.json().toAgentId, tier2es.agentId);
      assert.deepEqual(res.json().skills, ['es', 'military']);
      const seen = await get(`/api/v1/contacts/${c.id}`, tier2es.token);
      assert.equal(seen.statusCode, 200, 'the officer it went to may act on it');
      assert.ok(seen.json().actions.includes('view-case-details'));
      assert.ok(!seen.json().actions.includes('escalate'), 'Tier 2 does not escalate');
      assert.equal((await get('/api/v1/me/presence', tier2es.token)).json().status, 'busy');
      // The call is the officer's now: the Tier 1 agent may add a note but not end it.
      assert.deepEqual((await get(`/api/v1/contacts/${c.id}`, tier1.token)).json().actions, ['add-note']);
      assert.equal((await post(`/api/v1/contacts/${c.id}/end`, tier1.token, { disposition: 'escalated' })).statusCode, 409);
      // Ending it frees the officer again.
      await post(`/api/v1/contacts/${c.id}/end`, tier2es.token, { disposition: 'resolved' });
      assert.equal((await get('/api/v1/me/presence', tier2es.token)).json().status, 'available');
      for (const tk of [tier2.token, tier2es.token]) await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', payload: { status: 'away' }, headers: bearer(tk) });
    });

    test('an officer who said "available" and then signed out takes no live transfer: the call becomes a callback', async () => {
      const gone = await t.signIn('tier2', { skills: ['en', 'es', 'military'] });
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/me/presence', payload: { status: 'available' }, headers: bearer(gone.token) })).statusCode, 200);
      assert.equal((await post('/api/v1/auth/logout', gone.token)).statusCode, 204);
      const c = await open(tier1.token, { language: 'es' });
      const res = await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'La persona pide ayuda con un caso decidido.', urgency: 'regular' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().mode, 'callback');
    });

    test('escalation without a free officer: a callback due in 72 hours when urgent, a text to the caller, and the Tier 2 queue shows it', async () => {
      const c = await open(tier1.token, { callerPhone: '2025550111' });
      const window = { from: new Date(Date.now() + 3_600_000).toISOString(), to: new Date(Date.now() + 30 * 3_600_000).toISOString() };
      const res = await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'Caller needs a decided case explained.', urgency: 'urgent', callback: { phone: '2025550112', window } });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.mode, 'callback');
      assert.ok(Math.abs(Date.parse(body.dueAt) - Date.now() - 72 * 3_600_000) < 60_000, body.dueAt);
      const texts = await t.deps.database.db.selectFrom('outbox').selectAll().where('subject_ref', '=', `escalation:${body.id}`).orderBy('next_attempt_at').execute();
      assert.deepEqual(texts.map((m) => [m.channel, m.to_address, m.template]), [['sms', '+12025550112', 'callback-scheduled']]);
      const queue = await get('/api/v1/callbacks', tier2.token);
      assert.equal(queue.statusCode, 200, queue.body);
      const item = queue.json().items.find((i: { id: string }) => i.id === body.id);
      assert.ok(item, 'an English-speaking officer sees the English callback');
      assert.deepEqual(Object.keys(item).filter((k) => ['id', 'contactId', 'phone', 'language', 'skills', 'urgency', 'window', 'dueAt', 'attempts', 'status'].includes(k)).length, 10);
      assert.equal(item.status, 'due');
      assert.equal(item.phone, '+12025550112');
      assert.deepEqual(item.window, window);
      // A regular callback is due on the policy's business day; a reminder is queued ahead of it.
      const c2 = await open();
      const reg = await post(`/api/v1/contacts/${c2.id}/escalations`, tier1.token, { reason: 'Caller asks about a pending I-485 again.', urgency: 'regular' });
      assert.equal(reg.statusCode, 201, reg.body);
      assert.equal(reg.json().dueAt, t.deps.callbacks.dueAt('regular'));
      const reminders = await t.deps.database.db.selectFrom('outbox').select(['template', 'next_attempt_at']).where('subject_ref', '=', `escalation:${reg.json().id}`).orderBy('next_attempt_at').execute();
      assert.deepEqual(reminders.map((m) => m.template), ['callback-scheduled', 'callback-reminder']);
      assert.ok(reminders[1]!.next_attempt_at < reg.json().dueAt);
      // Tier 2 may not escalate; a bad body names its fields.
      assert.equal((await post(`/api/v1/contacts/${c2.id}/escalations`, tier2.token, { reason: 'x'.repeat(20), urgency: 'urgent' })).statusCode, 403);
      const bad = await post(`/api/v1/contacts/${c2.id}/escalations`, tier1.token, { reason: 'short', urgency: 'soon', callback: { window: { from: 'later', to: 'never' } } });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problem(bad).errors!.map((e) => e.field).sort(), ['callback.window', 'reason', 'urgency']);
    });

    test('callback attempts: two failures close it as missed and tell the caller how to reach Tier 2 again; no silent drop', async () => {
      const c = await open(tier1.token, { callerPhone: '2025550120' });
      const cb = (await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'Caller needs a re-issued notice explained.', urgency: 'urgent' })).json();
      const first = await post(`/api/v1/callbacks/${cb.id}/attempts`, tier2.token, { outcome: 'no-answer' });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().status, 'due');
      const second = await post(`/api/v1/callbacks/${cb.id}/attempts`, tier2.token, { outcome: 'voicemail' });
      assert.equal(second.json().status, 'missed');
      assert.equal((await post(`/api/v1/callbacks/${cb.id}/attempts`, tier2.token, { outcome: 'reached' })).statusCode, 409);
      const missed = await get('/api/v1/callbacks?status=missed', supervisor);
      assert.ok(missed.json().items.some((i: { id: string }) => i.id === cb.id), 'the supervisor sees the missed callback');
      const texts = await t.deps.database.db.selectFrom('outbox').select(['template', 'body_text']).where('subject_ref', '=', `escalation:${cb.id}`).execute();
      const told = texts.find((m) => m.template === 'callback-missed');
      assert.ok(told, 'the caller is told');
      assert.match(told.body_text, /To reach Tier 2 again, call/);
      const overview = await get('/api/v1/contact-center/overview', supervisor);
      assert.equal(overview.statusCode, 200, overview.body);
      assert.ok(overview.json().missed.items.some((i: { id: string }) => i.id === cb.id));
      assert.equal((await get('/api/v1/contact-center/overview', tier2.token)).statusCode, 403);
      assert.equal((await post(`/api/v1/callbacks/${cb.id}/attempts`, tier1.token, { outcome: 'reached' })).statusCode, 403);
    });

    test('reaching the caller: the callback is done and the officer has a call of their own with the whole story', async () => {
      const rn = await newCase();
      const c = await open(tier1.token, { callerPhone: '2025550130' });
      await post(`/api/v1/contacts/${c.id}/verification`, tier1.token, { receiptNumber: rn, ...ANA });
      await post(`/api/v1/contacts/${c.id}/notes`, tier1.token, { text: 'Caller was told the case is pending; asks what the RFE response changes.' });
      const cb = (await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'Pending case after RFE response: needs Tier 2.', urgency: 'regular' })).json();
      await post(`/api/v1/contacts/${c.id}/end`, tier1.token, { disposition: 'escalated' });
      const detail = await get(`/api/v1/callbacks/${cb.id}`, tier2.token);
      assert.equal(detail.statusCode, 200, detail.body);
      assert.ok(detail.json().contact.events.some((e: { kind: string; detail: { text?: string } }) => e.kind === 'note' && /RFE response/.test(e.detail.text ?? '')));
      assert.deepEqual(detail.json().contact.cases, [{ receiptNumber: rn, verified: true }]);
      assert.equal((await get(`/api/v1/callbacks/${cb.id}`, tier2es.token)).statusCode, 200);
      const reached = await post(`/api/v1/callbacks/${cb.id}/attempts`, tier2.token, { outcome: 'reached' });
      assert.equal(reached.statusCode, 201, reached.body);
      assert.equal(reached.json().status, 'done');
      const mine = await get(`/api/v1/contacts/${reached.json().contactId}`, tier2.token);
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.json().source, 'callback');
      assert.deepEqual(mine.json().cases.map((k: { receiptNumber: string }) => k.receiptNumber), [rn]);
      const reminders = await t.deps.database.db.selectFrom('outbox').select('template').where('subject_ref', '=', `escalation:${cb.id}`).execute();
      assert.ok(!reminders.some((m) => m.template === 'callback-reminder'), 'the reminder of a finished callback is withdrawn');
    });

    test('a Spanish callback is not in the English-only officer\'s queue, and they may not record on it', async () => {
      const c = await open(tier1.token, { language: 'es', callerPhone: '2025550150' });
      const cb = (await post(`/api/v1/contacts/${c.id}/escalations`, tier1.token, { reason: 'La persona pide ayuda con un caso pendiente.', urgency: 'urgent' })).json();
      assert.ok(!(await get('/api/v1/callbacks', tier2.token)).json().items.some((i: { id: string }) => i.id === cb.id));
      assert.ok((await get('/api/v1/callbacks', tier2es.token)).json().items.some((i: { id: string }) => i.id === cb.id));
      assert.equal((await post(`/api/v1/callbacks/${cb.id}/attempts`, tier2.token, { outcome: 'no-answer' })).statusCode, 404);
      const texts = await t.deps.database.db.selectFrom('outbox').select(['lang', 'body_text']).where('subject_ref', '=', `escalation:${cb.id}`).execute();
      assert.equal(texts[0]!.lang, 'es');
      assert.match(texts[0]!.body_text, /le llamará/);
    });
  });
}
