/**
 * /admin/scripts and /admin/retention in Chromium, by keyboard, with axe (WCAG 2.1 A and AA) on every screen: an
 * admin working in English writes a new script (a refused first try: focus on the error summary, its link to the
 * field), a second admin working in Spanish approves and publishes it (the search API then finds it) and retires it
 * (the API no longer does); the first admin changes a retention rule (a refused value first). Skipped without
 * /usr/bin/chromium locally, a failure in CI. Screenshots when SCREENSHOTS_DIR is set.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const SHOTS = process.env.SCREENSHOTS_DIR;

describeInChromium('admin scripts and retention pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let tier1: string;
  const browsers: Array<Awaited<ReturnType<typeof launchChromium>>> = [];

  before(async () => {
    t = await startTestApp('sqlite');
    await t.deps.staff.addUser({ email: 'ada@agency.test', name: 'Ada Author', role: 'admin', password: TEST_PASSWORD }, { kind: 'cli' });
    await t.deps.staff.addUser({ email: 'bo@agency.test', name: 'Bo Revisor', role: 'admin', password: TEST_PASSWORD }, { kind: 'cli' });
    tier1 = (await t.signIn('tier1')).token;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await t?.close();
  });

  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '', label: el?.getAttribute('aria-label') ?? '', href: el?.getAttribute('href') ?? '' };
  });
  const tabTo = async (page: Page, target: (f: Awaited<ReturnType<typeof focused>>) => boolean, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (target(await focused(page))) return;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab (at ${JSON.stringify(await focused(page))})`);
  };
  /** Enter on the focused control, waiting for the page it leads to. */
  const enter = async (page: Page, url: RegExp) => {
    // A new document, even at the same address (a form posted back to itself).
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    assert.match(page.url(), url);
  };
  const signIn = async (email: string, next: string) => {
    const b = await launchChromium({ viewport: { width: 1280, height: 900 } });
    browsers.push(b);
    const page = await b.context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await enter(page, new RegExp(`${next.replace(/[?]/g, '\\?')}$`));
    return page;
  };
  const search = async (q: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/scripts?q=${encodeURIComponent(q)}&lang=en`, headers: bearer(tier1) })).json().items as Array<{ id: string; version: number }>;

  test('a script written in English, reviewed and published in Spanish by a second admin, then retired: keyboard only, axe on each screen', async () => {
    const ada = await signIn('ada@agency.test', '/admin/scripts?lang=en');
    await assertAccessible(ada, 'the scripts list (English)');
    await shot(ada, 'scripts-list-en');
    await tabTo(ada, (f) => f.href === '/admin/scripts/new', 30, 'Write a new script');
    await enter(ada, /\/admin\/scripts\/new$/);
    await assertAccessible(ada, 'the new script form');

    // Typed field by field with Tab; the Spanish text left out on purpose.
    await ada.locator('#slug').focus();
    await ada.keyboard.type('pickpocketed-card');
    const typeNext = async (text: string) => {
      await ada.keyboard.press('Tab');
      if (text) await ada.keyboard.type(text);
    };
    await typeNext('Card pickpocketed abroad');
    await typeNext('If your card was pickpocketed while you were abroad, report it to the local police and contact the nearest embassy.');
    await typeNext('pickpocket, stolen abroad');
    await typeNext('');
    await typeNext('Tarjeta robada en el extranjero');
    await tabTo(ada, (f) => f.tag === 'BUTTON' && f.text === en('adminScripts.form.submit'), 10, 'Send for review');
    await enter(ada, /\/admin\/scripts\/drafts$/);
    assert.ok((await ada.title()).startsWith(en('site.errorPrefix')), await ada.title());
    assert.equal((await focused(ada)).id, 'error-summary', 'focus moves to the error summary');
    await assertAccessible(ada, 'the new script form with errors');
    await shot(ada, 'script-form-errors-en');
    await ada.keyboard.press('Tab');
    assert.equal((await focused(ada)).href, '#esBody');
    await ada.keyboard.press('Enter');
    assert.equal((await focused(ada)).id, 'esBody', 'the summary\'s link puts focus on the field');
    await ada.keyboard.type('Si le robaron la tarjeta en el extranjero, denúncielo a la policía local y llame a la embajada más cercana.');
    await tabTo(ada, (f) => f.tag === 'BUTTON' && f.text === en('adminScripts.form.submit'), 10, 'Send for review');
    await enter(ada, /\/admin\/scripts\/drafts\/[0-9a-f-]{36}\?done=drafted$/);
    const draftUrl = ada.url().split('?')[0]!;
    assert.equal(await ada.getByTestId('own-draft').innerText(), en('adminScripts.draft.ownDraft'));
    assert.equal(await ada.getByRole('button', { name: en('adminScripts.draft.approve') }).count(), 0, 'no Approve for the author');
    await assertAccessible(ada, 'the author\'s draft');
    await shot(ada, 'script-draft-author-en');

    const bo = await signIn('bo@agency.test', '/admin/scripts?lang=es');
    assert.match(await bo.locator('html').getAttribute('lang') ?? '', /^es$/);
    await assertAccessible(bo, 'the scripts list (Spanish)');
    await tabTo(bo, (f) => f.href !== '' && draftUrl.endsWith(f.href), 30, 'the waiting draft');
    await enter(bo, /\/admin\/scripts\/drafts\/[0-9a-f-]{36}$/);
    await assertAccessible(bo, 'the draft for review (Spanish)');
    await shot(bo, 'script-draft-review-es');
    await tabTo(bo, (f) => f.tag === 'BUTTON' && f.text === es('adminScripts.draft.approve'), 30, 'Aprobar el borrador');
    await enter(bo, /\?done=approved$/);
    assert.equal(await bo.getByTestId('draft-status').innerText(), es('adminScripts.status.approved'));
    await assertAccessible(bo, 'the approved draft');
    await tabTo(bo, (f) => f.tag === 'BUTTON' && f.text === es('adminScripts.draft.publish', { version: 1 }), 30, 'Publicar como versión 1');
    await enter(bo, /\/admin\/scripts\/pickpocketed-card\?done=published$/);
    assert.equal(await bo.getByTestId('done').innerText(), es('adminScripts.done.published'));
    assert.deepEqual((await search('pickpocket')).map((i) => [i.id, i.version]), [['pickpocketed-card', 1]], 'the search API finds what was published');
    await assertAccessible(bo, 'the published script (Spanish)');
    await shot(bo, 'script-published-es');

    await bo.locator('#reason').focus();
    await bo.keyboard.type('Lo cubre el guion de tarjetas perdidas.');
    await tabTo(bo, (f) => f.tag === 'BUTTON' && f.text === es('adminScripts.retire.submit'), 5, 'Retirar el guion');
    await enter(bo, /\?done=retired$/);
    assert.match(await bo.getByTestId('script-status').innerText(), /^Retirado/);
    assert.deepEqual(await search('pickpocket'), [], 'retired: the search API no longer finds it');
    await assertAccessible(bo, 'the retired script');
  });

  test('a retention rule changed by keyboard: a refused value first, then saved; English and Spanish pass axe', async () => {
    const page = await signIn('ada@agency.test', '/admin/retention?lang=en');
    await assertAccessible(page, 'the retention rules (English)');
    await shot(page, 'retention-list-en');
    const name = en('adminRetention.changeNamed', { kind: en('adminRetention.kind.feedback') });
    await tabTo(page, (f) => f.label === name, 40, name);
    await enter(page, /\/admin\/retention\/feedback$/);
    await assertAccessible(page, 'the feedback rule form');
    await page.locator('#n').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('adminRetention.form.submit'), 6, 'Save the rule');
    await enter(page, /\/admin\/retention\/feedback$/);
    assert.equal((await focused(page)).id, 'error-summary');
    assert.equal(await page.locator('#n-error').innerText(), en('adminRetention.error.n.whole-number'));
    await assertAccessible(page, 'the feedback rule form with an error');
    await shot(page, 'retention-form-error-en');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'n');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    // The basis says the period too: Tab past the unit to it, and write it again.
    await tabTo(page, (f) => f.id === 'basis', 3, 'the basis');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Page feedback is kept 2 years: the yearly report compares a year with the one before it.');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === en('adminRetention.form.submit'), 6, 'Save the rule');
    await enter(page, /\/admin\/retention\?changed=feedback$/);
    assert.equal(await page.getByTestId('rule-feedback').innerText(), '2 years after it was received');
    assert.equal((await t.deps.retention.current()).feedback.keep.n, 2, 'the purge reads the new rule');
    await assertAccessible(page, 'the retention rules after a change');
    await page.goto(`${base}/admin/retention?lang=es`);
    assert.equal(await page.getByTestId('rule-feedback').innerText(), '2 años después de recibirse');
    await assertAccessible(page, 'the retention rules (Spanish)');
    await shot(page, 'retention-list-es');
  });
});
