/**
 * The public service request pages in Chromium (playwright-core) with axe (WCAG 2.1 AA): "Ask us online", a form,
 * its error state and each kind of refusal, the result page (and its print layout), the status look-up and the
 * reopen form, in English and Spanish. A request is filled in and sent with the keyboard alone.
 * `SCREENSHOTS=1` writes full-page PNGs to /tmp/switchboard-service-requests/.
 */
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const SHOTS = path.join(os.tmpdir(), 'switchboard-service-requests');
const en = translator('en');
const es = translator('es');


async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Presses Tab until the focused element matches the selector (at most 80 times); fails if it never does. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

describeInChromium('service request pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const outside = caseRecord({ receivedDate: '2023-01-10', history: [{ date: '2023-01-10', status: 'case-was-received' }] });
  const rn = String(outside.receiptNumber);

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    await t.deps.feed.import((async function* () { yield { line: 1, value: outside }; })(), { kind: 'cli' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await context.clearCookies();
    page = await context.newPage();
    problems = [];
    page.on('response', (r) => { if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.status()} ${r.url()}`); });
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  });
  afterEach(async () => {
    await page.close();
    assert.deepEqual(problems, [], 'assets, CSP or scripts failed');
  });

  test('"Ask us online", the forms and the status form pass axe in English and Spanish', async () => {
    for (const lang of ['en', 'es'] as const) {
      for (const [name, url] of <Array<[string, string]>>[
        ['index', '/service-requests'], ['form', `/service-requests/new/outside-normal-processing-time?receiptNumber=${rn}`],
        ['address', '/service-requests/new/change-of-address'], ['by-phone', '/service-requests/new/expedite'], ['status', '/service-requests/status'],
      ]) {
        const res = await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, url);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        await assertAccessible(page, `${name} (${lang})`);
        await shot(page, `${name}-${lang}`);
      }
    }
  });

  test('an empty form sent: the error summary takes focus, links to the fields, and passes axe (en, es)', async () => {
    for (const [lang, tr] of [['en', en], ['es', es]] as const) {
      await page.goto(`${base}/service-requests/new/change-of-address?lang=${lang}`);
      await page.getByRole('button', { name: tr('requestOnline.form.submit') }).click();
      await page.waitForLoadState();
      assert.ok((await page.title()).startsWith(tr('site.errorPrefix')));
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'focus on the summary');
      await assertAccessible(page, `errors (${lang})`);
      await shot(page, `errors-${lang}`);
      await page.getByRole('link', { name: tr('requestOnline.error.name.required') }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'name', 'the summary link puts focus on its field');
    }
  });

  test('with the keyboard only: fill in a request, send it, and get the result, which passes axe and prints its number', async () => {
    await page.goto(`${base}/service-requests?lang=en`);
    await tabTo(page, 'a[data-kind="outside-normal-processing-time"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/service-requests\/new\/outside-normal-processing-time/);
    await tabTo(page, '#receiptNumber');
    await page.keyboard.type(rn);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Ana Pérez');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'dobMonth');
    await page.keyboard.press('ArrowDown'); // 1 – January
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // 3 – March
    await page.keyboard.press('Tab');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1990');
    await tabTo(page, '#details');
    await page.keyboard.type('It has been two years and I have no news about my case.');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/service-requests\/created\?/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'created-heading', 'focus on the result');
    const number = await page.locator('#referral-number').innerText();
    assert.match(number, /^\d{5} \d{5} \d{5}$/);
    assert.ok(await page.getByRole('button', { name: en('requestOnline.created.printButton') }).isVisible(), 'the print button shows when JavaScript runs');
    await assertAccessible(page, 'the result');
    await shot(page, 'created-en');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header nav').isVisible(), false, 'no navigation on paper');
    assert.equal(await page.locator('.sb-print-bar').isVisible(), false);
    assert.ok(await page.locator('#referral-number').isVisible(), 'the number prints');
    assert.ok(await page.getByText(en('requestOnline.created.printedOn', { date: '' }).trim().replace(/\.$/, '')).isVisible());
    await shot(page, 'created-print');
    await page.emulateMedia({ media: 'screen' });

    // Sent again from a new form: the duplicate notice, in Spanish, passes axe and links to the first request.
    await page.goto(`${base}/service-requests/new/outside-normal-processing-time?lang=es&receiptNumber=${rn}`);
    await page.getByLabel(es('requestOnline.field.name')).fill('Ana Pérez');
    await page.locator('#dobMonth').selectOption('3');
    await page.locator('#dobDay').fill('2');
    await page.locator('#dobYear').fill('1990');
    await page.locator('#details').fill('Otra vez.');
    await page.getByRole('button', { name: es('requestOnline.form.submit') }).click();
    await page.waitForLoadState();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'notice');
    await assertAccessible(page, 'the duplicate notice (es)');
    await shot(page, 'duplicate-es');
    await page.getByRole('link', { name: es('requestOnline.notice.duplicateLink') }).click();
    await page.waitForURL(/\/service-requests\/status\?/);
    assert.equal(await page.locator('#result').getAttribute('data-status'), 'open');
  });

  test('the status page after an answer offers "This did not solve my problem"; reopening works with the keyboard and passes axe', async () => {
    const made = JSON.parse((await t.deps.serviceRequests.create({ kind: 'anonymous' }, {
      receiptNumber: rn, type: 'typographical-error', details: 'My name is wrong on the card.', verification: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' },
    }, { scope: 'test', key: null, requestHash: '' })).body).referralNumber as string;
    const office = await t.signIn('office');
    await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${made}/claim`, headers: bearer(office.token) });
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${made}/respond`, headers: bearer(office.token), payload: { response: 'We fixed your name and are mailing you a new card this week.' } });
    assert.equal(answered.statusCode, 200);

    for (const lang of ['es', 'en'] as const) {
      await page.goto(`${base}/service-requests/status?referralNumber=${made}&receiptNumber=${rn}&lang=${lang}`);
      assert.equal(await page.locator('#result').getAttribute('data-status'), 'answered');
      await assertAccessible(page, `answered (${lang})`);
      await shot(page, `answered-${lang}`);
    }
    // A wrong date of birth: the notice, axe-clean; then the right one, typed.
    await page.locator('#name').fill('Ana Pérez');
    await page.locator('#dobMonth').selectOption('3');
    await page.locator('#dobDay').fill('2');
    await page.locator('#dobYear').fill('1991');
    await page.locator('#reason').fill('The new card still has the wrong name.');
    await page.getByRole('button', { name: en('requestOnline.reopen.submit') }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('#notice').getAttribute('data-notice'), 'notMatched');
    await assertAccessible(page, 'reopen not matched');
    await shot(page, 'reopen-not-matched');
    assert.equal(await page.locator('#reason').inputValue(), 'The new card still has the wrong name.', 'the reason is kept');
    await page.locator('#dobYear').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1990');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/reopened=1/);
    assert.equal(await page.locator('#result').getAttribute('data-status'), 'reopened');
    assert.ok(await page.getByRole('heading', { name: en('requestOnline.reopen.doneHeading') }).isVisible());
    await assertAccessible(page, 'reopened');
    await shot(page, 'reopened-en');

    await page.goto(`${base}/service-requests/status?referralNumber=100000000000009&receiptNumber=${rn}&lang=es`);
    await assertAccessible(page, 'not found (es)');
    await shot(page, 'status-not-found-es');
  });
});
