/**
 * In-person appointments in Chromium, with the keyboard alone after signing in: a Tier 2 officer starts a call,
 * verifies the caller, books a free time in the call screen's "In-person appointment" panel (reason by typing, the
 * time with the arrow keys), reads out the confirmation number and opens the printable confirmation. axe (WCAG 2.1
 * A and AA) on each page; the confirmation as printed goes to docs/screenshots/appointment-confirmation.png, the
 * panel to docs/screenshots/appointment-panel.png. Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

describeInChromium('in-person appointments in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let receipt: string;

  before(async () => {
    t = await startTestApp('sqlite');
    const record = caseRecord({
      formType: 'I-485', formCategory: 'family-based',
      applicant: { name: 'Ana Pérez', dateOfBirth: '1990-03-02', aNumber: 'A012345678', countryOfBirth: 'MX', phone: '+15555550123', email: 'ana@example.org', address: { street: '1 Main St', city: 'Evanston', state: 'IL', zip: '60201' }, military: false, protectedCategory: null },
    });
    assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
    receipt = record.receiptNumber as string;
    await t.deps.staff.addUser({ email: 'omar@agency.test', name: 'Omar Tier Two', role: 'tier2', password: TEST_PASSWORD, skills: ['en'] }, { kind: 'cli' });
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
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '', name: (el as HTMLInputElement | null)?.name ?? '' };
  });
  const tabTo = async (page: Page, target: (f: Awaited<ReturnType<typeof focused>>) => boolean, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (target(await focused(page))) return i;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab (at ${JSON.stringify(await focused(page))})`);
  };
  const enter = async (page: Page, url: RegExp) => {
    await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
  };

  test('Tier 2, keyboard only: verify the caller, book a time from the call screen, read out the confirmation number, open the printable confirmation; axe on each page', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent('/desk')}`);
    await page.getByLabel(en('signIn.email')).fill('omar@agency.test');
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/desk`), page.keyboard.press('Enter')]);

    await page.waitForFunction(() => document.activeElement?.id === 'callerPhone');
    await page.keyboard.type('(202) 555-0143');
    await enter(page, /\/desk\/contacts\/[^/?]+\?done=started/);
    assert.equal(await page.getByTestId('appointment-panel').count(), 0, 'no appointment panel before the caller is verified');
    await page.waitForFunction(() => document.activeElement?.id === 'receiptNumber');
    await page.keyboard.type(receipt);
    for (const value of ['Ana Pérez', '3', '2', '1990']) {
      await page.keyboard.press('Tab');
      await page.keyboard.type(value);
    }
    await enter(page, /done=verified/);
    const panel = page.getByTestId('appointment-panel');
    assert.equal(await panel.count(), 1);
    assert.match(await page.getByTestId('serving-office').innerText(), /Chicago Field Office \(CHI\) · the field office for the applicant's state/);
    await assertAccessible(page, 'a Tier 2 call with the appointment panel');

    // From the note field (focused after verifying), Tab on to the panel's reason; pick it by typing.
    await page.waitForFunction(() => document.activeElement?.id === 'text');
    await tabTo(page, (f) => f.id === `reason-${receipt}`, 60, 'the appointment\'s reason');
    await page.keyboard.type('An officer looks');
    assert.equal(await page.locator(`#reason-${receipt}`).inputValue(), 'document-review');
    // The times: Tab into the group, Space picks the first, the arrow keys move on (and pick).
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'slotStart');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chosen = await page.evaluate(() => (document.querySelector('input[name="slotStart"]:checked') as HTMLInputElement | null)?.value ?? '');
    const all = await page.locator('input[name="slotStart"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.equal(chosen, all[2], 'the third free time is chosen');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'appointment-panel.png'), clip: { ...(await panel.boundingBox())!, height: Math.min(900, (await panel.boundingBox())!.height) } });
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('appointments.panel.book'), 3, 'Book appointment');
    await enter(page, /\/appointments\/[^/?]+\?booked=1/);

    // The confirmation number to read out has focus.
    await page.waitForFunction(() => document.activeElement?.id === 'outcome');
    const confirmation = await page.getByTestId('confirmation-number').innerText();
    assert.match(confirmation, /^CHI-\d{4}-\d{4}$/);
    assert.match(await page.getByTestId('outcome').innerText(), new RegExp(confirmation));
    const row = await t.deps.database.db.selectFrom('appointments').selectAll().where('receipt_number', '=', receipt).executeTakeFirstOrThrow();
    assert.equal(row.slot_start, new Date(chosen).toISOString());
    await assertAccessible(page, 'the booked appointment');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'appointment.png'), fullPage: true });

    await tabTo(page, (f) => f.tag === 'A' && f.text === en('appointments.page.print'), 20, 'Print the confirmation');
    await enter(page, /\/appointments\/[^/?]+\/confirmation/);
    assert.equal(await page.getByTestId('confirmation-number').innerText(), confirmation);
    assert.ok(await page.locator('.sb-print-button').isVisible(), 'the print button shows with JavaScript');
    const text = await page.getByTestId('confirmation').innerText();
    assert.match(text, /101 West Congress Parkway/);
    assert.doesNotMatch(text, /012345678|5678\b/);
    await assertAccessible(page, 'the printable confirmation');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.sb-print-bar').isVisible(), false, 'the print bar does not print');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'appointment-confirmation.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // Spanish.
    await page.goto(`${page.url().split('?')[0]}?lang=es`);
    assert.match(await page.getByTestId('confirmation').innerText(), /Su cita en persona/);
    await assertAccessible(page, 'the printable confirmation in Spanish');
    await page.close();
  });
});
