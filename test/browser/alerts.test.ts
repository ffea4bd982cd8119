/**
 * Status-change alerts in Chromium: from the case status page with JavaScript off, a sign-up by e-mail ("check your
 * messages"), the confirmation link from the mail a real SMTP server received, the confirmed page, its "stop" button
 * and the unsubscribed page; the form's error state. axe (WCAG 2.1 A and AA) on each screen in English and Spanish.
 * SCREENSHOTS=1 writes /tmp/alerts-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { OutboxWorker, smtpTransport } from '../../src/outbox/worker.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const PUBLIC_URL = 'https://help.example.gov';
const shot = async (page: import('playwright-core').Page, name: string) => {
  if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: `/tmp/alerts-${name}.png`, fullPage: true });
};

describeInChromium('status-change alerts in Chromium', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: OutboxWorker;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let noScript: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const rn = receiptNumber();

  before(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000', PUBLIC_URL } });
    worker = new OutboxWorker({ db: t.deps.database.db, dialect: t.deps.database.dialect, transport: smtpTransport(smtp.url), mailFrom: 'Switchboard <no-reply@agency.test>' });
    const token = await t.clientToken(['case-feed']);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: ndjson([caseRecord({ receiptNumber: rn })]), headers: { 'content-type': 'application/x-ndjson', ...bearer(token) } });
    assert.equal(res.statusCode, 200);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1024, height: 900 } });
    noScript = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await worker?.stop(1000).catch(() => {});
    await t?.close();
    await smtp?.close();
  });

  const lookUp = async (page: import('playwright-core').Page, lang: 'en' | 'es') => {
    await page.goto(`${base}/case-status?lang=${lang}`);
    await page.locator('#receiptNumber').fill(rn);
    await page.locator('form[action^="/case-status"] button[type="submit"]').first().click();
    await page.waitForSelector('#alerts-heading');
  };

  test('the form under a case status result is accessible in English and Spanish', async () => {
    const page = await browser!.context.newPage();
    for (const lang of ['en', 'es'] as const) {
      await lookUp(page, lang);
      assert.equal(await page.locator('#alerts-heading').innerText(), translator(lang)('alerts.form.heading'));
      await assertAccessible(page, `case status result with the alert form (${lang})`);
    }
    await shot(page, 'form-es');
    await page.close();
  });

  test('sign up without JavaScript, confirm from the mail, stop: each page accessible', async () => {
    const plain = await noScript!.context.newPage();
    await lookUp(plain, 'en');
    await plain.getByLabel(en('alerts.form.emailLabel')).fill('Browser.Person@example.org');
    await plain.locator('label[for="alert-language-es"]').click();
    await plain.getByRole('button', { name: en('alerts.form.submit') }).click();
    assert.equal(await plain.locator('h1').innerText(), en('alerts.sent.title'));
    await shot(plain, 'sent-en');
    await plain.close();

    await worker.drain();
    const mail = smtp.received.find((m) => /browser\.person@example\.org/.test(JSON.stringify(m.to)));
    assert.ok(mail, 'the confirmation mail arrived');
    assert.match(mail.subject ?? '', /Confirme los avisos/);
    const link = /https:\/\/help\.example\.gov(\/alerts\/confirm\?token=[A-Za-z0-9_-]+&lang=es)/.exec(mail.text ?? '');
    assert.ok(link, 'a Spanish confirmation link under PUBLIC_URL');

    const page = await browser!.context.newPage();
    await page.goto(`${base}${link[1]!}`);
    assert.equal(await page.locator('h1').innerText(), es('alerts.link.confirmedTitle'));
    assert.match(await page.locator('.usa-intro').innerText(), new RegExp(rn));
    await assertAccessible(page, 'alerts confirmed (es)');
    await shot(page, 'confirmed-es');
    await page.getByRole('button', { name: es('alerts.link.stop') }).click();
    await page.waitForSelector('[data-alert-state="unsubscribed"]');
    assert.equal(await page.locator('h1').innerText(), es('alerts.link.unsubscribedTitle'));
    await assertAccessible(page, 'alerts unsubscribed (es)');
    await page.goto(`${base}${link[1]!.replace('&lang=es', '&lang=en')}`);
    assert.equal(await page.locator('h1').innerText(), en('alerts.link.unsubscribedTitle'), 'a confirmation link after unsubscribing does not subscribe again');
    await assertAccessible(page, 'alerts unsubscribed (en)');
    const row = await t.deps.database.db.selectFrom('alert_subscriptions').select('status').where('address', '=', 'browser.person@example.org').executeTakeFirstOrThrow();
    assert.equal(row.status, 'unsubscribed');
    await page.close();
  });

  test('the form names a bad field, in English and Spanish', async () => {
    const page = await browser!.context.newPage();
    for (const lang of ['en', 'es'] as const) {
      const t_ = translator(lang);
      await lookUp(page, lang);
      await page.getByLabel(t_('alerts.form.emailLabel')).fill('not-an-address');
      await page.getByRole('button', { name: t_('alerts.form.submit') }).click();
      await page.waitForSelector('#error-summary');
      assert.match(await page.locator('#error-summary').innerText(), new RegExp(t_('alerts.error.email.invalid').slice(0, 20)));
      assert.equal(await page.locator('#alert-email').getAttribute('aria-invalid'), 'true');
      await assertAccessible(page, `alert form with an error (${lang})`);
      if (lang === 'en') await shot(page, 'error-en');
    }
    const bad = await browser!.context.newPage();
    await bad.goto(`${base}/alerts/confirm?token=nope&lang=en`);
    assert.equal(await bad.locator('h1').innerText(), en('alerts.link.invalidTitle'));
    await assertAccessible(bad, 'a link that does not work');
    await page.close();
    await bad.close();
  });
});
