/**
 * The Ombudsman's case assistance pages in Chromium (playwright-core) with JavaScript off, and axe (WCAG 2.1 AA) on
 * every step, the error state, the review with its advice and the result, in English and Spanish; then the analyst
 * desk (queue and request) with an analyst taking the request to closure by the keyboard-free form posts.
 * `SCREENSHOTS=1` writes full-page PNGs to /tmp/shots/ (ombudsman-*.png).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';

const SHOTS = '/tmp/shots';
/** The smallest file the documents step recognises as a PDF by its bytes. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `ombudsman-${name}.png`), fullPage: true });
}

describeInChromium('Ombudsman case assistance pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let noScript: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let analyst: { email: string; id: string };
  let receipt: string;
  let today: string;

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    today = todayIn(t.deps.agency.timeZone);
    const young = caseRecord({ receivedDate: addDays(today, -5), history: [{ date: addDays(today, -5), status: 'case-was-received' }], notices: [] });
    receipt = String(young.receiptNumber);
    await t.deps.feed.import((async function* () { yield { line: 1, value: young }; })(), { kind: 'cli' });
    analyst = await t.signIn('ombudsman');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    // axe runs in the page, so it needs JavaScript; the walk without JavaScript is its own test below.
    browser = await launchChromium();
    noScript = await launchChromium({ javaScriptEnabled: false });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await t?.close();
  });

  for (const lang of ['en', 'es'] as const) {
    test(`[${lang}] every step axe clean; an error; the advice on the review; the result`, async () => {
      const page = await browser!.context.newPage();
      try {
        await page.goto(`${base}/ombudsman/case-assistance?lang=${lang}`);
        await assertAccessible(page, 'start');
        await shot(page, `${lang}-start`);
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/d\/[A-Za-z0-9_-]{32}\/you/);
        await assertAccessible(page, 'you');
        await page.fill('#requesterName', 'Luis Gómez');
        await page.fill('#requesterEmail', 'luis@example.org');
        await page.click('label[for="filingFor-other"]'); // USWDS radios: the label is what is seen and clicked
        await page.fill('#applicantName', 'Ana Pérez');
        await page.click('button[type=submit]');
        assert.match(await page.textContent('#error-summary') ?? '', /\S/);
        assert.equal(await page.inputValue('#requesterName'), 'Luis Gómez', 'what was typed is kept');
        await assertAccessible(page, 'you with an error');
        await shot(page, `${lang}-you-error`);
        await page.click('label[for="authority-consent"]');
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/cases/);
        await assertAccessible(page, 'cases');
        await page.fill('#case1Receipt', receipt);
        await page.selectOption('#case1Form', 'I-130');
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/actions/);
        await assertAccessible(page, 'actions');
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/reasons/);
        await assertAccessible(page, 'reasons');
        await page.fill('#reasons', 'I need legal advice: nobody answers about the case.');
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/documents/);
        await assertAccessible(page, 'documents');
        await shot(page, `${lang}-documents`);
        await page.click('button[value=continue]');
        assert.match(page.url(), /\/review/);
        await assertAccessible(page, 'review');
        await shot(page, `${lang}-review`);
        const codes = await page.$$eval('[data-advice]', (els) => els.map((e) => e.getAttribute('data-advice')));
        assert.deepEqual(codes, ['within-processing-time', 'contact-agency-first', 'outside-ombudsman-remit']);
        await page.click('button[type=submit]');
        assert.match(page.url(), /\/done/);
        assert.match(await page.textContent('#request-number') ?? '', /^CA\d{9}$/);
        await assertAccessible(page, 'done');
        await shot(page, `${lang}-done`);
      } finally {
        await page.close();
      }
    });
  }

  test('without JavaScript: the whole form is filled in, kept and sent with plain form posts', async () => {
    const page = await noScript!.context.newPage();
    try {
      await page.goto(`${base}/ombudsman/case-assistance?lang=es`);
      await page.click('main button[type=submit]');
      await page.fill('#requesterName', 'Ana Pérez');
      await page.fill('#requesterEmail', 'ana@example.org');
      await page.click('main form button[type=submit]');
      await page.fill('#case1Receipt', receipt);
      await page.selectOption('#case1Form', 'I-130');
      await page.click('main form button[type=submit]');
      await page.fill('#action1Date', addDays(today, -3));
      await page.selectOption('#action1Kind', 'call');
      await page.click('main form button[type=submit]');
      await page.fill('#reasons', 'Nadie contesta sobre mi caso desde hace meses.');
      await page.click('main form button[type=submit]');
      assert.match(page.url(), /\/documents/);
      // A file added with a plain multipart post: kept in the draft and listed on the step.
      await page.setInputFiles('#files', { name: 'carta.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.click('button[value=add]');
      assert.match(page.url(), /\/documents/);
      assert.match(await page.textContent('#kept-files') ?? '', /carta\.pdf/);
      await page.click('button[value=continue]');
      assert.match(page.url(), /\/review/);
      assert.match(await page.textContent('main dl') ?? '', /carta\.pdf/, 'the review lists the file');
      // Back to a step by the review's 'Change' link, as a person does: the step shows what the server saved. (Not
      // page.goBack: history may show the browser's copy of the form, and Chromium refuses a history step sent just
      // after a form post's new document commits, 'Not attached to an active page', with or without JavaScript.)
      await page.click(`main a[href*="/actions"]`);
      assert.match(page.url(), /\/actions/);
      assert.equal(await page.inputValue('#action1Date'), addDays(today, -3), 'a step shows what was saved');
      assert.equal(await page.inputValue('#action1Kind'), 'call');
      await page.click('main form button[type=submit]');
      assert.match(page.url(), /\/reasons/);
      assert.equal(await page.inputValue('#reasons'), 'Nadie contesta sobre mi caso desde hace meses.');
      await page.click('main form button[type=submit]');
      assert.match(page.url(), /\/documents/);
      await page.click('button[value=continue]');
      assert.match(page.url(), /\/review/);
      assert.deepEqual(await page.$$eval('[data-advice]', (els) => els.map((e) => e.getAttribute('data-advice'))), ['within-processing-time']);
      await page.click('main form button[type=submit]');
      assert.match(await page.textContent('#request-number') ?? '', /^CA\d{9}$/);
    } finally {
      await page.close();
    }
  });

  test('the analyst desk: the queue and the request, axe clean; closed with the letter', async () => {
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${base}/sign-in`);
      await page.fill('#email', analyst.email);
      await page.fill('#password', TEST_PASSWORD);
      await page.click('main button[type=submit]');
      await page.goto(`${base}/ombudsman/desk?lang=en`);
      await assertAccessible(page, 'desk queue');
      await shot(page, 'desk-queue');
      const first = await page.getAttribute('#queue tbody tr th a', 'href');
      assert.ok(first);
      await page.goto(`${base}${first}`);
      await assertAccessible(page, 'desk request');
      // The advice in words, not as its codes.
      assert.ok((await page.$$('#main-content [data-advice], main [data-advice]')).length >= 1, 'the advice is shown');
      assert.doesNotMatch(await page.textContent('main') ?? '', /within-processing-time|contact-agency-first|outside-ombudsman-remit|wait-for-agency/);
      await page.click('form[action*="/assign"] button');
      await page.fill('#text', 'Called the applicant back.');
      await page.click('form[action*="/note"] button');
      for (const s of ['in-review', 'answered']) {
        await page.click(`label[for="status-${s}"]`);
        await page.click('form[action*="/status"] button');
      }
      await page.click('label[for="status-closed"]');
      await page.fill('#outcome', 'The office decided the case; the notice is in the mail.');
      await page.click('form[action*="/status"] button');
      assert.match(await page.textContent('#status-word') ?? '', /Closed/);
      assert.match(await page.textContent('#outcome-text') ?? '', /the notice is in the mail/);
      await assertAccessible(page, 'desk request closed');
      await shot(page, 'desk-request');
    } finally {
      await page.close();
    }
  });
});
