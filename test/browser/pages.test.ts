/**
 * Every page in a real browser (Debian's Chromium, driven by playwright-core), each checked with axe against
 * WCAG 2.1 A and AA: the public home in English and Spanish, the API reference, a 404, and the staff sign-in,
 * home and sign-out through the real forms. Public pages are also used with JavaScript turned off.
 *
 * Needs /usr/bin/chromium (`apt-get install chromium fonts-liberation`); without it the file is skipped
 * locally and fails in CI. `SCREENSHOTS=1` also writes full-page PNGs to docs/screenshots/.
 */
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { ROLE_PROFILES } from '../../src/domain/capabilities.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const en = translator('en');
const es = translator('es');


/** A new tab that records what would break the page for a user: a stylesheet or font that failed, a CSP refusal, a script error. */
async function openTab(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('response', (r) => { if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
  return { page, problems };
}

/** Runs axe on the page as it stands and fails with every violation spelled out (rule, element, what to fix). */

/** Writes a full-page screenshot to docs/screenshots/ when SCREENSHOTS=1. */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** WCAG 1.4.10 (reflow): at 320 CSS pixels nothing may need sideways scrolling; names what sticks out if it does. */
async function assertFitsWidth(page: Page, label: string): Promise<void> {
  // No named functions inside evaluate(): tsx would wrap them in a helper the page does not have.
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1);
    return {
      extra: document.documentElement.scrollWidth - width,
      culprits: wide.slice(-5).map((el) => `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join('')} (${Math.round(el.getBoundingClientRect().right)}px)`),
    };
  });
  assert.ok(overflow.extra <= 0, `${label} scrolls sideways by ${overflow.extra}px at ${page.viewportSize()?.width}px wide; sticking out: ${overflow.culprits.join(', ')}`);
}

const h1 = (page: Page) => page.locator('h1').innerText();

/**
 * Run in the page (as a string: tsx would wrap named functions in a helper the page lacks): the focused element's
 * outline (a radio's ring is drawn on its label's ::before) and its contrast with the first opaque background behind it.
 */
const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const radio = el.matches('.usa-radio__input');
  const style = getComputedStyle(radio ? el.nextElementSibling : el, radio ? '::before' : null);
  let bgEl = el.parentElement;
  let bg = [255, 255, 255, 1];
  while (bgEl) {
    const c = parse(getComputedStyle(bgEl).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; }
    bgEl = bgEl.parentElement;
  }
  const [l1, l2] = [lum(parse(style.outlineColor)), lum(bg)].sort((a, b) => b - a);
  return { key: el.tagName + '#' + el.id + '.' + el.className + ':' + (el.textContent || '').trim().slice(0, 30), style: style.outlineStyle,
    width: parseFloat(style.outlineWidth), ratio: (l1 + 0.05) / (l2 + 0.05), outline: style.outlineColor, bg: 'rgb(' + bg.join(',') + ')' };
})()`;


describeInChromium('pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let problems: string[];

  /** Loads a path, checks the status the user gets, and runs axe on it. */
  async function visit(pathname: string, status = 200): Promise<void> {
    const res = await page.goto(base + pathname);
    assert.equal(res?.status(), status, `${pathname} answered ${res?.status()}`);
    await assertAccessible(page, pathname);
  }

  async function fillSignIn(p: Page, email: string, password: string) {
    await p.getByLabel(en('signIn.email')).fill(email);
    await p.getByLabel(en('signIn.password')).fill(password);
    await p.getByRole('button', { name: en('signIn.submit') }).click();
    await p.waitForLoadState();
  }

  // One pending case received long ago (outside normal processing time), with a priority date, and a bulletin.
  const pending = caseRecord({ receivedDate: '2024-01-10', history: [{ date: '2024-01-10', status: 'case-was-received' }, { date: '2024-03-01', status: 'fingerprints-were-taken' }] });
  const publicPages = (rn: string) => [
    '/case-status', `/processing-times?formType=I-130&formCategory=${encodeURIComponent('spouse of U.S. citizen')}&office=VSC`,
    `/inquiry?receiptNumber=${rn}`, '/priority-date?priorityDate=2019-05-01&category=F2A&chargeability=MEXICO&chart=final-action', `/prepare?receipts=${rn}`,
    '/service-requests', `/service-requests/new/change-of-address?receiptNumber=${rn}`, '/service-requests/status',
  ];

  before(async () => {
    // The per-address limit is tested on its own (public-rate-limit.test.ts); a browser walking every page would meet it.
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    await t.deps.feed.import((async function* () { yield { line: 1, value: pending }; })(), { kind: 'cli' });
    const month = new Date().toISOString().slice(0, 7);
    await t.deps.visaBulletins.publish(month, { finalActionDates: { F2A: { ALL: '2023-01-01', MEXICO: '2020-06-01' } }, datesForFiling: { F2A: { ALL: 'C' } } }, { kind: 'cli' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });
  // Every test starts signed out, in English, in a new tab; and ends with nothing broken on the way.
  beforeEach(async () => {
    await browser.context.clearCookies();
    ({ page, problems } = await openTab(browser.context));
  });
  afterEach(async () => {
    await page.close();
    assert.deepEqual(problems, [], 'assets, CSP or scripts failed while using the page');
  });

  test('the home page lists the public services and how to prepare for a call, in English', async () => {
    await visit('/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await h1(page), en('home.title'));
    assert.equal(await page.title(), `${en('home.title')} | ${en('site.name')}`);
    for (const key of ['caseStatus', 'processingTimes', 'inquiry', 'priorityDate', 'prepare', 'ombudsman']) {
      assert.ok(await page.getByRole('heading', { name: en(`home.service.${key}.title`) }).isVisible(), `the ${key} service is listed`);
    }
    assert.ok(await page.getByRole('heading', { name: en('home.duringHeading') }).isVisible());
    // The styles really applied: the header is the dark blue band, not unstyled text.
    assert.equal(await page.locator('.sb-header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(26, 68, 128)');
    await screenshot(page, 'home');
  });

  test('the language link switches the home page to Spanish', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: en('site.languageSwitchLabel') }).click();
    await page.waitForURL(`${base}/?lang=es`);
    await assertAccessible(page, 'the Spanish home');
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    assert.equal(await h1(page), es('home.title'));
    assert.equal(await page.title(), `${es('home.title')} | ${es('site.name')}`, 'the browser tab is in Spanish too');
    assert.ok(await page.getByRole('heading', { name: es('home.beforeHeading') }).isVisible());
    assert.ok(await page.getByRole('link', { name: es('site.languageSwitchLabel') }).isVisible(), 'a way back to English');
    await screenshot(page, 'home-es');
  });

  test('an unknown address shows a "page not found" page with a way home', async () => {
    await visit('/no-such-page', 404);
    assert.equal(await h1(page), en('error.title.404'));
    assert.equal(await page.title(), `Error: ${en('error.title.404')} | ${en('site.name')}`);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus starts at what went wrong');
    await page.getByRole('link', { name: en('error.home') }).click();
    assert.equal(new URL(page.url()).pathname, '/');
  });

  test('the API reference lists the endpoints, each with an anchor from the contents', async () => {
    await visit('/api/docs');
    assert.equal(await h1(page), en('apiDocs.title'));
    assert.ok(await page.getByRole('link', { name: en('apiDocs.openapiLink') }).isVisible());
    await page.getByRole('navigation', { name: en('apiDocs.contents') }).getByRole('link', { name: 'Staff sign-in' }).click();
    assert.equal(new URL(page.url()).hash, '#tag-Staff-sign-in');
    // Method and path are read as two words, not "POST/api/v1/auth/login".
    assert.ok(await page.getByRole('heading', { name: 'POST /api/v1/auth/login', exact: true }).isVisible());
  });

  test('a wrong password shows the error and keeps the e-mail address', async () => {
    await visit('/sign-in');
    await fillSignIn(page, 'nobody@agency.test', 'not the password at all');
    const alert = await page.getByRole('alert').innerText();
    assert.ok(alert.includes(en('signIn.failedHeading')) && alert.includes(en('signIn.failed')), `the alert says: ${alert}`);
    assert.equal(await page.getByLabel(en('signIn.email')).inputValue(), 'nobody@agency.test');
    await assertAccessible(page, 'sign-in with an error');
  });

  test('a Tier 2 officer signs in, sees their agent ID and what their role does, and signs out', async () => {
    const email = 'browser.tier2@agency.test';
    const user = await t.deps.staff.addUser({ email, name: 'Rosa Browser', role: 'tier2', password: TEST_PASSWORD }, { kind: 'cli' });

    await visit('/sign-in');
    assert.equal(await h1(page), en('signIn.title'));
    await screenshot(page, 'sign-in');
    await fillSignIn(page, email, TEST_PASSWORD);

    assert.equal(new URL(page.url()).pathname, '/staff');
    await assertAccessible(page, 'staff home');
    assert.equal(await h1(page), en('staff.home.greeting', { name: 'Rosa Browser' }));
    assert.equal(await page.getByTestId('agent-id').innerText(), user.agentId);
    const may = page.locator('section', { has: page.getByRole('heading', { name: en('staff.home.mayHeading') }) }).getByRole('listitem');
    assert.deepEqual(await may.allInnerTexts(), ROLE_PROFILES.tier2.may.map((c) => en(`staff.capability.${c}`)));
    assert.ok(await page.getByText(en('staff.role.tier2')).isVisible());
    await screenshot(page, 'staff-home');

    await page.getByRole('banner').getByRole('button', { name: en('site.signOut') }).click();
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(await page.getByRole('status').innerText(), en('signIn.signedOut'));
    await assertAccessible(page, 'sign-in after signing out');

    // Signed out means signed out: the staff home asks for sign-in again.
    await page.goto(`${base}/staff`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
  });

  test('the public case pages answer, in English and Spanish, with no accessibility violations', async () => {
    for (const lang of ['en', 'es']) {
      for (const pathname of publicPages(String(pending.receiptNumber))) {
        const url = `${pathname}${pathname.includes('?') ? '&' : '?'}lang=${lang}`;
        await visit(url);
        assert.equal(await page.locator('html').getAttribute('lang'), lang, url);
      }
    }
    // The case status form, used as a person would.
    await page.goto(`${base}/case-status?lang=en`);
    await page.locator('input[name="receiptNumber"]').fill(`${String(pending.receiptNumber).slice(0, 3).toLowerCase()}-${String(pending.receiptNumber).slice(3)}`);
    await page.locator('form button[type="submit"]').first().click();
    await page.waitForLoadState();
    assert.ok((await page.locator('main').innerText()).includes('Case Was Updated To Show Fingerprints Were Taken'));
    await assertAccessible(page, 'a case status result');
    await page.goto(`${base}/prepare?receipts=${pending.receiptNumber}`);
    assert.ok(await page.getByRole('button', { name: en('prepare.printButton') }).isVisible(), 'the print button appears when JavaScript runs');
  });

  test('on a 320-pixel-wide screen (a small phone, or 400% zoom) no page scrolls sideways', async () => {
    const email = 'narrow.tier2@agency.test';
    await t.deps.staff.addUser({ email, name: 'Maria de los Ángeles Fernández-García', role: 'tier2', password: TEST_PASSWORD }, { kind: 'cli' });
    await page.setViewportSize({ width: 320, height: 640 });
    for (const pathname of ['/', '/api/docs', '/no-such-page', '/sign-in', ...publicPages(String(pending.receiptNumber))]) {
      await page.goto(base + pathname);
      await assertFitsWidth(page, pathname);
    }
    await page.goto(`${base}/sign-in`);
    await fillSignIn(page, email, TEST_PASSWORD);
    await assertFitsWidth(page, 'the staff home');
    await page.goto(`${base}/?lang=es`);
    await assertFitsWidth(page, 'the Spanish home');
  });

  test('with JavaScript turned off, the public pages load and the sign-in form still works', async () => {
    const email = 'nojs.tier1@agency.test';
    await t.deps.staff.addUser({ email, name: 'Nora Nojs', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
    const noJs = await launchChromium({ javaScriptEnabled: false });
    try {
      const tab = await noJs.context.newPage();
      assert.equal((await tab.goto(`${base}/`))?.status(), 200);
      assert.equal(await h1(tab), en('home.title'));
      for (const pathname of publicPages(String(pending.receiptNumber))) assert.equal((await tab.goto(base + pathname))?.status(), 200, pathname);
      // Without JavaScript the print button stays hidden and the words say how to print.
      assert.equal(await tab.getByRole('button', { name: en('prepare.printButton') }).isVisible(), false);
      assert.equal((await tab.goto(`${base}/sign-in`))?.status(), 200);
      await fillSignIn(tab, email, TEST_PASSWORD);
      assert.equal(new URL(tab.url()).pathname, '/staff');
      assert.equal(await h1(tab), en('staff.home.greeting', { name: 'Nora Nojs' }));
      await tab.getByRole('button', { name: en('site.signOut') }).click();
      await tab.waitForLoadState();
      assert.equal(new URL(tab.url()).pathname, '/sign-in');
    } finally {
      await noJs.close();
    }
  });

  /** Sends the page's main form (the first usa-form in <main>) and waits for the answer to load, scripts and all. */
  async function send(p: Page): Promise<void> {
    await Promise.all([p.waitForNavigation(), p.locator('main form.usa-form button[type="submit"]').first().click()]);
    await p.waitForLoadState('load');
  }
  const focused = (p: Page) => p.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : '';
  });

  test('every form, sent with bad and good input, says what happened in the title and moves focus there', async () => {
    const rn = String(pending.receiptNumber);
    const cases: Array<{ name: string; path: string; fill?: (p: Page) => Promise<void>; focus: string; title: string; field?: string }> = [
      { name: 'case status, empty', path: '/case-status', focus: 'div#error-summary', title: `Error: ${en('caseStatus.title')}`, field: 'receiptNumber' },
      { name: 'case status, unknown', path: '/case-status', fill: (p) => p.locator('#receiptNumber').fill('WAC9999999999'), focus: 'div#unknown-receipt', title: `Error: ${en('caseStatus.unknownHeading')} – ${en('caseStatus.title')}` },
      { name: 'case status, found', path: '/case-status', fill: (p) => p.locator('#receiptNumber').fill(rn), focus: 'h1#current-status', title: `Case Was Updated To Show Fingerprints Were Taken – ${en('caseStatus.title')}` },
      { name: 'processing times, nothing chosen', path: '/processing-times', focus: 'div#error-summary', title: `Error: ${en('processingTimes.title')}`, field: 'formType' },
      { name: 'processing times, answer', path: '/processing-times', fill: async (p) => { await p.locator('#formType').selectOption('I-130'); await p.locator('#office').selectOption('VSC'); }, focus: 'h2#result-heading', title: `I-130: ` },
      { name: 'inquiry, malformed', path: '/inquiry', fill: (p) => p.locator('#receiptNumber').fill('EAC12'), focus: 'div#error-summary', title: `Error: ${en('inquiry.invalidHeading')} – ${en('inquiry.title')}`, field: 'receiptNumber' },
      { name: 'inquiry, answer', path: '/inquiry', fill: (p) => p.locator('#receiptNumber').fill(rn), focus: 'h2', title: `${en('inquiry.yesHeading')} – ${en('inquiry.title')}` },
      { name: 'priority date, nothing entered', path: '/priority-date', focus: 'div#error-summary', title: `Error: ${en('priorityDate.title')}`, field: 'pdMonth' },
      { name: 'priority date, answer', path: '/priority-date', fill: async (p) => { await p.locator('#pdMonth').selectOption('5'); await p.locator('#pdDay').fill('1'); await p.locator('#pdYear').fill('2019'); await p.locator('#category').selectOption('F2A'); await p.locator('#chargeability').selectOption('MEXICO'); }, focus: 'h2#answer-heading', title: `${en('priorityDate.currentHeading')} – ${en('priorityDate.title')}` },
      { name: 'prepare, bad entry', path: '/prepare', fill: (p) => p.locator('#receipts').fill(`EAC12\n${rn}`), focus: 'div#error-summary', title: `Error: ${en('prepare.title')}`, field: 'receipts' },
      { name: 'prepare, ready', path: '/prepare', fill: (p) => p.locator('#receipts').fill(rn), focus: 'h2#ready-heading', title: `${en('prepare.readyOne')} – ${en('prepare.title')}` },
      { name: 'sign-in, empty', path: '/sign-in', focus: 'div#error-summary', title: `Error: ${en('signIn.title')}`, field: 'email' },
    ];
    for (const c of cases) {
      await page.goto(`${base}${c.path}`);
      await c.fill?.(page);
      await send(page);
      const title = await page.title();
      assert.ok(title.startsWith(c.title) && title.endsWith(` | ${en('site.name')}`), `${c.name}: the title says what happened: "${title}"`);
      assert.equal(await focused(page), c.focus, `${c.name}: focus lands on what happened`);
      await assertAccessible(page, c.name);
      if (c.field) {
        // The summary links to the field; following the link puts focus in it (as GOV.UK's error summary does).
        await page.locator('#error-summary a').first().click();
        assert.equal(await focused(page), `${c.field === 'pdMonth' ? 'select' : c.field === 'receipts' ? 'textarea' : c.field === 'formType' ? 'select' : 'input'}#${c.field}`, `${c.name}: the summary link focuses the field`);
        assert.equal(await page.locator(`#${c.field}`).getAttribute('aria-invalid'), 'true', `${c.name}: the field is marked invalid`);
        assert.equal(await page.locator('#error-summary [role="alert"]').count(), 1, `${c.name}: the summary is an alert`);
      }
    }
    // Prepare with a bad entry keeps what was typed and offers nothing to print.
    await page.goto(`${base}/prepare`);
    await page.locator('#receipts').fill(`EAC12\n${rn}`);
    await send(page);
    assert.equal(await page.locator('#receipts').inputValue(), `EAC12\n${rn}`);
    assert.equal(await page.getByRole('button', { name: en('prepare.printButton') }).count(), 0);
  });

  test('in Spanish, an empty form is answered by the server in Spanish (no English browser message stops it)', async () => {
    for (const [path, message] of [['/case-status', es('caseStatus.missing')], ['/inquiry', es('inquiry.missing')], ['/prepare', es('prepare.missing')], ['/priority-date', es('priorityDate.errorDateMissing')], ['/processing-times', es('processingTimes.errorForm')]] as const) {
      await page.goto(`${base}${path}?lang=es`);
      await send(page);
      assert.ok(new URL(page.url()).pathname === path, path);
      assert.ok((await page.locator('#error-summary').innerText()).includes(message), `${path}: ${message}`);
      assert.ok((await page.title()).startsWith('Error: '), path);
    }
  });

  test('the category list offers only the chosen form\'s categories when JavaScript runs, and every form\'s, grouped, without it', async () => {
    await page.goto(`${base}/processing-times`);
    const groups = () => page.locator('#formCategory optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('data-form')));
    assert.deepEqual(await groups(), [], 'no form chosen: only "All categories"');
    await page.locator('#formType').selectOption('I-130');
    assert.deepEqual(await groups(), ['I-130']);
    await page.locator('#formCategory').selectOption({ index: 1 });
    await page.locator('#formType').selectOption('I-765');
    assert.deepEqual(await groups(), ['I-765']);
    assert.equal(await page.locator('#formCategory').inputValue(), '', 'a category of another form is not left selected');
    const noJs = await launchChromium({ javaScriptEnabled: false });
    try {
      const tab = await noJs.context.newPage();
      await tab.goto(`${base}/processing-times`);
      const all = await tab.locator('#formCategory optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('data-form')));
      assert.ok(all.length > 3 && all.includes('I-130') && all.includes('I-765'), all.join(', '));
      // Without JavaScript nothing moves focus, but the error summary is still an alert and the title says "Error:".
      await tab.goto(`${base}/inquiry`);
      await tab.locator('#receiptNumber').fill('EAC12');
      await Promise.all([tab.waitForNavigation(), tab.locator('main form.usa-form button[type="submit"]').click()]);
      assert.ok((await tab.title()).startsWith('Error: '));
      assert.equal(await tab.locator('#error-summary [role="alert"]').count(), 1);
    } finally {
      await noJs.close();
    }
  });

  test('the focus outline has at least 3:1 contrast with what is behind it, on every focusable thing of the public pages', async () => {
    const pages = ['/', ...publicPages(String(pending.receiptNumber)), '/priority-date?pdMonth=&pdDay=&pdYear=&category=', '/sign-in'];
    for (const pathname of pages) {
      await page.goto(base + pathname);
      await page.locator('body').focus();
      const seen = new Set<string>();
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const r = await page.evaluate(FOCUS_PROBE) as { key: string; style: string; width: number; ratio: number; outline: string; bg: string } | null;
        if (!r || seen.has(r.key)) break;
        seen.add(r.key);
        assert.notEqual(r.style, 'none', `${pathname}: ${r.key} shows a focus outline`);
        assert.ok(r.width >= 2, `${pathname}: ${r.key} outline is ${r.width}px`);
        assert.ok(r.ratio >= 3, `${pathname}: ${r.key} outline ${r.outline} on ${r.bg} is ${r.ratio.toFixed(2)}:1`);
      }
      assert.ok(seen.size > 3, `${pathname}: tabbed through ${seen.size} elements`);
    }
  });
});
