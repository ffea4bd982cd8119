/**
 * Feedback and guidance pages in Chromium: the seed's guidance page in English and Spanish; "Was this page helpful?"
 * answered No with two reasons and a comment with JavaScript off, back on the same page with the thank-you;
 * the Contact Center comment page; a supervisor reads the feedback and an admin publishes a new version through
 * the staff forms. axe (WCAG 2.1 A and AA) on every screen. SCREENSHOTS=1 writes docs/screenshots/guidance.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

describeInChromium('feedback and guidance pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  /** JavaScript off, for the forms (axe itself needs JavaScript, so it runs in `browser`). */
  let noScript: Awaited<ReturnType<typeof launchChromium>> | undefined;

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    await t.deps.staff.addUser({ email: 'sup@agency.test', name: 'Sam Supervisor', role: 'supervisor', password: TEST_PASSWORD }, { kind: 'cli' });
    await t.deps.staff.addUser({ email: 'admin@agency.test', name: 'Ada Admin', role: 'admin', password: TEST_PASSWORD }, { kind: 'cli' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1024, height: 900 } });
    noScript = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await t?.close();
  });

  test('the guidance page, then "No" with two reasons and a comment: back on the page with the thank-you (no JavaScript)', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/guidance/contact-center-call?lang=es`);
    await assertAccessible(page, 'guidance page (es)');
    assert.match(await page.locator('h1').innerText(), /Cómo sacar el mayor provecho/);
    await page.goto(`${base}/guidance/contact-center-call?lang=en`);
    await assertAccessible(page, 'guidance page (en)');
    assert.match(await page.locator('.sb-guidance__published').innerText(), /^Last published date: \w+ \d{1,2}, \d{4}$/);
    if (process.env.SCREENSHOTS === '1') {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'guidance.png'), fullPage: true });
    }
    const plain = await noScript!.context.newPage();
    await plain.goto(`${base}/guidance/contact-center-call?lang=en`);
    // USWDS draws its own checkbox: the person clicks the label, as here.
    await plain.locator('label[for="feedback-reason-confusing"]').click();
    await plain.locator('label[for="feedback-reason-broken-links"]').click();
    assert.equal(await plain.getByLabel(en('feedback.reason.confusing')).isChecked(), true);
    await plain.getByLabel(en('feedback.commentLabel')).fill('The link to the form did not open.');
    await Promise.all([plain.waitForURL(/feedback=thanks/), plain.getByRole('button', { name: en('feedback.no') }).click()]);
    assert.equal(new URL(plain.url()).pathname, '/guidance/contact-center-call');
    assert.equal(await plain.getByRole('status').innerText(), en('feedback.thanks'));
    await page.goto(plain.url());
    await assertAccessible(page, 'guidance page after feedback');
    const row = await t.deps.database.db.selectFrom('feedback').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([row.page, Number(row.helpful), JSON.parse(row.reasons), row.comment], ['/guidance/contact-center-call', 0, ['confusing', 'broken-links'], 'The link to the form did not open.']);
    await page.close();
    await plain.close();
  });

  test('the Contact Center comment page in Spanish; a supervisor reads it; an admin publishes a new version', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/feedback?lang=es`);
    await assertAccessible(page, 'comment page (es)');
    await page.getByRole('button', { name: es('feedback.page.submit') }).click();
    assert.equal(await page.locator('#comment').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'comment page with its error');
    await page.getByLabel(es('feedback.page.label')).fill('Me atendieron muy bien.');
    await Promise.all([page.waitForURL(/sent=1/), page.getByRole('button', { name: es('feedback.page.submit') }).click()]);
    assert.match(await page.locator('main').innerText(), new RegExp(es('feedback.page.sent')));

    const signIn = async (email: string, next: string) => {
      await page.goto(`${base}/sign-in?lang=en&next=${encodeURIComponent(next)}`);
      await page.getByLabel(en('signIn.email')).fill(email);
      await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
      await Promise.all([page.waitForURL(`${base}${next}`), page.getByLabel(en('signIn.password')).press('Enter')]);
    };
    await signIn('sup@agency.test', '/staff/feedback');
    await assertAccessible(page, 'staff feedback list');
    assert.match(await page.locator('main').innerText(), /Me atendieron muy bien\./);
    await page.getByRole('button', { name: en('site.signOut') }).click();

    await signIn('admin@agency.test', '/staff/guidance/contact-center-call');
    await assertAccessible(page, 'staff guidance page');
    await page.getByLabel(en('guidance.staff.enTitle')).fill('Your call to the Contact Center');
    await Promise.all([page.waitForURL(/published=2/), page.getByRole('button', { name: en('guidance.staff.publish') }).click()]);
    await assertAccessible(page, 'staff guidance page, published');
    await page.goto(`${base}/guidance/contact-center-call?lang=en`);
    assert.equal(await page.locator('h1').innerText(), 'Your call to the Contact Center');
    await page.close();
  });
});
