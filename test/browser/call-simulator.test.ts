/**
 * The call simulator in Chromium, with TWILIO_AUTH_TOKEN set (so every step goes through the signed webhooks): a
 * Tier 1 agent plays a call with the keyboard alone from the language menu to the queue, hearing (reading) a case's
 * status and that it is outside normal processing time; the call becomes a contact record. axe on every step, in
 * English and Spanish; the same call works without JavaScript (the keypad's buttons are plain form buttons).
 * Without TWILIO_AUTH_TOKEN the page says the webhooks are off (they answer 503) and plays the menu in practice mode.
 * Screenshot: docs/screenshots/call-simulator.png. Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';

const en = translator('en');
const es = translator('es');

describeInChromium('the call simulator in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let noJs: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let rn: string;
  const email = 'tier1.simulator@agency.test';

  before(async () => {
    t = await startTestApp('sqlite', { env: { TWILIO_AUTH_TOKEN: 'browser-test-token-0123456789', PUBLIC_URL: 'https://help.example.gov' } });
    await t.deps.staff.addUser({ email, name: 'Sim Tester', role: 'tier1', password: TEST_PASSWORD, skills: ['en', 'es'] }, { kind: 'cli' });
    rn = receiptNumber('EAC');
    const r = await t.deps.feed.import((async function* () { yield { line: 1, value: caseRecord({ receiptNumber: rn, receivedDate: '2024-02-01' }) }; })(), { kind: 'system' });
    assert.equal(r.rejectedTotal, 0);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    noJs = await launchChromium({ javaScriptEnabled: false });
  });
  after(async () => {
    await browser?.close();
    await noJs?.close();
    await t.close();
  });

  async function signIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent('/staff/call-simulator')}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await page.getByLabel(en('signIn.password')).press('Enter');
    await page.waitForURL(/\/staff\/call-simulator$/);
    return page;
  }

  /** Presses a key on the keyboard and waits for the next step's page. */
  async function press(page: Page, key: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  }
  const says = (page: Page) => page.getByTestId('says').innerText();

  test('a call from the menu to the queue with the keyboard alone, through the signed webhooks; the call becomes a contact record', async () => {
    const page = await signIn(browser!.context);
    assert.match(await page.getByTestId('mode').innerText(), /webhooks are on/);
    await assertAccessible(page, 'the simulator start page');
    // Keyboard only: the caller's number field, Enter to call.
    const phone = page.getByLabel(en('telephony.simulator.callerPhone'));
    await phone.focus();
    await phone.fill('(202) 555-0163');
    await Promise.all([page.waitForNavigation(), phone.press('Enter')]);
    assert.match(await says(page), /For English, press 1\.[\s\S]*Para español, oprima 2\./);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-heading', 'focus starts at what the menu says');
    await assertAccessible(page, 'the language menu');

    await press(page, '1');
    assert.match(await page.getByTestId('pressed').innerText(), /You pressed 1\./);
    assert.match(await says(page), /For the status of a case by its receipt number, press 1/);
    await press(page, '1');
    assert.match(await says(page), /For E A C, press 1\./);
    await press(page, '1');
    // Ten digits: the field has focus; type them and press Enter.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'Digits');
    await assertAccessible(page, 'the receipt digits prompt');
    await page.keyboard.type(rn.slice(3));
    await press(page, 'Enter');
    const status = (await t.deps.caseStatus.find(rn))!;
    const heard = await says(page);
    assert.ok(heard.includes(status.current.title.en), heard);
    assert.match(heard, /outside normal processing time/);
    await assertAccessible(page, 'the status read back');
    await page.screenshot({ path: 'docs/screenshots/call-simulator.png', fullPage: true });

    await press(page, '1');
    assert.match(await page.getByTestId('queue').innerText(), /queue tier1-en/);
    assert.match(await page.getByTestId('stored').innerText(), /contact record/);
    assert.match(await page.title(), /^Call ended – /);
    await assertAccessible(page, 'the end of the call');
    const contacts = await t.deps.database.db.selectFrom('contacts').select(['source', 'tier', 'language', 'caller_phone']).where('caller_phone', '=', '+12025550163').execute();
    assert.deepEqual(contacts, [{ source: 'platform', tier: 'tier1', language: 'en', caller_phone: '+12025550163' }]);
  });

  test('without JavaScript, in Spanish: the keypad buttons play the menu to the military queue', async () => {
    const page = await signIn(noJs!.context);
    await page.goto(`${base}/staff/call-simulator?lang=es`);
    await page.getByRole('button', { name: es('telephony.simulator.call') }).click();
    await page.getByRole('button', { name: es('telephony.simulator.press', { key: '2' }) }).click();
    assert.match(await says(page), /Para el estatus de un caso/);
    await page.getByRole('button', { name: es('telephony.simulator.press', { key: '3' }) }).click();
    assert.match(await page.getByTestId('queue').innerText(), /tier2-military-es/);
    assert.match(await says(page), /fuerzas armadas/);
  });

  test('in Spanish, axe finds nothing on the start page, a wrong key\'s retry and the caller hanging up', async () => {
    const page = await browser!.context.newPage(); // signed in by the first test
    await page.goto(`${base}/staff/call-simulator?lang=es`);
    assert.match(await page.getByTestId('mode').innerText(), /webhooks de voz están activos/);
    await assertAccessible(page, 'the Spanish start page');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: es('telephony.simulator.call') }).click()]);
    await press(page, '2');
    await press(page, '9');
    assert.match(await says(page), /esa no es una de las opciones/);
    await assertAccessible(page, 'a Spanish retry');
    // The caller hangs up mid-menu: the status callback still files the call.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: es('telephony.simulator.hangUp') }).click()]);
    assert.match(await page.getByText(es('telephony.simulator.callerHungUp')).innerText(), /colgó/);
    assert.match(await page.getByTestId('stored').innerText(), /registro de contacto/);
    await assertAccessible(page, 'a Spanish call the caller hung up');
  });

  test('TWILIO_AUTH_TOKEN unset: the page says the webhooks are off and how to turn them on, and plays the menu in practice mode', async () => {
    const off = await startTestApp('sqlite', { sharing: t, env: { PUBLIC_URL: 'https://help.example.gov' } });
    try {
      await off.app.listen({ port: 0, host: '127.0.0.1' });
      const offBase = `http://127.0.0.1:${(off.app.server.address() as AddressInfo).port}`;
      const page = await browser!.context.newPage(); // the session cookie of the first test (same database)
      await page.goto(`${offBase}/staff/call-simulator?lang=en`);
      const mode = await page.getByTestId('mode').innerText();
      assert.match(mode, /webhooks are off/);
      assert.match(mode, /TWILIO_AUTH_TOKEN/);
      await assertAccessible(page, 'the simulator with the webhooks off');
      await page.getByLabel(en('telephony.simulator.callerPhone')).fill('202-555-0177');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: en('telephony.simulator.call') }).click()]);
      await press(page, '1');
      await press(page, '2');
      assert.match(await page.getByTestId('queue').innerText(), /tier1-en/);
      assert.match(await page.getByText(en('telephony.simulator.viaPractice')).innerText(), /Practice mode/);
      const webhook = await off.app.inject({ method: 'POST', url: '/telephony/voice', payload: 'CallSid=CA1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(webhook.statusCode, 503);
      const filed = await t.deps.database.db.selectFrom('contacts').select('source').where('caller_phone', '=', '+12025550177').execute();
      assert.deepEqual(filed, [{ source: 'platform' }]);
    } finally {
      await off.close();
    }
  });
});
