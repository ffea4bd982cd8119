/**
 * The Tier 2 desk in Chromium with axe (WCAG 2.1 A and AA), keyboard only once signed in: the officer opens the
 * callback queue, opens the overdue callback, reads what the caller said, and records "reached", which takes them on
 * to their own new call. The case timeline and the office's re-issue page pass axe too. Screenshots:
 * docs/screenshots/callback-queue.png and docs/screenshots/callback.png (others in /tmp/tier2-desk-*.png). The queue
 * updates live: a callback made through the service appears without a reload, and the page stays axe-clean.
 * Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import type { Actor } from '../../src/platform/actor.ts';

const en = translator('en');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const NOTE = 'The caller says the interview notice never came; she moved to Austin in May and gave the new address online.';
const REASON = 'Interview notice never arrived; caller needs a new interview date explained.';

describeInChromium('the Tier 2 desk in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let receipt = '';
  const ids: Record<string, string> = {};
  let terry: Actor;

  before(async () => {
    t = await startTestApp('sqlite');
    await t.deps.staff.addUser({ email: 'terry@agency.test', name: 'Terry Agent', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'terry@agency.test', password: TEST_PASSWORD } });
    const tier1 = login.json().token as string;
    const session = (await t.deps.staff.resolveSession(tier1))!;
    const agent = { kind: 'staff' as const, user: session.user, sessionId: session.sessionId };
    terry = agent;
    await t.deps.staff.addUser({ email: 'olga@agency.test', name: 'Olga Officer', role: 'tier2', password: TEST_PASSWORD, skills: ['en', 'es'] }, { kind: 'cli' });
    await t.deps.staff.addUser({ email: 'vera@agency.test', name: 'Vera Worker', role: 'office', office: 'VSC', password: TEST_PASSWORD }, { kind: 'cli' });
    const record = caseRecord({
      office: 'VSC',
      history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-02', status: 'fingerprints-were-taken' }],
      notices: [{ id: 'N1', type: 'receipt', date: '2025-01-16' }, { id: 'N2', type: 'interview', date: '2025-09-10' }],
      rfes: [{ id: 'RFE-1', date: '2025-03-03', text: 'Submit the joint sponsor affidavit.' }],
    });
    receipt = record.receiptNumber as string;
    assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
    const post = async (url: string, payload: unknown) => {
      const res = await t.app.inject({ method: 'POST', url, payload: payload as object, headers: bearer(tier1) });
      assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const call = async (key: string, phone: string, o: { note?: string; reason?: string; urgency?: string; language?: string; verify?: boolean; escalate?: boolean }) => {
      const c = await post('/api/v1/contacts', { channel: 'phone', callerPhone: phone, language: o.language ?? 'en' });
      if (o.verify) await post(`/api/v1/contacts/${c.id}/verification`, { receiptNumber: receipt, name: 'Ana Pérez', dateOfBirth: '1990-03-02' });
      if (o.note) await post(`/api/v1/contacts/${c.id}/notes`, { text: o.note });
      if (o.escalate !== false) ids[key] = (await post(`/api/v1/contacts/${c.id}/escalations`, { reason: o.reason ?? REASON, urgency: o.urgency ?? 'urgent' })).id;
      await post(`/api/v1/contacts/${c.id}/end`, { disposition: o.escalate === false ? 'resolved' : 'escalated' });
    };
    // The overdue callback was asked for 77 hours ago (urgent: due in 72), so it is five hours late.
    // An earlier call of the same caller, ten days before.
    const tenDaysAgo = Date.now() - 10 * 86_400_000;
    let earlierTick = 0;
    const before10 = t.deps.contacts.withClock(() => new Date(tenDaysAgo + 60_000 * earlierTick++));
    const first = JSON.parse((await before10.open(agent, { channel: 'phone', callerPhone: '2025550143', language: 'en' }, { scope: 'staff:test', key: null, requestHash: '' })).body) as { id: string };
    await before10.addNote(agent, first.id, 'Asked where the interview letter is; told to wait two weeks.');
    await before10.end(agent, first.id, { disposition: 'resolved' });
    // A clock that moves a second per reading, so the call's events keep their order.
    const start = Date.now() - 77 * 3_600_000 - 30_000;
    let tick = 0;
    const then = () => new Date(start + 1000 * tick++);
    const contactsThen = t.deps.contacts.withClock(then);
    const noKey = { scope: 'staff:test', key: null, requestHash: '' };
    const opened = JSON.parse((await contactsThen.open(agent, { channel: 'phone', callerPhone: '2025550143', language: 'en' }, noKey)).body) as { id: string };
    await contactsThen.verify(agent, opened.id, { receiptNumber: receipt, name: 'Ana Pérez', dateOfBirth: '1990-03-02' });
    await contactsThen.addNote(agent, opened.id, NOTE);
    ids.late = (JSON.parse((await t.deps.callbacks.withClock(then).escalate(agent, opened.id, { reason: REASON, urgency: 'urgent' }, noKey)).body) as { id: string }).id;
    await contactsThen.end(agent, opened.id, { disposition: 'escalated' });
    await call('regular', '2025550177', { reason: 'Caller asks what the fingerprint appointment result means.', urgency: 'regular' });
    await call('spanish', '2025550188', { language: 'es', reason: 'La persona pide que le expliquen una decisión.', urgency: 'urgent' });

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (page: Page, url: string, email: string) => {
    await page.context().clearCookies();
    await page.goto(`${base}${url}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await page.waitForURL(`${base}${url}`);
  };
  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', text: el?.textContent?.trim().replace(/\s+/g, ' ') ?? '', href: el?.getAttribute('href') ?? '' };
  });
  /** Presses Tab until `isTarget`; fails after `max` presses. Returns how many it took. */
  const tabTo = async (page: Page, isTarget: () => Promise<boolean>, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (await isTarget()) return i;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab`);
  };

  test('the officer, keyboard only: queue → the overdue callback → reads the notes → "Reached the caller" → their new call; axe on each page', async () => {
    const page = await context.newPage();
    await signIn(page, '/desk/callbacks', 'olga@agency.test');
    assert.equal(await page.locator('h1').innerText(), en('tier2Desk.queue.title'));
    const order = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-callback')));
    assert.equal(order[0], ids.late, 'the overdue callback is first');
    assert.equal(order.length, 3, 'English and Spanish callbacks for a bilingual officer');
    assert.match(await page.locator(`tr[data-callback="${ids.late}"]`).innerText(), /Overdue by 5 hours/i);
    await assertAccessible(page, 'the callback queue');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'callback-queue.png'), fullPage: true });

    // From the skip link, Tab to the first row's link and open it.
    await page.locator('.usa-skipnav').focus();
    await page.keyboard.press('Enter');
    await tabTo(page, async () => (await focused(page)).href === `/desk/callbacks/${ids.late}`, 12, 'the overdue callback\'s link');
    await Promise.all([page.waitForURL(`${base}/desk/callbacks/${ids.late}`), page.keyboard.press('Enter')]);
    assert.match(await page.locator('h1').innerText(), /\(202\) 555-0143/);
    assert.equal((await page.getByTestId('status').textContent())?.trim(), en('tier2Desk.status.overdue'));
    assert.match(await page.getByTestId('notes').innerText(), /moved to Austin in May/);
    assert.match(await page.locator('section[aria-labelledby="history-heading"]').innerText(), /Tier 1/, 'the earlier call is there');
    await assertAccessible(page, 'one callback');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'callback.png'), fullPage: true });

    // Read the notes (the officer Tabs through the page), then on to "Reached the caller".
    await page.locator('.usa-skipnav').focus();
    await page.keyboard.press('Enter');
    const presses = await tabTo(page, async () => (await focused(page)).text === en('tier2Desk.attempt.reached'), 20, 'the Reached button');
    assert.ok(presses <= 6, `the attempt buttons come early, after the case link (took ${presses})`);
    await Promise.all([page.waitForURL(/\/desk\/contacts\/[^/]+$/), page.keyboard.press('Enter')]);
    const contactId = /\/desk\/contacts\/([^/?#]+)$/.exec(page.url())![1]!;
    const call = await t.deps.database.db.selectFrom('contacts').select(['source', 'callback_id']).where('id', '=', contactId).executeTakeFirstOrThrow();
    assert.deepEqual(call, { source: 'callback', callback_id: ids.late });
    await page.close();
  });

  test('the case timeline and a failed attempt pass axe; the office\'s re-issue page too', async () => {
    const page = await context.newPage();
    await signIn(page, `/desk/callbacks/${ids.regular}`, 'olga@agency.test');
    await page.getByRole('button', { name: en('tier2Desk.attempt.no-answer') }).focus();
    await Promise.all([page.waitForURL(/done=no-answer$/), page.keyboard.press('Enter')]);
    assert.equal(await page.getByTestId('outcome').innerText(), en('tier2Desk.done.no-answer'));
    await assertAccessible(page, 'a callback after one failed attempt');
    await page.screenshot({ path: '/tmp/tier2-desk-callback-after-attempt.png', fullPage: true });

    await page.goto(`${base}/desk/cases/${receipt}?purpose=${ids.late}`);
    assert.doesNotMatch(await page.locator('main').innerText(), /joint sponsor/);
    await page.locator(`#notice-N2 ~ details summary`).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('The interview notice never arrived at the new address.');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/requested=N2/), page.keyboard.press('Enter')]);
    await assertAccessible(page, 'the case timeline');
    await page.screenshot({ path: '/tmp/tier2-desk-case.png', fullPage: true });

    await signIn(page, '/office/notice-reissue-requests', 'vera@agency.test');
    await assertAccessible(page, 'the office\'s re-issue requests');
    await page.getByRole('button', { name: new RegExp(`^${en('noticeWork.issue')}`) }).focus();
    await Promise.all([page.waitForURL(/issued=/), page.keyboard.press('Enter')]);
    assert.match(await page.getByTestId('outcome').innerText(), /Duplicate notice of N2 issued/);
    await assertAccessible(page, 'the office\'s re-issue requests after issuing');
    await page.screenshot({ path: '/tmp/tier2-desk-office.png', fullPage: true });
    await page.close();
  });

  test('the queue updates live: a callback made through the service appears without a reload, announced; axe clean', async () => {
    const page = await context.newPage();
    await signIn(page, '/desk/callbacks', 'olga@agency.test');
    await page.locator('#queue-live[data-live="on"]').waitFor();
    await page.getByText(en('tier2Desk.live.status.live')).waitFor();
    const announced = await page.locator('#queue-live-announce').textContent();
    const noKey = { scope: 'staff:test', key: null, requestHash: '' };
    const opened = JSON.parse((await t.deps.contacts.open(terry, { channel: 'phone', callerPhone: '2025550199', language: 'es' }, noKey)).body) as { id: string };
    const made = JSON.parse((await t.deps.callbacks.escalate(terry, opened.id, { reason: 'La persona pide que le expliquen un aviso nuevo.', urgency: 'urgent' }, noKey)).body) as { id: string; mode: string };
    assert.equal(made.mode, 'callback');
    await page.locator(`#queue-live tr[data-callback="${made.id}"]`).waitFor();
    await page.waitForFunction((before) => {
      const text = document.getElementById('queue-live-announce')!.textContent;
      return text !== before && text !== '';
    }, announced);
    assert.match((await page.locator('#queue-live-announce').textContent())!, /Callbacks to call: \d+/);
    await assertAccessible(page, 'the callback queue after a live update');
    // A reload shows the same row (the page works without the stream).
    await page.reload();
    assert.equal(await page.locator(`tr[data-callback="${made.id}"]`).count(), 1);
    await page.close();
  });
});
