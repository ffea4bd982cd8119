/**
 * The supervisor's live view, on SQLite and PostgreSQL: GET /supervisor renders callbacks by skill, service
 * requests by office, agents, and the overdue and missed callbacks linked to the desk, for supervisors only; the
 * stream GET /supervisor/events (over a real HTTP server and node's http client) sends text/event-stream with a
 * snapshot of current data, sends a new one after a change, never extends the session, ends when the session
 * does, stops its work when the client goes away, and ends when the app closes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { EventStream } from '../support/event-stream.ts';
import type { Actor } from '../../src/platform/actor.ts';
import type { Role } from '../../src/domain/roles.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';

const en = translator('en');
const es = translator('es');
const HOUR = 3_600_000;
const idem = (key: string) => ({ scope: 'test', key, requestHash: '' });


for (const kind of databaseKinds()) {
  describe(`the supervisor's live view [${kind}]`, () => {
    let t: TestApp;
    let base: string;
    let offset = 0;
    const logLines: string[] = [];
    const people: Record<string, { token: string; actor: Actor; agentId: string }> = {};
    const ids: Record<string, string> = {};

    const person = async (key: string, role: Role, name: string, skills?: string[]) => {
      const email = `${key}.${kind}@agency.test`;
      const s = await t.signIn(role, { email, ...(skills ? { skills } : {}) });
      await t.deps.database.db.updateTable('staff').set({ name }).where('id', '=', s.id).execute();
      people[key] = { token: s.token, agentId: s.agentId, actor: { kind: 'staff', sessionId: 'test', user: { id: s.id, email, name, role, office: role === 'office' ? 'VSC' : null, agentId: s.agentId } } };
    };
    /** A callback made `hoursAgo` hours ago on a call of Tier 1 (nobody of Tier 2 free, so no transfer). */
    const callback = async (key: string, hoursAgo: number, urgency: 'urgent' | 'regular', reason: string) => {
      const at = () => new Date(Date.now() - hoursAgo * HOUR);
      const contacts = t.deps.contacts.withClock(at);
      const opened = JSON.parse((await contacts.open(people.tier1!.actor, { channel: 'phone', callerPhone: '(202) 555-0143', language: 'en' }, idem(`${key}-open`))).body) as { id: string };
      const made = JSON.parse((await t.deps.callbacks.withClock(at).escalate(people.tier1!.actor, opened.id, { reason, urgency }, idem(`${key}-cb`))).body) as { id: string; mode: string };
      assert.equal(made.mode, 'callback');
      ids[key] = made.id;
      return made.id;
    };
    const cookie = (key: string) => `sb_session=${people[key]!.token}`;
    const page = (url: string, key?: string) => t.app.inject({ method: 'GET', url, headers: key ? { cookie: cookie(key) } : {} });

    before(async () => {
      const logStream = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
      t = await startTestApp(kind, { staffClock: () => new Date(Date.now() + offset), env: { LOG_LEVEL: 'info' }, logStream });
      await person('sup', 'supervisor', 'Sam Okafor');
      await person('tier1', 'tier1', 'Tina Reyes');
      await person('tier2', 'tier2', 'Omar Haddad', ['en']);
      // Free, but Spanish only: the English callbacks below stay callbacks (no live transfer to her).
      await person('tier2es', 'tier2', 'Rosa Díaz', ['es', 'military']);
      for (const role of ['office', 'ombudsman', 'admin'] as const) await person(role, role, `Test ${role}`);
      await callback('due', 1, 'urgent', 'Caller asks why the interview notice never came.');
      await callback('overdue', 80, 'urgent', 'Caller needs a decided case explained.');
      const missed = await callback('missed', 20, 'urgent', 'Caller asks about a re-issued notice.');
      await t.deps.callbacks.attempt(people.tier2!.actor, missed, 'no-answer');
      await t.deps.callbacks.attempt(people.tier2!.actor, missed, 'voicemail');
      await t.deps.callbacks.setPresence(people.tier2es!.actor, 'available');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    test('the page shows callbacks by skill, service requests, agents, and the overdue and missed callbacks linked to the desk', async () => {
      const res = await page('/supervisor', 'sup');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.body;
      assert.match(body, new RegExp(`<h1>${en('supervisor.title')}</h1>`));
      assert.match(body, /<tr data-skill="en">\s*<th scope="row">English<\/th>\s*<td class="text-right" data-count="due">1<\/td>\s*<td[^>]*data-count="overdue">1<\/td>\s*<td[^>]*data-count="missed">1<\/td>/);
      assert.ok(body.includes(`href="/desk/callbacks/${ids.overdue}"`), 'the overdue callback links to the desk');
      assert.ok(body.includes(`href="/desk/callbacks/${ids.missed}"`), 'the missed callback links to the desk');
      const overdue = body.slice(body.indexOf('id="overdue-callbacks"'), body.indexOf('id="missed-heading"'));
      assert.ok(!overdue.includes(ids.due!), 'a callback not yet due is not listed as overdue');
      assert.ok(overdue.includes('8 hours'), 'overdue by 8 hours (72 hours due, made 80 hours ago)');
      for (const who of ['tier1', 'tier2', 'tier2es']) {
        const p = people[who]!;
        assert.ok(body.includes(`<tr data-agent-id="${p.agentId}">`), `${who} is listed`);
      }
      assert.match(body, new RegExp(`<tr data-agent-id="${people.tier2es!.agentId}">\\s*<th scope="row"[^>]*>Rosa Díaz</th>\\s*<td[^>]*>${en('staff.role.tier2')}</td>\\s*<td[^>]*>${people.tier2es!.agentId}</td>\\s*<td[^>]*>Spanish, Military</td>\\s*<td[^>]*data-status="available">Available`));
      assert.match(body, new RegExp(`<tr data-agent-id="${people.tier1!.agentId}">[\\s\\S]*?<td[^>]*data-status="untracked">${en('supervisor.presence.untrackedTier1')}`));
      assert.ok(body.includes('<noscript>') && body.includes(en('supervisor.status.noscript')), 'without JavaScript the page says to reload');
      assert.ok(body.includes('aria-live="polite"'));
      assert.ok(body.includes('data-events="/supervisor/events?lang=en"'));
      assert.ok(body.includes('<script src="/assets/app/live.js" defer>'));
      const script = await t.app.inject({ method: 'GET', url: '/assets/app/live.js' });
      assert.equal(script.statusCode, 200);
    });

    test('in Spanish', async () => {
      const res = await page('/supervisor?lang=es', 'sup');
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(`<h1>${es('supervisor.title')}</h1>`));
      assert.ok(res.body.includes('<th scope="row">Inglés</th>'));
      assert.ok(res.body.includes('data-events="/supervisor/events?lang=es"'));
    });

    test('only supervisors: 403 for every other role, sign-in for nobody; the staff home links supervisors to it', async () => {
      for (const who of ['tier1', 'tier2', 'office', 'ombudsman', 'admin']) {
        assert.equal((await page('/supervisor', who)).statusCode, 403, who);
        assert.equal((await page('/supervisor/events', who)).statusCode, 403, `${who} (stream)`);
      }
      const anonymous = await page('/supervisor');
      assert.equal(anonymous.statusCode, 302);
      assert.equal(anonymous.headers.location, '/sign-in?next=%2Fsupervisor');
      assert.equal((await page('/supervisor/events')).statusCode, 401);
      assert.ok((await page('/staff', 'sup')).body.includes('href="/supervisor"'));
      assert.ok(!(await page('/staff', 'tier1')).body.includes('href="/supervisor"'));
    });

    test('the stream: text/event-stream, a snapshot of current data at once, another after a change, and it stops when the client goes away', async () => {
      const s = new EventStream(`${base}/supervisor/events?lang=en`, cookie('sup'));
      await s.until(() => s.snapshots().length >= 1);
      assert.equal(s.status, 200);
      assert.match(s.contentType, /^text\/event-stream/);
      const first = s.snapshots()[0]!;
      assert.ok(first.html.includes(`href="/desk/callbacks/${ids.overdue}"`), 'the snapshot carries the current overdue callback');
      assert.ok(!first.html.includes('<html'), 'the live part only, not a whole page');
      assert.equal(first.summary.text, en('supervisor.announce', { due: 1, overdue: 1, missed: 1, requests: 0, available: 1 }));
      // A callback made overdue through the service: the stream sends a snapshot with it (no reload).
      const made = await callback('later', 90, 'urgent', 'Caller asks what the second RFE means.');
      await s.until(() => s.snapshots().some((x) => x.html.includes(made)));
      assert.equal(s.snapshots().at(-1)!.summary.text, en('supervisor.announce', { due: 1, overdue: 2, missed: 1, requests: 0, available: 1 }));
      const before = logLines.filter((l) => l.includes('supervisor stream closed')).length;
      s.close();
      await s.untilEnded();
      // The server noticed and stopped the stream's reads (its log line is written when the timer is cleared).
      while (logLines.filter((l) => l.includes('supervisor stream closed')).length === before) await new Promise((r) => setImmediate(r));
      assert.match(logLines.filter((l) => l.includes('supervisor stream closed')).at(-1)!, /"reason":"client-gone"/);
    });

    test('the stream never extends the session; it ends when the session has been idle too long', async () => {
      const token = people.sup!.token;
      offset += 10 * 60_000; // ten minutes of nobody using the session (past the once-a-minute write)
      const idleBefore = (await t.deps.staff.checkToken(token));
      assert.ok(idleBefore.live);
      const s = new EventStream(`${base}/supervisor/events`, cookie('sup'));
      await s.until(() => s.snapshots().length >= 1);
      await callback('nudge', 1, 'regular', 'Caller asks for the status of a pending I-130.');
      await s.until(() => s.snapshots().length >= 2);
      const idleAfter = await t.deps.staff.checkToken(token);
      assert.ok(idleAfter.live);
      assert.equal(idleAfter.times.idleExpiresAt, idleBefore.times.idleExpiresAt, 'the stream did not move the idle end');
      // Past the idle end: the stream's next read ends it and says why.
      offset += 31 * 60_000;
      await callback('nudge2', 1, 'regular', 'Caller asks for the status of a pending I-765.');
      await s.untilEnded();
      const end = s.events.find((e) => e.event === 'end');
      assert.deepEqual(end?.data, { reason: 'idle', text: en('supervisor.ended.session') });
      assert.equal((await page('/supervisor/events', 'sup')).statusCode, 401, 'and it cannot be opened again');
    });

    test('closing the app ends open streams (app.close() returns, no timer left)', async () => {
      const second = await startTestApp(kind, { sharing: t });
      await person('sup2', 'supervisor', 'Sam Second');
      await second.app.listen({ port: 0, host: '127.0.0.1' });
      const s = new EventStream(`http://127.0.0.1:${(second.app.server.address() as AddressInfo).port}/supervisor/events`, cookie('sup2'));
      await s.until(() => s.snapshots().length >= 1);
      await second.close();
      await s.untilEnded();
      assert.ok(!s.events.some((e) => e.event === 'end'), 'closing is not a final end: the browser reconnects');
    });
  });
}
