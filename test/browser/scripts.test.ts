/**
 * Scripts in Chromium: a Tier 1 agent on a Spanish call finds a script by typing without accents and uses it, with
 * the keyboard alone once the call is open; the public Ask page answers a Spanish question and hands over when
 * nothing fits. axe (WCAG 2.1 A and AA) on each screen. Screenshots: docs/screenshots/desk-scripts.png and ask.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { loadScriptSources } from '../../src/scripts/service.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const sources = loadScriptSources('uscis');
const script = (id: string) => sources.find((s) => s.id === id)!;

describeInChromium('scripts and the Ask page in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  before(async () => {
    t = await startTestApp('sqlite');
    await t.deps.staff.addUser({ email: 'sol@agency.test', name: 'Sol Tier One', role: 'tier1', password: TEST_PASSWORD, skills: ['en', 'es'] }, { kind: 'cli' });
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
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '', label: el?.getAttribute('aria-label') ?? '' };
  });
  const tabTo = async (page: Page, target: (f: Awaited<ReturnType<typeof focused>>) => boolean, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (target(await focused(page))) return i;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab (at ${JSON.stringify(await focused(page))})`);
  };

  test('an agent finds and uses a Spanish script on a Spanish call, keyboard only; it is listed with its version', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent('/desk')}`);
    await page.getByLabel(en('signIn.email')).fill('sol@agency.test');
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/desk`), page.keyboard.press('Enter')]);
    await page.waitForFunction(() => document.activeElement?.id === 'callerPhone');
    await page.keyboard.type('(202) 555-0143');
    // The language radios: Tab to the checked one ("English"), the arrow key chooses Spanish, Enter starts the call.
    await tabTo(page, (f) => f.id === 'language', 5, 'the language choice');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(/\/desk\/contacts\/[^/?]+\?done=started/), page.keyboard.press('Enter')]);
    const id = new URL(page.url()).pathname.split('/')[3]!;

    // The search box by Tab; typed without accents; Enter searches (a GET form).
    await tabTo(page, (f) => f.id === 'sq', 80, 'the scripts search box');
    await page.keyboard.type('datos biometricos');
    await Promise.all([page.waitForURL(/sq=datos\+biometricos/), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const results = page.getByTestId('scripts-results');
    assert.match(await results.innerText(), new RegExp(script('biometrics').es.title.replace(/[()]/g, '.')));
    assert.equal(await results.getAttribute('lang'), 'es');
    await assertAccessible(page, 'the scripts panel with Spanish results');

    // "Use this script" on the first result, by Tab and Enter.
    await page.getByLabel(en('scripts.label', { language: en('scripts.lang.es') })).focus();
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('scripts.use'), 12, 'Use this script');
    const label = (await focused(page)).label;
    await Promise.all([page.waitForURL(/script=/), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const used = await page.getByTestId('scripts-used').innerText();
    const usedId = label.includes(script('biometrics').es.title) ? 'biometrics' : null;
    assert.equal(usedId, 'biometrics', label);
    assert.match(used, /datos biométricos/);
    assert.ok(used.includes(en('scripts.lang.es')), used);
    assert.equal(await page.getByTestId('script-recorded').innerText(), en('scripts.recorded'));
    const events = (await t.deps.contacts.eventsOf(id)).filter((e) => e.kind === 'script');
    assert.deepEqual(events.map((e) => [e.detail!.scriptId, e.detail!.language]), [['biometrics', 'es']]);
    await assertAccessible(page, 'the call after using a script');
    await page.locator('#scripts-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-scripts.png'), fullPage: false });
    await page.close();
  });

  test('the Ask page: a Spanish question answered from the scripts; nothing fits → the hand-over; axe', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/ask?lang=es`);
    await assertAccessible(page, 'the Ask page');
    await page.getByLabel(es('ask.label')).focus();
    await page.keyboard.type('perdí mi tarjeta verde');
    await Promise.all([page.waitForURL(/q=/), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const top = await page.getByTestId('top-answer').innerText();
    assert.ok(top.includes(script('replace-green-card').es.title), top);
    await assertAccessible(page, 'an answer on the Ask page');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ask.png'), fullPage: true });

    await page.goto(`${base}/ask?lang=en&q=${encodeURIComponent('xyzzy plugh')}`);
    assert.equal(await page.getByTestId('top-answer').count(), 0);
    assert.equal(await page.getByTestId('no-answer').innerText(), en('ask.noAnswer'));
    assert.ok(await page.getByRole('link', { name: en('ask.prepare') }).isVisible());
    assert.ok(await page.getByRole('link', { name: en('ask.requests') }).isVisible());
    await assertAccessible(page, 'the Ask page with no answer');
    await page.close();
  });
});
