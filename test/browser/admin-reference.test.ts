/**
 * /admin/processing-times and /admin/visa-bulletins in Chromium with axe (WCAG 2.1 A and AA), in English and
 * Spanish: an admin signs in through the real form, publishes a processing time and enters a month's bulletin
 * with the keyboard alone (Tab, typing into selects, Enter), is refused first (focus on the error summary, Enter on
 * its link puts focus on the bad field or cell), and each page passes axe before and after. Skipped without
 * /usr/bin/chromium locally, a failure in CI (as test/browser/pages.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { translator, type Lang } from '../../src/platform/i18n/i18n.ts';
import { seedDemoBulletins } from '../../src/visa-bulletin/seed.ts';
import { monthYear } from '../../src/platform/i18n/format.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');

describeInChromium('the admin pages for processing times and visa bulletins in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let months: string[];

  before(async () => {
    t = await startTestApp('sqlite');
    months = await seedDemoBulletins(t.deps.visaBulletins);
    await t.deps.staff.addUser({ email: 'reference.admin@agency.test', name: 'Reference Admin', role: 'admin', password: TEST_PASSWORD }, { kind: 'cli' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = browser.context;
    // Sign in once, with the keyboard, through the real form; the session cookie serves both languages.
    const page = await context.newPage();
    await page.goto(`${base}/admin/processing-times`);
    await page.getByLabel(en('signIn.email')).focus();
    await page.keyboard.type('reference.admin@agency.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/admin/processing-times`), page.keyboard.press('Enter')]);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  /** Presses Tab until the element with `id` has focus; fails after `max` presses. */
  const tabTo = async (page: Page, id: string, max: number) => {
    for (let i = 0; i < max; i++) {
      if (await focusedId(page) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.equal(await focusedId(page), id, `#${id} within ${max} presses of Tab`);
  };
  /** Sends the form with Enter from the focused field and waits for the page that answers. */
  const enter = async (page: Page) => Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  /** The error summary has focus; Tab reaches its first link, and Enter on it puts focus on that field. */
  const followFirstError = async (page: Page, field: string, lang: Lang) => {
    assert.ok((await page.title()).startsWith(translator(lang)('site.errorPrefix')), await page.title());
    assert.equal(await focusedId(page), 'error-summary');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), `#${field}`);
    await page.keyboard.press('Enter');
    assert.equal(await focusedId(page), field);
    assert.equal(await page.locator(`#${field}`).getAttribute('aria-invalid'), 'true');
  };

  const cases: Array<{ lang: Lang; office: string; month: () => string }> = [
    { lang: 'en', office: 'VSC', month: () => nextMonth(months[1]!, 1) },
    { lang: 'es', office: 'CSC', month: () => nextMonth(months[1]!, 2) },
  ];
  for (const { lang, office, month } of cases) {
    const tr = translator(lang);
    test(`${lang}: a processing time published with the keyboard, refused first; what the public sees; axe on each page`, async () => {
      const page = await context.newPage();
      await page.goto(`${base}/admin/processing-times?formType=I-130&office=${office}&lang=${lang}`);
      assert.equal(await page.locator('h1').innerText(), tr('adminTimes.title'));
      await assertAccessible(page, `the processing-time rows (${lang})`);
      // From the skip link, Tab to the page's first action and follow it.
      await page.locator('.usa-skipnav').focus();
      await page.keyboard.press('Enter');
      for (let i = 0; i < 4 && (await page.evaluate(() => document.activeElement?.textContent?.trim())) !== tr('adminTimes.add'); i++) await page.keyboard.press('Tab');
      await Promise.all([page.waitForURL(/\/admin\/processing-times\/new/), page.keyboard.press('Enter')]);
      assert.equal(await page.locator('h1').innerText(), tr('adminTimes.new.title'));
      await assertAccessible(page, `the publish form (${lang})`);

      // The form was opened for I-130 at the office; pick the category by typing, then a bad number of months.
      await tabTo(page, 'formCategory', 15);
      // Type-ahead: the first category starting with these letters (space would open the list).
      await page.keyboard.type(lang === 'en' ? 'Spouse' : 'Cónyuge');
      assert.equal(await page.locator('#formCategory').inputValue(), 'spouse of U.S. citizen');
      await tabTo(page, 'months80', 3);
      await page.keyboard.type('many');
      await enter(page);
      await followFirstError(page, 'months80', lang);
      assert.equal(await page.locator('#months80').inputValue(), 'many', 'what was typed is kept');
      assert.equal(await page.locator('#formCategory').inputValue(), 'spouse of U.S. citizen');
      await assertAccessible(page, `the refused form (${lang})`);

      await page.keyboard.press('Control+a');
      await page.keyboard.type('7.5');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('2026-11-30');
      await enter(page);
      assert.match(page.url(), /published=1/);
      assert.equal(await page.locator('[data-sb-focus]').innerText(), tr('adminTimes.publishedDone'));
      const row = page.locator(`tr[data-row="${office}|spouse of U.S. citizen"]`);
      assert.equal(await row.getAttribute('data-basis'), 'published');
      assert.match(await row.innerText(), new RegExp(tr('adminTimes.basis.published'), 'i'));
      const api = (await t.app.inject({ method: 'GET', url: `/api/v1/processing-times?formType=I-130&formCategory=spouse%20of%20U.S.%20citizen&office=${office}` })).json();
      assert.deepEqual([api.months80, api.basis, api.asOf], [7.5, 'published', '2026-11-30']);
      await assertAccessible(page, `the rows after publishing (${lang})`);
      await page.close();
    });

    test(`${lang}: a month's bulletin entered with the keyboard, a bad cell refused first; the API has it; axe on each page`, async () => {
      const page = await context.newPage();
      await page.goto(`${base}/admin/visa-bulletins?lang=${lang}`);
      assert.equal(await page.locator('h1').innerText(), tr('adminBulletin.title'));
      await assertAccessible(page, `the bulletin list (${lang})`);
      await page.locator('.usa-skipnav').focus();
      await page.keyboard.press('Enter');
      await tabTo(page, 'month', 3);
      await page.keyboard.press('Control+a');
      await page.keyboard.type(month());
      await enter(page);
      assert.equal(await page.locator('h1').innerText(), tr('adminBulletin.edit.heading', { month: monthYear(month(), lang) }));
      assert.equal(await page.locator('#fa-F2A-0').inputValue(), (await t.deps.visaBulletins.get(months[1]!)).finalActionDates.F2A!.ALL, 'the cells start from the latest bulletin');
      await assertAccessible(page, `the bulletin form (${lang})`);

      // Tab from the new area's name into the first chart: F1's cells come first, then F2A's; Mexico is F2A's fourth.
      await page.locator('#newArea').focus();
      await tabTo(page, 'fa-F2A-3', 1 + 1 + 7 + 4);
      await page.keyboard.press('Control+a');
      await page.keyboard.type('2024-13-01');
      await enter(page);
      await followFirstError(page, 'fa-F2A-3', lang);
      assert.equal(await page.locator('#fa-F2A-3').inputValue(), '2024-13-01');
      assert.equal(await page.locator('#fa-F2A-3-error').innerText(), tr('adminBulletin.error.cell.invalid'));
      assert.ok(await page.locator('#fa-F2A-3').isVisible() && await page.locator('#fa-F2A-3').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }), 'the cell is in sight');
      await assertAccessible(page, `the refused bulletin (${lang})`);

      await page.keyboard.press('Control+a');
      await page.keyboard.type('08feb24');
      await enter(page);
      assert.match(page.url(), new RegExp(`published=${month()}$`));
      assert.match(await page.locator('[data-sb-focus]').innerText(), new RegExp(tr('adminBulletin.publishedDone', { month: monthYear(month(), lang) })));
      assert.equal((await t.deps.visaBulletins.get(month())).finalActionDates.F2A!.MEXICO, '2024-02-08');
      const api = (await t.app.inject({ method: 'GET', url: `/api/v1/visa-bulletins/${month()}` })).json();
      assert.equal(api.finalActionDates.F2A.MEXICO, '2024-02-08');
      await assertAccessible(page, `the list after publishing (${lang})`);
      await page.close();
    });
  }
});

function nextMonth(m: string, n: number): string {
  const d = new Date(`${m}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

