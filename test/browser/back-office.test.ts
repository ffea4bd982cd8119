/**
 * The back-office pages in Chromium with axe (WCAG 2.1 A and AA): the office queue, the request page (to claim, to
 * answer, in an error state, reopened), the supervisor's request page and overdue view, in English and Spanish. An
 * office worker works a request with the keyboard alone: Tab to Claim, Enter, Tab to the answer, type, send.
 * Screenshots go to /tmp/back-office-*.png. Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { ServiceRequestService } from '../../src/service-requests/service.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const es = translator('es');
const ANSWER = 'We checked your case today: the file moved to the interview office, and a new interview letter goes out within 10 days.';


const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/back-office-${name}.png`, fullPage: true });

describeInChromium('the back-office pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  const refs: Record<string, string> = {};

  before(async () => {
    t = await startTestApp('sqlite');
    const tier1 = (await t.signIn('tier1')).token;
    for (const [email, name, role, office] of [
      ['vera@agency.test', 'Vera Worker', 'office', 'VSC'], ['victor@agency.test', 'Victor Worker', 'office', 'VSC'], ['sam@agency.test', 'Sam Supervisor', 'supervisor', undefined],
    ] as const) await t.deps.staff.addUser({ email, name, role, office, password: TEST_PASSWORD }, { kind: 'cli' });
    const make = async (key: string, body: Record<string, unknown>, office = 'VSC') => {
      const record = caseRecord({ office, history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-02', status: 'fingerprints-were-taken' }] });
      assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/service-requests', payload: { receiptNumber: record.receiptNumber, ...body }, headers: bearer(tier1) });
      assert.equal(res.statusCode, 201, res.body);
      refs[key] = res.json().referralNumber;
    };
    await make('work', { type: 'other', details: 'The caller asks why the interview letter never came. She moved in May.' });
    await make('expedite', { type: 'expedite', expediteCriterion: 'urgent-humanitarian', urgency: 'urgent', details: 'Her mother is very ill abroad and she needs to travel.' });
    await make('typo', { type: 'typographical-error', details: 'My name is misspelled on the receipt notice.' });
    await make('late', { type: 'other', details: 'Nobody answered about the biometrics appointment.' }, 'CHI');
    await new ServiceRequestService({
      db: t.deps.database.db, audit: t.deps.audit, outbox: t.deps.outbox, idempotency: t.deps.idempotency, rules: t.deps.serviceRequests.rules,
      processingTimes: t.deps.processingTimes, agency: t.deps.agency, publicUrl: 'http://x', clock: () => new Date(Date.now() + 40 * 86_400_000),
    }).sweep();
    // A form letter, answered and flagged, for the supervisor's view.
    await make('letter', { type: 'accommodation', details: 'I use a wheelchair; please move the interview to the ground floor.' });
    const vera = { kind: 'staff' as const, sessionId: 'x', user: (await t.deps.database.db.selectFrom('staff').selectAll().where('email', '=', 'vera@agency.test').executeTakeFirstOrThrow()) };
    const actor = { ...vera, user: { id: vera.user.id, email: vera.user.email, name: vera.user.name, role: 'office' as const, office: 'VSC', agentId: vera.user.agent_id } };
    await t.deps.serviceRequests.claim(actor, refs.letter!);
    await t.deps.serviceRequests.respond(actor, refs.letter!, 'Thank you for contacting us. Your case is being processed normally.');
    const sam = await t.deps.database.db.selectFrom('staff').selectAll().where('email', '=', 'sam@agency.test').executeTakeFirstOrThrow();
    await t.deps.serviceRequests.review({ kind: 'staff', sessionId: 'x', user: { id: sam.id, email: sam.email, name: sam.name, role: 'supervisor', office: null, agentId: sam.agent_id } }, refs.letter!, { formLetter: true, note: 'Says nothing about the case.' });

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
  /** Presses Tab until `target` has focus; fails after `max` presses. Returns how many it took. */
  const tabTo = async (page: Page, isTarget: () => Promise<boolean>, max: number, what: string) => {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (await isTarget()) return i;
    }
    throw new Error(`${what} was not reached within ${max} presses of Tab`);
  };
  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '' };
  });

  test('an office worker: the queue, then a request worked with the keyboard alone; each page passes axe', async () => {
    const page = await context.newPage();
    await signIn(page, '/staff/queue', 'vera@agency.test');
    assert.match(await page.locator('h1').innerText(), new RegExp(`^${en('backOffice.queue.title')}`));
    const order = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-referral')));
    assert.equal(order[0], refs.typo, 'the request due first is at the top');
    await assertAccessible(page, 'the queue');
    await shot(page, 'queue');
    // On a phone the rows stack (each value under its column's name): nothing runs off the side.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the queue fits a phone');
    await shot(page, 'queue-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Work a request with the keyboard: from the queue row's link, to Claim, to the answer, to Send.
    await page.goto(`${base}/staff/service-requests/${refs.work}`);
    await assertAccessible(page, 'the request page before the claim');
    await shot(page, 'request-to-claim');
    await page.locator('.usa-skipnav').focus();
    await page.keyboard.press('Enter');
    const tabs = await tabTo(page, async () => (await focused(page)).text === en('backOffice.request.claim'), 6, 'the Claim button');
    assert.ok(tabs <= 2, `Claim is the first control after the way back to the queue (took ${tabs})`);
    await Promise.all([page.waitForURL(/done=claimed$/), page.keyboard.press('Enter')]);
    assert.equal(await page.getByTestId('outcome').innerText(), en('backOffice.done.claimed'));
    assert.match(await page.title(), new RegExp(`^${en('backOffice.done.claimed')} – `));
    const toAnswer = await tabTo(page, async () => (await focused(page)).id === 'response', 4, 'the answer field');
    assert.equal(toAnswer, 1, 'from the outcome message, the answer is the next stop');
    await assertAccessible(page, 'the request page with the answer form');
    await shot(page, 'request-to-answer');

    // Too short first: the error summary takes focus, the message sits beside the field.
    await page.keyboard.type('Done.');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, en('backOffice.respond.submit'));
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('.sb-error-summary');
    assert.match(await page.title(), /^Error: /);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
    assert.equal(await page.locator('#response').inputValue(), 'Done.');
    assert.equal(await page.locator('#response').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'the request page in an error state');
    await shot(page, 'request-error');
    await tabTo(page, async () => (await focused(page)).id === 'response', 3, 'the answer field from the error summary');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ANSWER);
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/done=answered$/), page.keyboard.press('Enter')]);
    assert.equal(await page.getByTestId('status').innerText(), en('backOffice.status.answered'));
    assert.equal(await page.getByTestId('answer').innerText(), ANSWER);
    await assertAccessible(page, 'the answered request');
    await shot(page, 'request-answered');
    await page.close();
  });

  test('a supervisor: the overdue view and a request with assign, transfer and review; in English and Spanish', async () => {
    const page = await context.newPage();
    await signIn(page, '/staff/overdue', 'sam@agency.test');
    assert.equal(await page.locator('h1').innerText(), en('backOffice.overdue.title'));
    assert.ok(await page.locator(`tr[data-referral="${refs.late}"]`).count() >= 1);
    assert.equal(await page.locator(`tr[data-referral="${refs.letter}"]`).count(), 1, 'the flagged answer is listed');
    await assertAccessible(page, 'the overdue view');
    await shot(page, 'overdue');

    await page.goto(`${base}/staff/service-requests/${refs.expedite}`);
    assert.equal(await page.getByLabel(en('backOffice.assign.label', { office: 'Vermont Service Center' })).count(), 1);
    await page.getByText(en('backOffice.transfer.summary')).click();
    await assertAccessible(page, 'the supervisor\'s request page');
    await shot(page, 'request-supervisor');

    await page.goto(`${base}/staff/service-requests/${refs.letter}`);
    await assertAccessible(page, 'a flagged answer');
    await shot(page, 'request-flagged');

    await page.goto(`${base}/staff/overdue?lang=es`);
    assert.equal(await page.locator('h1').innerText(), es('backOffice.overdue.title'));
    await assertAccessible(page, 'the overdue view in Spanish');
    await page.goto(`${base}/staff/queue?office=VSC`);
    assert.match(await page.locator('h1').innerText(), new RegExp(`^${es('backOffice.queue.title')}`));
    await assertAccessible(page, 'a queue in Spanish');
    await shot(page, 'queue-es');
    await page.goto(`${base}/staff/service-requests/${refs.late}`);
    assert.equal(await page.locator('h1').innerText(), es('backOffice.request.heading', { referral: formatReferralNumber(refs.late!) }));
    await assertAccessible(page, 'an overdue request in Spanish');
    await shot(page, 'request-es');
    await page.goto(`${base}/staff/queue?lang=en`);
    await page.close();
  });

  test('a worker sees the person\'s reason first on a reopened request, in Spanish too', async () => {
    const receipt = (await t.deps.database.db.selectFrom('service_requests').select('receipt_number').where('referral_number', '=', refs.work!).executeTakeFirstOrThrow()).receipt_number;
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/public/service-requests/${refs.work}/reopen`,
      payload: { receiptNumber: receipt, verification: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' }, reason: 'No letter came, and nobody told me when the interview is.' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const page = await context.newPage();
    await signIn(page, `/staff/service-requests/${refs.work}`, 'victor@agency.test');
    assert.equal(await page.getByTestId('reopen-reason').innerText(), 'No letter came, and nobody told me when the interview is.');
    await assertAccessible(page, 'a reopened request');
    await shot(page, 'request-reopened');
    await page.goto(`${base}/staff/service-requests/${refs.work}?lang=es`);
    await assertAccessible(page, 'a reopened request in Spanish');
    await page.goto(`${base}/staff/queue?lang=en`);
    await page.close();
  });
});
