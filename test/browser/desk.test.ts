/**
 * The agent desk in Chromium, with the keyboard alone (page.keyboard) after signing in: a Tier 1 agent starts a call,
 * verifies the caller, makes a service request, escalates (no Tier 2 officer is free: a callback), ends the call and
 * reads the call record. axe (WCAG 2.1 A and AA) checks every screen on the way. Screenshots of the call and the
 * record go to docs/screenshots/desk-call.png and desk-record.png. Skipped without /usr/bin/chromium locally, a
 * failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { formatContactReference } from '../../src/domain/contact-reference.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

describeInChromium('the agent desk in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let receipt: string;
  let agentId: string;

  before(async () => {
    t = await startTestApp('sqlite');
    const record = caseRecord({ history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-02', status: 'fingerprints-were-taken' }] });
    assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
    receipt = record.receiptNumber as string;
    agentId = (await t.deps.staff.addUser({ email: 'tia@agency.test', name: 'Tia Tier One', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' })).agentId;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '' };
  });
  /** Presses Tab until `target` holds; fails after `max` presses. Returns how many it took. */
  const tabTo = async (page: Page, target: (f: Awaited<ReturnType<typeof focused>>) => boolean, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (target(await focused(page))) return i;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab (at ${JSON.stringify(await focused(page))})`);
  };
  const button = (label: string) => (f: { tag: string; text: string }) => f.tag === 'BUTTON' && f.text === label;
  /** Enter on the focused control, then the page it leads to. */
  const enter = async (page: Page, url: RegExp) => {
    await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    // Every desk page puts the keyboard somewhere on arrival (autofocus, the result to read, the record): wait for it.
    await page.waitForFunction(() => document.activeElement !== null && document.activeElement !== document.body);
  };

  test('a Tier 1 agent, keyboard only: start, verify, service request, callback, end, the record; axe on every screen', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent('/desk')}`);
    await page.getByLabel(en('signIn.email')).fill('tia@agency.test');
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/desk`), page.keyboard.press('Enter')]);

    // The desk: the phone field has focus on arrival; Enter starts the call.
    await assertAccessible(page, 'the desk');
    assert.equal((await focused(page)).id, 'callerPhone');
    await page.keyboard.type('(202) 555-0143');
    await enter(page, /\/desk\/contacts\/[^/?]+\?done=started/);
    const id = new URL(page.url()).pathname.split('/')[3]!;
    const reference = (await t.deps.database.db.selectFrom('contacts').select('reference').where('id', '=', id).executeTakeFirstOrThrow()).reference;
    assert.equal(await page.getByTestId('reference').innerText(), formatContactReference(reference));
    assert.equal(await page.getByTestId('agent-id').innerText(), agentId);
    await assertAccessible(page, 'a new call');

    // Verify: the receipt number field has focus; the rest by Tab.
    assert.equal((await focused(page)).id, 'receiptNumber');
    await page.keyboard.type(receipt);
    for (const value of ['Ana Pérez', '3', '2', '1990']) {
      await page.keyboard.press('Tab');
      await page.keyboard.type(value);
    }
    await enter(page, /done=verified/);
    assert.match(await page.getByTestId('verified').innerText(), new RegExp(receipt));
    assert.ok((await page.getByTestId('status-title').innerText()).length > 0, 'Case Status Online\'s title is shown');
    assert.equal(await page.getByTestId('timeline').count(), 0, 'no timeline for Tier 1');
    await assertAccessible(page, 'a verified call');
    // The note field is next: the caller's question, noted.
    assert.equal((await focused(page)).id, 'text');
    await page.keyboard.type('Asks why the interview letter never came.');
    await page.keyboard.press('Tab');
    await enter(page, /done=note/);
    assert.equal((await focused(page)).id, 'text', 'after a note, the note field again');

    // A service request: from the note field, Tab through to the kind of request, pick it by typing, describe it.
    await tabTo(page, (f) => f.id === 'srType', 6, 'the kind of request');
    await page.keyboard.type('Other matter');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'srDetails');
    await page.keyboard.type('The interview letter never came; she moved in May.');
    await tabTo(page, button(en('desk.sr.submit')), 6, 'Make the service request');
    await enter(page, /done=sr&referral=\d{15}/);
    const referral = new URL(page.url()).searchParams.get('referral')!;
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'outcome', 'the referral number to read out has focus');
    assert.match(await page.getByTestId('outcome').innerText(), new RegExp(formatReferralNumber(referral)));
    await assertAccessible(page, 'a call with a service request');

    // Escalate: the jump link, then the form. No Tier 2 officer is free: a callback.
    await tabTo(page, (f) => f.tag === 'A' && f.text === en('desk.escalate.heading'), 15, 'the jump link to Escalate');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.id === 'reason', 3, 'the reason');
    await page.keyboard.type('She needs an officer to look at the interview file.');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'urgency');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.id === 'callbackWindow', 2, 'the call window');
    await page.keyboard.type('weekday mornings');
    await tabTo(page, button(en('desk.escalate.submit')), 5, 'Escalate');
    await enter(page, /done=escalated/);
    assert.match(await page.getByTestId('outcome').innerText(), /Tier 2 will call back by [A-Z][a-z]+ \d{1,2}, \d{4}/);
    await assertAccessible(page, 'a call with a callback promised');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-call.png'), fullPage: true });

    // End: the jump link, the outcome by typing, Tab to the button.
    await tabTo(page, (f) => f.tag === 'A' && f.text === en('desk.end.heading'), 20, 'the jump link to End the call');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.id === 'disposition', 2, 'the outcome of the call');
    await page.keyboard.type('Service request made');
    await tabTo(page, button(en('desk.end.submit')), 8, 'End the call');
    await enter(page, /done=ended/);
    assert.equal(await page.getByTestId('record-reference').innerText(), formatContactReference(reference));
    assert.equal(await page.getByTestId('record-agent').innerText(), agentId);
    assert.equal(await page.getByTestId('record-referrals').innerText(), formatReferralNumber(referral));
    assert.match(await page.getByTestId('record-callback').innerText(), /[A-Z][a-z]+ \d{1,2}, \d{4}/);
    assert.equal(await page.locator(`form[action^="/desk/contacts/${id}/"]`).count(), 0, 'an ended call has no forms');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'record', 'the record has focus');
    await assertAccessible(page, 'the call record');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-record.png'), fullPage: true });
    await page.close();
  });

  test('a Tier 2 officer on a call transferred live: the case timeline and a re-issue form per notice; axe with the form open', async () => {
    const officer = await t.signIn('tier2', { skills: ['en'] });
    const agent = await t.signIn('tier1');
    const api = (method: 'POST' | 'PUT', url: string, token: string, payload: object) => t.app.inject({ method, url, payload, headers: bearer(token) });
    assert.equal((await api('PUT', '/api/v1/me/presence', officer.token, { status: 'available' })).statusCode, 200);
    const call = (await api('POST', '/api/v1/contacts', agent.token, { channel: 'phone', callerPhone: '(202) 555-0199', language: 'en' })).json();
    assert.equal((await api('POST', `/api/v1/contacts/${call.id}/verification`, agent.token, { receiptNumber: receipt, name: 'Ana Pérez', dateOfBirth: '1990-03-02' })).json().verified, true);
    const escalated = await api('POST', `/api/v1/contacts/${call.id}/escalations`, agent.token, { reason: 'She needs the interview file reviewed.', urgency: 'regular' });
    assert.equal(escalated.json().mode, 'transfer');

    const page = await browser!.context.newPage();
    await page.context().clearCookies();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(`/desk/contacts/${call.id}`)}`);
    await page.getByLabel(en('signIn.email')).fill(officer.email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/desk/contacts/${call.id}`), page.keyboard.press('Enter')]);
    assert.ok(await page.getByTestId('timeline').count() > 0);
    assert.equal(await page.getByTestId('a-number').innerText(), 'A012345678');
    assert.equal(await page.getByTestId('agent-id').innerText(), officer.agentId, 'the officer reads out their own ID');
    assert.match(await page.getByTestId('opened-by').innerText(), new RegExp(agent.agentId));
    await assertAccessible(page, 'the Tier 2 call screen');
    // The re-issue form opens from the keyboard: Tab to its summary, Enter.
    await tabTo(page, (f) => f.tag === 'SUMMARY' && f.text.startsWith(en('desk.reissue.summary', { type: '' }).trim()), 40, 'the re-issue summary');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).id, /^reissue-/);
    await assertAccessible(page, 'the Tier 2 call screen with the re-issue form open');
    await page.screenshot({ path: '/tmp/desk-tier2.png', fullPage: true });
    await page.close();
  });
});
