/**
 * The Tier 2 callback queue updates live, on SQLite and PostgreSQL, over a real HTTP server and node's http client:
 * GET /desk/callbacks carries the live part, its status line and polite live region, and the stream's address;
 * GET /desk/callbacks/events sends text/event-stream with a snapshot of the queue (Tier 2 for their skills,
 * supervisors all), a new snapshot after a callback is created through the service, 401 without a session, 403 for
 * roles that do not call back, and never extends the session (it ends when the session has been idle too long).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
  describe(`the callback queue's live stream [${kind}]`, () => {
    let t: TestApp;
    let base: string;
    let offset = 0;
    const people: Record<string, { token: string; actor: Actor }> = {};
    const ids: Record<string, string> = {};

    const person = async (key: string, role: Role, skills?: string[]) => {
      const email = `cqs.${key}.${kind}@agency.test`;
      const s = await t.signIn(role, { email, ...(skills ? { skills } : {}) });
      people[key] = { token: s.token, actor: { kind: 'staff', sessionId: 'test', user: { id: s.id, email, name: key, role, office: null, agentId: s.agentId } } };
    };
    /** A callback asked for `hoursAgo` hours ago on a Tier 1 call in `language` (no Tier 2 officer is free). */
    const callback = async (key: string, hoursAgo: number, language: 'en' | 'es', reason: string) => {
      const at = () => new Date(Date.now() - hoursAgo * HOUR);
      const opened = JSON.parse((await t.deps.contacts.withClock(at).open(people.tier1!.actor, { channel: 'phone', callerPhone: '(202) 555-0143', language }, idem(`${key}-open`))).body) as { id: string };
      const made = JSON.parse((await t.deps.callbacks.withClock(at).escalate(people.tier1!.actor, opened.id, { reason, urgency: 'urgent' }, idem(`${key}-cb`))).body) as { id: string; mode: string };
      assert.equal(made.mode, 'callback');
      ids[key] = made.id;
      return made.id;
    };
    const cookie = (key: string) => `sb_session=${people[key]!.token}`;
    const page = (url: string, key?: string) => t.app.inject({ method: 'GET', url, headers: key ? { cookie: cookie(key) } : {} });

    before(async () => {
      t = await startTestApp(kind, { staffClock: () => new Date(Date.now() + offset) });
      await person('tier1', 'tier1');
      await person('olga', 'tier2', ['en']);
      await person('sup', 'supervisor');
      await person('office', 'office');
      await callback('en1', 2, 'en', 'Caller asks why the interview notice never came.');
      await callback('es1', 2, 'es', 'La persona pregunta por su aviso de entrevista.');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    test('the page: the list inside the live part, the status line, the polite live region, the stream address, the script', async () => {
      const res = await page('/desk/callbacks', 'olga');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.body;
      const live = body.slice(body.indexOf('<div id="queue-live"'), body.indexOf('<script src="/assets/app/live.js"'));
      assert.ok(live.includes(`<tr data-callback="${ids.en1}"`), 'the list is in the live part');
      assert.ok(!live.includes(`data-callback="${ids.es1}"`), 'Tier 2 sees only what their skills serve');
      assert.ok(body.includes('data-events="/desk/callbacks/events?lang=en"'));
      assert.ok(body.includes('data-live-status="queue-live-status" data-live-announce="queue-live-announce"'));
      assert.match(body, /<div id="queue-live-announce" class="usa-sr-only" aria-live="polite" aria-atomic="true"><\/div>/);
      assert.ok(body.includes(en('tier2Desk.live.status.static')) && body.includes('<noscript>') && body.includes(en('tier2Desk.live.status.noscript')));
      assert.ok(body.includes(`data-live-text="${en('tier2Desk.live.status.live')}"`));
      const tab = await page('/desk/callbacks?status=overdue&lang=es', 'olga');
      assert.ok(tab.body.includes('data-events="/desk/callbacks/events?status=overdue&amp;lang=es"'), 'the stream keeps the tab and the language');
      assert.ok(tab.body.includes(es('tier2Desk.live.status.static')));
    });

    test('401 without a session, 403 for roles that do not call back', async () => {
      assert.equal((await page('/desk/callbacks/events')).statusCode, 401);
      const s = new EventStream(`${base}/desk/callbacks/events`);
      await s.untilEnded();
      assert.equal(s.status, 401);
      assert.ok(!s.contentType.startsWith('text/event-stream'));
      for (const who of ['tier1', 'office']) assert.equal((await page('/desk/callbacks/events', who)).statusCode, 403, who);
    });

    test('Tier 2: text/event-stream, a first snapshot listing their queue, a new one after a callback is made through the service', async () => {
      const s = new EventStream(`${base}/desk/callbacks/events?lang=en`, cookie('olga'));
      try {
        await s.until(() => s.snapshots().length >= 1);
        assert.equal(s.status, 200);
        assert.match(s.contentType, /^text\/event-stream/);
        const first = s.snapshots()[0]!;
        assert.ok(first.html.includes(`<tr data-callback="${ids.en1}"`), 'the first snapshot lists the queue');
        assert.ok(!first.html.includes(ids.es1!), 'and only what the officer\'s skills serve');
        assert.ok(!first.html.includes('<html') && !first.html.includes('queue-live-status'), 'the live part only');
        assert.equal(first.summary.text, en('tier2Desk.live.announce', { total: 1, overdue: 0 }));
        // The same HTML the page renders for the list (a reload shows the same).
        const pageBody = (await page('/desk/callbacks', 'olga')).body;
        assert.ok(pageBody.includes(first.html.slice(first.html.indexOf('<h2'), first.html.indexOf('</table>'))));

        const made = await callback('en2', 80, 'en', 'Caller needs a decided case explained.');
        await s.until(() => s.snapshots().some((x) => x.html.includes(made)));
        const next = s.snapshots().find((x) => x.html.includes(made))!;
        assert.match(next.html, new RegExp(`<tr data-callback="${made}" data-status="overdue">`));
        assert.equal(next.summary.text, en('tier2Desk.live.announce', { total: 2, overdue: 1 }));
      } finally {
        s.close();
      }
    });

    test('a supervisor\'s stream lists every callback; a tab\'s stream only that tab', async () => {
      const all = new EventStream(`${base}/desk/callbacks/events`, cookie('sup'));
      const overdue = new EventStream(`${base}/desk/callbacks/events?status=overdue`, cookie('olga'));
      try {
        await all.until(() => all.snapshots().length >= 1);
        assert.ok(all.snapshots()[0]!.html.includes(ids.es1!) && all.snapshots()[0]!.html.includes(ids.en1!));
        await overdue.until(() => overdue.snapshots().length >= 1);
        assert.ok(overdue.snapshots()[0]!.html.includes(ids.en2!));
        assert.ok(!overdue.snapshots()[0]!.html.includes(ids.en1!), 'a callback not yet due is not on the overdue tab');
      } finally {
        all.close();
        overdue.close();
      }
    });

    test('the stream never extends the session; it ends when the session has been idle too long', async () => {
      const token = people.olga!.token;
      offset += 10 * 60_000; // ten minutes of nobody using the session (past the once-a-minute write)
      const idleBefore = await t.deps.staff.checkToken(token);
      assert.ok(idleBefore.live);
      const s = new EventStream(`${base}/desk/callbacks/events`, cookie('olga'));
      await s.until(() => s.snapshots().length >= 1);
      const made = await callback('nudge', 1, 'en', 'Caller asks for the status of a pending I-130.');
      await s.until(() => s.snapshots().some((x) => x.html.includes(made)));
      const idleAfter = await t.deps.staff.checkToken(token);
      assert.ok(idleAfter.live);
      assert.equal(idleAfter.times.idleExpiresAt, idleBefore.times.idleExpiresAt, 'the stream did not move the idle end');
      offset += 31 * 60_000;
      await callback('nudge2', 1, 'en', 'Caller asks for the status of a pending I-765.');
      await s.untilEnded();
      assert.deepEqual(s.events.find((e) => e.event === 'end')?.data, { reason: 'idle', text: en('tier2Desk.live.ended.session') });
      assert.equal((await page('/desk/callbacks/events', 'olga')).statusCode, 401, 'and it cannot be opened again');
    });
  });
}
