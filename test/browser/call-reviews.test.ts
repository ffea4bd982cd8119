/**
 * The Ombudsman's call reviews in Chromium with axe (WCAG 2.1 A and AA), English and Spanish: an analyst finds a
 * call made through the desk API in the set-up (about when, the phone number in another spelling, the agent's name)
 * with the keyboard alone after signing in: the form's errors first, then no call found, then a call older than 90
 * days, then the call; reads the review (the call's note and end notes, the hold), closes it (the outcome required
 * first); the supervisor's section on /supervisor and the read-only review; and the whole request, read and close
 * without JavaScript. Screenshots go to /tmp/shots/call-review-*.png. Skipped without /usr/bin/chromium locally, a
 * failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const ZONE = 'America/New_York';
const CONCERN = 'The caller says the agent ended the call before explaining what the interview scheduling step means.';
const OUTCOME = 'The agency listened to the call. The agent did not explain the step; the agent was coached and the person was written to.';
const SHOTS = '/tmp/shots';

describeInChromium('call reviews in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let noScript: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let call: { reference: string; startedAt: string };
  let second: { reference: string };
  let old: { startedAt: string };

  const login = async (email: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } })).json().token as string;
  /** A call as the desk makes one: opened, a note, ended with notes (the demo's calls are made the same way). */
  const deskCall = async (token: string, phone: string, note: string) => {
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { channel: 'phone', callerPhone: phone, language: 'en' } });
    assert.equal(opened.statusCode, 201, opened.body);
    const c = opened.json() as { id: string; reference: string; startedAt: string };
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${c.id}/notes`, headers: bearer(token), payload: { text: note } })).statusCode, 201);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${c.id}/end`, headers: bearer(token), payload: { disposition: 'resolved', notes: 'Told the caller to wait for the interview notice.' } })).statusCode, 200);
    return c;
  };

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp('sqlite');
    for (const [email, name, role] of [
      ['olga@agency.test', 'Olga Analyst', 'ombudsman'], ['sam@agency.test', 'Sam Supervisor', 'supervisor'], ['ana@agency.test', 'Ana Núñez', 'tier1'],
    ] as const) await t.deps.staff.addUser({ email, name, role, password: TEST_PASSWORD }, { kind: 'cli' });
    const agent = await login('ana@agency.test');
    call = await deskCall(agent, '(617) 555-0121', 'Caller asked when the I-485 interview will be scheduled.');
    second = await deskCall(agent, '(718) 555-0164', 'Caller asked about a misspelled name on the receipt notice.');
    const feed = await t.clientToken(['contact-feed']);
    const startedAt = new Date(Date.now() - 95 * 86_400_000).toISOString();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/contact-records', headers: bearer(feed), payload: [{ externalId: 'OLD-1', startedAt, endedAt: new Date(Date.parse(startedAt) + 600_000).toISOString(), callerPhone: '+1 212 555 0191', tier: 'tier1' }] });
    assert.equal(res.json().accepted, 1, res.body);
    old = { startedAt };
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    noScript = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await t?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/call-review-${name}.png`, fullPage: true });
  const signIn = async (page: Page, url: string, email: string) => {
    await page.goto(`${base}${url}`);
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}${url}`), page.click('button[type=submit]')]);
  };
  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '' };
  });
  const tabTo = async (page: Page, target: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, max = 60) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (target(await focused(page))) return;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab (at ${JSON.stringify(await focused(page))})`);
  };
  const enter = async (page: Page) => {
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
  };
  /** Clears the focused field and types (the keyboard's select-all, then the text). */
  const retype = async (page: Page, text: string) => {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    if (text) await page.keyboard.type(text);
  };
  /** Types an instant into the focused datetime-local field as Chromium's en-US segments read it: mm dd yyyy hh mm AM/PM. */
  const typeLocalTime = async (page: Page, iso: string) => {
    const at = DateTime.fromISO(iso).setZone(ZONE);
    // The year part takes more than four digits, so the arrow key moves on to the hour.
    await page.keyboard.type(at.toFormat('MMddyyyy'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(at.toFormat('hhmm'));
    await page.keyboard.type(at.toFormat('a').startsWith('A') ? 'A' : 'P');
    const want = at.toFormat("yyyy-MM-dd'T'HH:mm");
    const got = await page.inputValue('#callTime');
    if (got !== want) throw new Error(`the datetime-local field reads ${got}, not ${want}`);
    // Tab moves between the field's own parts first; on to the next field.
    for (let i = 0; i < 6 && (await focused(page)).id === 'callTime'; i++) await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'callerPhone');
  };

  test('an analyst, keyboard only: errors, no call found, too old, then the call; the review read and closed; axe in English and Spanish', async () => {
    const page = await browser!.context.newPage();
    await signIn(page, '/ombudsman/desk?lang=en', 'olga@agency.test');
    await tabTo(page, (f) => f.id === 'call-reviews-link', 'the desk\'s link to the call reviews');
    await enter(page);
    assert.equal(new URL(page.url()).pathname, '/ombudsman/call-reviews');
    await assertAccessible(page, 'the call reviews list, empty');
    await shot(page, 'list-empty');

    // Sent empty: the error summary takes focus and links to each field.
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('callReviews.request.submit'), 'the submit button');
    await enter(page);
    assert.equal((await focused(page)).id, 'error-summary');
    assert.deepEqual(await page.locator('#error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#callTime', '#callerPhone', '#concern']);
    await assertAccessible(page, 'the form with errors');
    await shot(page, 'errors');
    // The summary's first link takes the keyboard to its field.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'callTime');
    await typeLocalTime(page, new Date(Date.parse(call.startedAt) + 35 * 60_000).toISOString());
    await page.keyboard.type('617.555.0199'); // a number that did not call
    await page.keyboard.press('Tab');
    await page.keyboard.type('ana nunez');
    await page.keyboard.press('Tab');
    await page.keyboard.type(CONCERN);
    await page.keyboard.press('Tab');
    await enter(page);
    assert.equal(await page.locator('#notice').getAttribute('data-notice'), 'not-found');
    assert.equal((await focused(page)).id, 'notice');
    await assertAccessible(page, 'no call found');
    await shot(page, 'not-found');

    // A call older than 90 days: said in words, with the call's date.
    await tabTo(page, (f) => f.id === 'callTime', 'the time field');
    await typeLocalTime(page, old.startedAt);
    await retype(page, '(212) 555-0191');
    await page.keyboard.press('Tab');
    await retype(page, '');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await enter(page);
    assert.equal(await page.locator('#notice').getAttribute('data-notice'), 'window-closed');
    assert.match(await page.locator('#notice').innerText(), new RegExp(DateTime.fromISO(old.startedAt).setZone(ZONE).toFormat('yyyy')));
    await assertAccessible(page, 'a call too old to review');
    await shot(page, 'too-old');

    // The call: about when, the phone in another spelling, the agent's name without accents.
    await tabTo(page, (f) => f.id === 'callTime', 'the time field');
    await typeLocalTime(page, new Date(Date.parse(call.startedAt) + 35 * 60_000).toISOString());
    await retype(page, '617-555-0121');
    await page.keyboard.press('Tab');
    await retype(page, 'ANA NUNEZ');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('callReviews.request.submit'), 'the submit button');
    await enter(page);
    assert.match(page.url(), /\/ombudsman\/call-reviews\/\d{10}\?lang=en&done=requested$/);
    await page.getByText(en('callReviews.review.done.requested')).waitFor();
    const ref = call.reference;
    assert.equal(await page.locator('[data-testid=reference]').innerText(), `${ref.slice(0, 4)} ${ref.slice(4, 8)} ${ref.slice(8)}`);
    assert.match(await page.locator('[data-testid=agent]').innerText(), /Ana Núñez \(\d{6}\)/);
    await page.getByText('Caller asked when the I-485 interview will be scheduled.').waitFor();
    await page.getByText('Told the caller to wait for the interview notice.').waitFor();
    assert.equal(await page.locator('#hold').getAttribute('data-held'), 'true');
    await assertAccessible(page, 'the review, open');
    await shot(page, 'record');

    // Close: the outcome is required; then the outcome shown and the hold released.
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('callReviews.review.closeSubmit'), 'the close button');
    await enter(page);
    assert.equal((await focused(page)).id, 'error-summary');
    await assertAccessible(page, 'the close form with its error');
    await shot(page, 'close-error');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'outcome');
    await page.keyboard.type(OUTCOME);
    await page.keyboard.press('Tab');
    await enter(page);
    await page.getByText(en('callReviews.review.done.closed')).waitFor();
    assert.equal(await page.locator('#outcome-text').innerText(), OUTCOME);
    assert.equal(await page.locator('#hold').getAttribute('data-held'), 'false');
    assert.equal(await page.locator('#close-form').count(), 0);
    await assertAccessible(page, 'the review, closed');
    await shot(page, 'closed');

    // Spanish: the list and the closed review.
    await page.goto(`${base}/ombudsman/call-reviews?lang=es`);
    assert.equal(await page.locator('h1').innerText(), es('callReviews.title'));
    assert.equal(await page.locator('#reviews tbody tr').count(), 1);
    await assertAccessible(page, 'the list (es)');
    await shot(page, 'list-es');
    await page.locator('#reviews a').first().click();
    await page.waitForLoadState('load');
    await page.getByText(es('callReviews.review.holdReleasedHeading')).waitFor();
    await assertAccessible(page, 'the closed review (es)');
    await shot(page, 'closed-es');
    await page.close();
  });

  test('the supervisor sees the open review on the live view and reads it, without a close form; axe in English and Spanish', async () => {
    const ombudsman = await login('olga@agency.test');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/ombudsman/call-reviews', headers: bearer(ombudsman), payload: { reference: second.reference, concern: 'The caller says she was not told how long the correction of her name would take.' } });
    assert.equal(res.statusCode, 201, res.body);
    const n = res.json().reviewNumber as string;
    const page = await browser!.context.newPage();
    await page.context().clearCookies();
    await signIn(page, '/supervisor?lang=en', 'sam@agency.test');
    const section = page.locator('#call-reviews');
    assert.equal(await section.locator('h2').innerText(), en('callReviews.supervisor.heading'));
    assert.equal(await section.locator('tbody tr').count(), 1);
    await assertAccessible(page, 'the supervisor\'s view with a call under review');
    await section.screenshot({ path: `${SHOTS}/call-review-supervisor.png` });
    await Promise.all([page.waitForURL(new RegExp(`/ombudsman/call-reviews/${n}`)), section.getByRole('link', { name: n }).click()]);
    assert.equal(await page.locator('#close-form').count(), 0);
    await page.getByText(en('callReviews.review.readOnly')).waitFor();
    await assertAccessible(page, 'the review as the supervisor reads it');
    await shot(page, 'supervisor-reads');
    await page.goto(`${base}/supervisor?lang=es`);
    assert.equal(await page.locator('#call-reviews h2').innerText(), es('callReviews.supervisor.heading'));
    await assertAccessible(page, 'the supervisor\'s view (es)');
    await page.goto(`${base}/ombudsman/call-reviews/${n}?lang=es`);
    await assertAccessible(page, 'the open review (es)');
    await shot(page, 'open-es');
    await page.close();
  });

  test('without JavaScript: request by the call record reference, read, close', async () => {
    const page = await noScript!.context.newPage();
    await signIn(page, '/ombudsman/call-reviews?lang=en', 'olga@agency.test');
    // The other review of that call is open (the supervisor's test): this is a second review of the second call.
    await page.fill('#reference', second.reference);
    await page.fill('#concern', 'The caller says the agent was rude when she asked for the referral number again.');
    await Promise.all([page.waitForURL(/done=requested/), page.click('#request-form button[type=submit]')]);
    await page.getByText(en('callReviews.review.holdOpenHeading')).waitFor();
    await page.getByText('Caller asked about a misspelled name on the receipt notice.').waitFor();
    await shot(page, 'nojs-record');
    await page.fill('#outcome', OUTCOME);
    await Promise.all([page.waitForURL(/done=closed/), page.click('#close-form button[type=submit]')]);
    assert.equal(await page.locator('#outcome-text').innerText(), OUTCOME);
    assert.equal(await page.locator('#hold').getAttribute('data-held'), 'false');
    await page.goto(`${base}/ombudsman/call-reviews?lang=en`);
    const rows = await page.locator('#reviews tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    assert.deepEqual(rows, ['open', 'closed', 'closed'], 'open first, then closed');
    await shot(page, 'nojs-list');
    await page.close();
  });
});
