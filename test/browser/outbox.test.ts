/**
 * /staff/outbox in Chromium with axe (WCAG 2.1 A and AA): an admin signs in through the real form, reads a
 * waiting message, and sends a failed one again with the page's button. Skipped without /usr/bin/chromium
 * locally, a failure in CI (as test/browser/pages.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');


describeInChromium('the outbox page in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let failedId: string;

  before(async () => {
    t = await startTestApp('sqlite');
    await t.deps.database.db.transaction().execute(async (trx) => {
      await t.deps.outbox.enqueue(trx, { to: 'waiting@example.test', subject: 'Your request SR-1 was answered', bodyText: 'Hello.\nWe answered your request.', lang: 'en', template: 'service-request-answered', subjectRef: 'SR-1' });
      failedId = await t.deps.outbox.enqueue(trx, { to: 'failed@example.test', subject: 'Your request SR-2 was answered', bodyText: 'Hello again.', lang: 'en', template: 'service-request-answered', subjectRef: 'SR-2' });
    });
    await t.deps.database.db.updateTable('outbox').set({ state: 'failed', attempts: 8, last_error: 'smtp-550' }).where('id', '=', failedId).execute();
    await t.deps.staff.addUser({ email: 'outbox.admin@agency.test', name: 'Outbox Admin', role: 'admin', password: TEST_PASSWORD }, { kind: 'cli' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('an admin reads the waiting mail and sends a failed message again; the page passes axe before and after', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/staff/outbox`);
    await page.getByLabel(en('signIn.email')).fill('outbox.admin@agency.test');
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await page.waitForURL(`${base}/staff/outbox`);
    assert.equal(await page.locator('h1').innerText(), en('outbox.title'));
    await page.getByText('Your request SR-1 was answered').click();
    assert.match(await page.locator('details[open]').innerText(), /We answered your request\./);
    await assertAccessible(page, '/staff/outbox');

    await page.getByRole('button', { name: `${en('outbox.retry')} Your request SR-2 was answered` }).click();
    await page.waitForURL(/\/staff\/outbox\?state=pending&retried=1$/);
    assert.match(await page.title(), new RegExp(`^${en('outbox.retried')} – ${en('outbox.title')}`));
    assert.equal((await t.deps.database.db.selectFrom('outbox').select('state').where('id', '=', failedId).executeTakeFirstOrThrow()).state, 'pending');
    await assertAccessible(page, '/staff/outbox after a retry');
    await page.close();
  });
});
