/**
 * The supervisor's live view and the public call-record look-up in Chromium, on the start-up demo's calls and
 * callbacks (src/contacts/seed.ts over a few thousand synthetic cases): the live view loads, a callback made
 * through the service appears without a reload (server-sent events) and the live region says so, an update waits
 * while keyboard focus is in the tables, axe finds nothing in English and Spanish, nothing scrolls sideways on a phone; the call-record look-up finds a
 * demo call from its mailed link and says the same for any wrong pair. Screenshots: docs/screenshots/supervisor.png
 * and call-record.png. Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { DEMO_PASSWORD, seedDemoStaff } from '../../src/demo.ts';
import { seedCases } from '../../src/cases/seed/run.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { seedDemoContacts } from '../../src/contacts/seed.ts';
import { seedDemoServiceRequests } from '../../src/service-requests/seed.ts';
import { formatContactReference } from '../../src/domain/contact-reference.ts';
import type { Actor, StaffUser } from '../../src/platform/actor.ts';

const en = translator('en');
const es = translator('es');
const HOUR = 3_600_000;

describeInChromium('the supervisor live view and the call-record look-up in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  const users: Record<string, StaffUser> = {};
  const as = (email: string): Actor => ({ kind: 'staff', sessionId: 'test', user: users[email]! });
  let n = 0;

  /** A callback made `hoursAgo` hours ago by the demo's Tier 1 agent, through the services. */
  async function newCallback(hoursAgo: number, reason: string): Promise<string> {
    const at = () => new Date(Date.now() - hoursAgo * HOUR);
    const tina = as('tier1@demo.switchboard.test');
    const key = `browser-${++n}`;
    const call = JSON.parse((await t.deps.contacts.withClock(at).open(tina, { channel: 'phone', callerPhone: '(202) 555-0175', language: 'en' }, { scope: 'test', key: null, requestHash: key })).body) as { id: string };
    // The demo's English-only officer is free: away first, so this becomes a callback rather than a live transfer.
    await t.deps.callbacks.setPresence(as('tier2@demo.switchboard.test'), 'away');
    const made = JSON.parse((await t.deps.callbacks.withClock(at).escalate(tina, call.id, { reason, urgency: 'urgent' }, { scope: 'test', key: null, requestHash: `${key}-cb` })).body) as { id: string; mode: string };
    assert.equal(made.mode, 'callback');
    return made.id;
  }

  before(async () => {
    t = await startTestApp('sqlite');
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
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, next: string, email: string) {
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: en('signIn.submit') }).click();
    await page.waitForURL(`${base}${next}`);
  }

  test('the live view: loads, shows a new callback without a reload, announces it, holds updates while focus is in it; axe clean in English and Spanish', async () => {
    const page = await context.newPage();
    await signIn(page, '/supervisor', 'supervisor@demo.switchboard.test');
    await page.locator('#sb-live[data-live="on"]').waitFor();
    await page.getByText(en('supervisor.status.live')).waitFor();
    await assertAccessible(page, 'the supervisor live view');
    assert.ok(await page.locator('#overdue-callbacks a[href^="/desk/callbacks/"]').count() >= 1, 'overdue callbacks link to the desk');
    assert.ok(await page.locator('#missed-callbacks a[href^="/desk/callbacks/"]').count() >= 1, 'missed callbacks link to the desk');
    await page.screenshot({ path: 'docs/screenshots/supervisor.png', fullPage: true });

    // A change made through the service shows up without a reload, and the live region says what changed.
    const announced = await page.locator('#sb-live-announce').textContent();
    const id = await newCallback(75, 'The caller asks why the interview was cancelled without a new date.');
    await page.locator(`#overdue-callbacks tr[data-callback="${id}"]`).waitFor();
    await page.waitForFunction((before) => document.getElementById('sb-live-announce')!.textContent !== before && document.getElementById('sb-live-announce')!.textContent !== '', announced);
    assert.match((await page.locator('#sb-live-announce').textContent())!, /Callbacks: \d+ due, \d+ overdue/);

    // With keyboard focus on a link in the tables, the next update waits (nothing moves under the person)…
    const link = page.locator('#overdue-callbacks a').first();
    await link.focus();
    const held = await newCallback(76, 'The caller asks about a second biometrics appointment letter.');
    await page.getByText(en('supervisor.status.held')).waitFor();
    assert.equal(await page.locator(`tr[data-callback="${held}"]`).count(), 0, 'not yet shown while focus is inside');
    assert.ok(await link.evaluate((el) => el === document.activeElement), 'focus stayed where it was');
    // …and shows once focus leaves the live part.
    await page.keyboard.press('Shift+Tab');
    while (await page.evaluate(() => document.getElementById('sb-live')!.contains(document.activeElement))) await page.keyboard.press('Shift+Tab');
    await page.locator(`tr[data-callback="${held}"]`).waitFor();

    await page.goto(`${base}/supervisor?lang=es`);
    await page.locator('#sb-live[data-live="on"]').waitFor();
    await page.getByText(es('supervisor.status.live')).waitFor();
    await assertAccessible(page, 'the supervisor live view in Spanish');
    // On a phone the wide tables stack, row by row: the page never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    await page.close();
  });

  test('without JavaScript: the same data, and the page says to reload', async () => {
    const noJs = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await noJs.context.newPage();
      await signIn(page, '/supervisor', 'supervisor@demo.switchboard.test');
      // The status line keeps its reload advice when no script replaces it (Chromium's script switch leaves the
      // parser's <noscript> handling as if scripts ran, so the <noscript> line is checked in the HTML instead).
      await page.getByText(en('supervisor.status.static')).waitFor();
      assert.ok((await page.content()).includes(en('supervisor.status.noscript')));
      assert.ok(await page.locator('#overdue-callbacks tr[data-callback]').count() >= 1);
    } finally {
      await noJs.close();
    }
  });

  test('the call-record look-up: from the mailed link to the record; a wrong pair; axe clean', async () => {
    const call = await t.deps.database.db.selectFrom('contacts').innerJoin('service_requests', 'service_requests.contact_id', 'contacts.id')
      .select(['contacts.reference', 'contacts.caller_phone']).where('contacts.ended_at', 'is not', null).executeTakeFirstOrThrow();
    const page = await context.newPage();
    await page.context().clearCookies();
    await page.goto(`${base}/call-record?reference=${call.reference}`);
    assert.equal(await page.getByLabel(en('callRecord.field.reference')).inputValue(), call.reference);
    await assertAccessible(page, 'the call-record form');
    await page.getByLabel(en('callRecord.field.phone')).fill('(202) 555-0100');
    await page.getByRole('button', { name: en('callRecord.submit') }).click();
    await page.getByText(en('callRecord.notFound')).waitFor();
    await assertAccessible(page, 'the call-record look-up with no call found');
    await page.getByLabel(en('callRecord.field.phone')).fill(call.caller_phone!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3'));
    await page.getByRole('button', { name: en('callRecord.submit') }).click();
    await page.getByRole('heading', { level: 1, name: en('callRecord.resultHeading') }).waitFor();
    assert.equal(await page.getByTestId('reference').textContent(), formatContactReference(call.reference));
    await assertAccessible(page, 'the call record');
    await page.screenshot({ path: 'docs/screenshots/call-record.png', fullPage: true });
    await page.goto(`${base}/call-record?lang=es`);
    await assertAccessible(page, 'the call-record form in Spanish');
    await page.close();
  });
});
