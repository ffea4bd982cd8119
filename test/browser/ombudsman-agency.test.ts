/**
 * The Ombudsman's requests to the agency in Chromium with axe (WCAG 2.1 A and AA), English and Spanish: the
 * analyst's request page (ask the agency with an error first, the question listed, a letter), the office's list
 * of requests from the Ombudsman (on a phone too), the work item page to claim, to answer and in an error state,
 * and the answer back on the analyst's page. Screenshots go to /tmp/ombudsman-agency-*.png. Skipped without
 * /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const QUESTION = 'Please tell us why the interview for this case was never scheduled after the biometrics in June.';
const ANSWER = 'The file was waiting at the National Benefits Center. We scheduled the interview for next month and mailed the notice.';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/ombudsman-agency-${name}.png`, fullPage: true });

describeInChromium('the Ombudsman\'s requests to the agency in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let requestNumber: string;
  let receipts: string[];

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '10000' } });
    for (const [email, name, role, office] of [
      ['olga@agency.test', 'Olga Analyst', 'ombudsman', undefined], ['vera@agency.test', 'Vera Worker', 'office', 'VSC'],
    ] as const) await t.deps.staff.addUser({ email, name, role, office, password: TEST_PASSWORD }, { kind: 'cli' });
    receipts = [];
    for (let i = 0; i < 2; i++) {
      const record = caseRecord({ office: 'VSC' });
      assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
      receipts.push(record.receiptNumber as string);
    }
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/ombudsman/case-assistance', payload: {
        requester: { name: 'Ana Pérez', email: 'ana@example.org' }, cases: receipts.map((receiptNumber) => ({ receiptNumber, formType: 'I-130' })),
        priorActions: [{ date: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10), kind: 'call' }],
        reasons: 'My I-130 has been pending for three years and nobody can tell me why.',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    requestNumber = res.json().requestNumber;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (page: Page, url: string, email: string) => {
    await page.context().clearCookies();
    await page.goto(`${base}${url}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await page.waitForURL(`${base}${url}`);
  };

  test('the analyst asks the agency (an error first), the office claims and answers, the answer is on the desk; every page passes axe in English and Spanish', async () => {
    const page = await context.newPage();
    const desk = `/ombudsman/desk/${requestNumber}`;
    await signIn(page, desk, 'olga@agency.test');
    await assertAccessible(page, 'the request page before asking');
    await shot(page, 'desk');

    // Too short: the error summary, the message beside the field, what was typed kept.
    await page.locator('label.usa-radio__label', { hasText: receipts[1]! }).click();
    await page.locator('#question').fill('Why?');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: en('ombudsmanAgency.desk.askSubmit') }).click()]);
    await page.waitForSelector('.sb-error-summary');
    assert.match(await page.title(), /^Error: /);
    assert.equal(await page.locator('#question').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#question').inputValue(), 'Why?');
    assert.equal(await page.getByLabel(receipts[1]!).isChecked(), true, 'the case chosen stays chosen');
    await assertAccessible(page, 'the request page with an error in the question');
    await shot(page, 'desk-error');

    await page.locator('#question').fill(QUESTION);
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: en('ombudsmanAgency.desk.askSubmit') }).click()]);
    assert.equal(await page.locator('#status-word').innerText(), en('ombudsman.desk.statusWord.agency-asked'));
    assert.match(await page.locator('#agency-questions').innerText(), /never scheduled/);
    await page.locator('#letter').fill('We asked the office that holds your case about the interview. We will write again when it answers.');
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: en('ombudsmanAgency.desk.letterSubmit') }).click()]);
    assert.match(await page.locator('#history').innerText(), new RegExp(`${en('ombudsman.desk.action.letter')} \\(${en('ombudsman.desk.letter.email')}\\)`));
    await assertAccessible(page, 'the request page with a question asked');
    await shot(page, 'desk-asked');
    await page.goto(`${base}${desk}?lang=es`);
    assert.match(await page.locator('#agency-heading').innerText(), new RegExp(es('ombudsmanAgency.desk.heading')));
    await assertAccessible(page, 'the request page in Spanish');
    await shot(page, 'desk-es');

    // The office: its list (also on a phone), the work item to claim, to answer, an error, the answer sent.
    await signIn(page, '/office/ombudsman-requests', 'vera@agency.test');
    assert.match(await page.locator('h1').innerText(), new RegExp(`^${en('ombudsmanAgency.office.title')}`));
    assert.equal(await page.locator('tbody tr[data-item]').count(), 1);
    await assertAccessible(page, 'the office list');
    await shot(page, 'office');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the list fits a phone');
    await shot(page, 'office-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/office/ombudsman-requests?lang=es`);
    await assertAccessible(page, 'the office list in Spanish');
    await shot(page, 'office-es');
    await page.goto(`${base}/office/ombudsman-requests?lang=en`);
    await page.locator('tbody tr[data-item] a').first().click();
    await page.waitForSelector('[data-testid="question"]');
    assert.match(await page.getByTestId('question').innerText(), /never scheduled/);
    await assertAccessible(page, 'the work item to claim');
    await shot(page, 'item-to-claim');
    await Promise.all([page.waitForURL(/done=claimed$/), page.getByRole('button', { name: en('ombudsmanAgency.item.claim') }).click()]);
    assert.equal(await page.getByTestId('outcome').innerText(), en('ombudsmanAgency.item.claimedDone'));
    await assertAccessible(page, 'the work item to answer');
    await shot(page, 'item-to-answer');
    await page.locator('#answer').fill('Looked at it.');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: en('ombudsmanAgency.item.answerSubmit') }).click()]);
    await page.waitForSelector('.sb-error-summary');
    assert.equal(await page.locator('#answer').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'the work item with an error');
    await shot(page, 'item-error');
    await page.locator('#answer').fill(ANSWER);
    await Promise.all([page.waitForURL(/answered=/), page.getByRole('button', { name: en('ombudsmanAgency.item.answerSubmit') }).click()]);
    assert.match(await page.getByTestId('outcome').innerText(), new RegExp(requestNumber));
    assert.match(await page.getByTestId('none').innerText(), new RegExp(en('ombudsmanAgency.office.none')));
    await assertAccessible(page, 'the office list after the answer');
    await shot(page, 'office-answered');
    await page.locator('tr[data-answered] a').first().click();
    await page.waitForSelector('[data-testid="answer"]');
    await page.goto(`${page.url()}?lang=es`);
    await assertAccessible(page, 'the answered work item in Spanish');
    await shot(page, 'item-es');

    // Back on the desk: the answer, and the request answered.
    await signIn(page, desk, 'olga@agency.test');
    assert.equal(await page.locator('#status-word').innerText(), en('ombudsman.desk.statusWord.answered'), 'its only question answered');
    assert.match(await page.locator('[data-agency-answer]').innerText(), /National Benefits Center/);
    await assertAccessible(page, 'the request page with the answer');
    await shot(page, 'desk-answered');
    await page.close();
  });
});
