/**
 * The contact center report page in Chromium, on the start-up demo's calls, callbacks and service requests (a few
 * thousand synthetic cases) plus feedback sent through the public API: the supervisor signs in, the page shows the
 * fiscal year to date with an SVG chart (role="img", named and described) beside a table for each breakdown, the
 * fiscal-year form works by keyboard without JavaScript, axe finds nothing in English and Spanish, nothing scrolls
 * sideways on a phone. Screenshot: docs/screenshots/report.png. Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/app.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { DEMO_PASSWORD, seedDemoStaff } from '../../src/demo.ts';
import { seedCases } from '../../src/cases/seed/run.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { seedDemoContacts } from '../../src/contacts/seed.ts';
import { seedDemoServiceRequests } from '../../src/service-requests/seed.ts';
import { fiscalYearOf } from '../../src/reports/checks.ts';
import type { StaffUser } from '../../src/platform/actor.ts';

const en = translator('en');
const es = translator('es');

describeInChromium('the contact center report page in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '10000' } });
    const users: Record<string, StaffUser> = {};
    for (const u of await seedDemoStaff(t.deps.staff)) users[u.email] = u;
    await seedCases(t.deps.feed, { cases: 3000, randomSeed: 1, today: todayIn(t.deps.agency.timeZone) }, { kind: 'system' });
    const offices = Object.fromEntries(Object.values(users).filter((u) => u.role === 'office' && u.office).map((u) => [u.office!, u]));
    await seedDemoServiceRequests(t.deps.database.db, t.deps.serviceRequests, {
      tier1: users['tier1@demo.switchboard.test']!, tier2: users['tier2@demo.switchboard.test']!, supervisor: users['supervisor@demo.switchboard.test']!, offices,
    });
    await seedDemoContacts(t.deps.database.db, t.deps, {
      tier1: users['tier1@demo.switchboard.test']!, tier1b: users['tier1.es@demo.switchboard.test'],
      tier2: users['tier2@demo.switchboard.test']!, tier2es: users['tier2.es@demo.switchboard.test']!,
    });
    for (const payload of [{ page: '/', helpful: true }, { page: '/', helpful: true }, { page: '/ask', helpful: false, reasons: ['confusing'], comment: 'I could not find the form.' }, { helpful: true, comment: 'The agent was patient.' }]) {
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/feedback', payload })).statusCode, 201);
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the supervisor reads the report, picks a fiscal year by keyboard; axe clean in English and Spanish; no sideways scrolling on a phone', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent('/reports/contact-center')}`);
    await page.getByLabel(en('signIn.email')).fill('supervisor@demo.switchboard.test');
    await page.getByLabel(en('signIn.password')).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await page.waitForURL(`${base}/reports/contact-center`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), en('reports.title'));
    assert.ok((await page.getByTestId('report-period').textContent())!.startsWith(en('reports.fiscalYearToDate', { year: fiscalYearOf(todayIn('America/New_York')) })));
    const charts = page.getByRole('img');
    assert.equal(await page.locator('svg[role="img"]').count(), 6);
    assert.ok(await charts.filter({ hasText: '' }).count() >= 6);
    const tierChart = page.getByRole('img', { name: en('reports.chart.callsByTier') });
    assert.equal(await tierChart.count(), 1, 'the chart is named by its title');
    const desc = await page.locator('#calls-tier-desc').textContent();
    assert.match(desc!, /calls by tier: Tier 1: \d+/);
    const total = Number((await page.locator('tr[data-figure="calls"] td').textContent())!.replace(/,/g, ''));
    assert.ok(total > 0, 'the demo has calls this fiscal year');
    await assertAccessible(page, 'the contact center report');
    await page.screenshot({ path: 'docs/screenshots/report.png', fullPage: true });

    // The fiscal-year form by keyboard (a plain GET form: the page has no script of its own).
    const fy = fiscalYearOf(todayIn('America/New_York'));
    await page.getByLabel(en('reports.form.fiscalYear'), { exact: true }).focus();
    await page.keyboard.press('ArrowDown'); // the year before
    await page.keyboard.press('ArrowUp');
    await page.getByRole('button', { name: en('reports.form.showYear') }).press('Enter');
    await page.waitForURL(/fiscalYear=/);
    assert.ok(page.url().includes(`fiscalYear=${fy}`), page.url());
    assert.ok((await page.getByTestId('report-period').textContent())!.includes(en('reports.fiscalYearText', { year: fy })));

    await page.goto(`${base}/reports/contact-center?fiscalYear=${fy}&lang=es`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), es('reports.title'));
    assert.equal(await page.getByRole('img', { name: es('reports.chart.callbacks') }).count(), 1);
    await assertAccessible(page, 'the contact center report in Spanish');
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    await page.close();
  });
});
