/**
 * The "session ending" warning in Chromium (playwright-core) with axe (WCAG 2.1 AA). Time is moved, not waited
 * for: the server's staff clock by the test, the page's timers with Playwright's fake clock. The warning shows
 * when it is due (after the read-only status check), focus lands on "Stay signed in", the keyboard alone presses
 * it and the session is extended; left alone, the page goes to the sign-in page, which says the session ended for
 * inactivity. English and Spanish. Without JavaScript the next page view lands on the same message.
 */
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { sha256 } from '../../src/platform/ids.ts';
import { IDLE_TIMEOUT_MINUTES } from '../../src/staff/policy.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const MIN = 60_000;

describeInChromium('session warning in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  /** The server's staff clock. */
  let serverNow = Date.parse('2026-12-02T14:00:00.000Z');
  let counter = 0;

  before(async () => {
    t = await startTestApp('sqlite', { staffClock: () => new Date(serverNow), env: { PUBLIC_RATE_LIMIT: '100000' } });
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

  const signIn = async (p: Page, lang: 'en' | 'es') => {
    const email = `warned.${++counter}@agency.test`;
    await t.deps.staff.addUser({ email, name: 'Warned Person', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
    await p.goto(`${base}/sign-in?next=/staff&lang=${lang}`);
    await p.fill('#email', email);
    await p.fill('#password', TEST_PASSWORD);
    await Promise.all([p.waitForURL(`${base}/staff`), p.click('button[type="submit"]')]);
    const cookie = (await context.cookies()).find((c) => c.name === 'sb_session');
    assert.ok(cookie, 'signed in');
    return sha256(cookie.value);
  };
  const focused = (p: Page, selector: string) => p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

  for (const lang of ['en', 'es'] as const) {
    test(`the warning shows when due, takes focus, passes axe, and "Stay signed in" works from the keyboard [${lang}]`, async () => {
      const t_ = translator(lang);
      await page.clock.install();
      const signedInAt = serverNow;
      const sessionId = await signIn(page, lang);
      const dialog = page.getByRole('alertdialog', { name: t_('session.warningHeading') });
      assert.equal(await dialog.isVisible(), false, 'no warning at first');

      // 28.5 minutes later: the script's timer fires, the status check says the warning is due.
      serverNow += 28.5 * MIN;
      await page.clock.fastForward(28 * MIN);
      await dialog.waitFor({ state: 'visible' });
      assert.ok(await focused(page, '#sb-session-warning [data-sb-stay]'), 'focus is on "Stay signed in"');
      assert.ok((await dialog.textContent())!.includes(t_('session.warningText', { minutes: 2 })));
      await assertAccessible(page, `the session warning (${lang})`);
      // The status check did not extend the session.
      const before = await t.deps.staff.checkSession(sessionId);
      assert.ok(before.live);
      assert.equal(before.times.expiresAt, new Date(signedInAt + IDLE_TIMEOUT_MINUTES * MIN).toISOString());

      // The keyboard alone: Tab to "Sign out", back to "Stay signed in", press it.
      await page.keyboard.press('Tab');
      assert.ok(await focused(page, '#sb-session-warning [data-sb-sign-out]'), 'Tab stays in the dialog');
      await page.keyboard.press('Shift+Tab');
      assert.ok(await focused(page, '#sb-session-warning [data-sb-stay]'));
      const kept = page.waitForResponse((r) => r.url().endsWith('/staff/session/keep-alive'));
      await page.keyboard.press('Enter');
      assert.equal((await kept).status(), 200);
      await dialog.waitFor({ state: 'hidden' });
      const after = await t.deps.staff.checkSession(sessionId);
      assert.ok(after.live);
      assert.equal(after.times.expiresAt, new Date(serverNow + IDLE_TIMEOUT_MINUTES * MIN).toISOString(), 'extended from the moment pressed');
      assert.equal(page.url(), `${base}/staff`, 'still on the page');
    });
  }

  test('left alone, the page goes to sign-in, which says the session ended for inactivity', async () => {
    await page.clock.install();
    await signIn(page, 'en');
    serverNow += 28.5 * MIN;
    await page.clock.fastForward(28 * MIN);
    await page.getByRole('alertdialog').waitFor({ state: 'visible' });
    // Nobody presses anything: at the end the status check says the session is over, and the page leaves.
    serverNow += 1.5 * MIN;
    await Promise.all([page.waitForURL(/\/sign-in\?ended=idle&next=%2Fstaff$/), page.clock.fastForward(1.5 * MIN)]);
    const message = translator('en')('session.endedIdle', { minutes: IDLE_TIMEOUT_MINUTES });
    await page.getByText(message).waitFor();
    assert.match(await page.title(), /^You were signed out because/);
    assert.ok(await focused(page, '[data-sb-focus]'), 'focus on the message');
    await assertAccessible(page, 'sign-in after the idle end');
  });

  test('without JavaScript nothing breaks: the next page view lands on sign-in with the message', async () => {
    const noJs = await launchChromium({ javaScriptEnabled: false });
    try {
      const p = await noJs.context.newPage();
      const email = `nojs.${++counter}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'No Script', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      await p.goto(`${base}/sign-in?next=/staff`);
      await p.fill('#email', email);
      await p.fill('#password', TEST_PASSWORD);
      await Promise.all([p.waitForURL(`${base}/staff`), p.click('button[type="submit"]')]);
      assert.equal(await p.locator('#sb-session-warning').isVisible(), false);
      serverNow += 31 * MIN;
      await p.reload();
      assert.match(p.url(), /\/sign-in\?next=%2Fstaff$/);
      await p.getByText(translator('en')('session.endedIdle', { minutes: IDLE_TIMEOUT_MINUTES })).waitFor();
    } finally {
      await noJs.close();
    }
  });
});
