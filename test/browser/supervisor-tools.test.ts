/**
 * The supervisor's tools in Chromium, each task done with the keyboard only (focus, arrow keys, Enter), and axe on
 * every page in English and Spanish: reassign a claimed request and a held callback (and see a refusal), read an
 * agent's day, read denied access; the same move without JavaScript. Screenshots go to /tmp/shots-supervisor/ (or
 * SHOTS_DIR). Skipped without /usr/bin/chromium locally, a failure in CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import type { Actor } from '../../src/platform/actor.ts';
import type { Role } from '../../src/domain/roles.ts';
import { todayIn } from '../../src/domain/calendar.ts';

const en = translator('en');
const es = translator('es');
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-supervisor';

describeInChromium('the supervisor tools in Chromium, by keyboard', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const people: Record<string, { id: string; email: string; actor: Actor }> = {};
  let n = 0;
  const idem = () => ({ scope: 'test', key: null, requestHash: `browser-${++n}` });

  const person = async (key: string, role: Role, name: string, office: string | null, skills?: string[]) => {
    const email = `${key}@agency.test`;
    const u = await t.deps.staff.addUser({ email, name, role, office, password: TEST_PASSWORD, ...(skills ? { skills } : {}) }, { kind: 'cli' });
    people[key] = { id: u.id, email, actor: { kind: 'staff', sessionId: 'test', user: { id: u.id, email, name, role, office, agentId: u.agentId } } };
  };
  const claimedRequest = async () => {
    const record = caseRecord({ office: 'VSC' });
    await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
    const made = JSON.parse((await t.deps.serviceRequests.create(people.tina!.actor, { receiptNumber: record.receiptNumber as string, type: 'other', details: 'The caller asks why the interview letter never came.' }, idem())).body) as { referralNumber: string };
    await t.deps.serviceRequests.claim(people.vera!.actor, made.referralNumber);
    return made.referralNumber;
  };
  const heldCallback = async () => {
    const call = JSON.parse((await t.deps.contacts.open(people.tina!.actor, { channel: 'phone', callerPhone: '(202) 555-0143', language: 'en' }, idem())).body) as { id: string };
    const cb = JSON.parse((await t.deps.callbacks.escalate(people.tina!.actor, call.id, { reason: 'Caller needs a decided case explained.', urgency: 'urgent' }, idem())).body) as { id: string };
    await t.deps.callbacks.attempt(people.omar!.actor, cb.id, 'no-answer');
    return cb.id;
  };

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp('sqlite');
    await person('sam', 'supervisor', 'Sam Okafor', null);
    await person('ada', 'admin', 'Ada Admin', null);
    await person('tina', 'tier1', 'Tina Reyes', null);
    await person('omar', 'tier2', 'Omar Haddad', null, ['en']);
    await person('rosa', 'tier2', 'Rosa Díaz', null, ['en', 'es']);
    await person('lee', 'tier2', 'Lee Chen', null, ['es']);
    await person('vera', 'office', 'Vera Worker', 'VSC');
    await person('victor', 'office', 'Victor Worker', 'VSC');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, next: string, email: string) {
    await page.context().clearCookies();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel(en('signIn.email')).fill(email);
    await page.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await page.getByLabel(en('signIn.password')).press('Enter');
    await page.waitForURL(`${base}${next}`);
  }
  /** Chooses an option of a <select> with the arrow keys only. */
  async function choose(select: Locator, value: string) {
    await select.focus();
    await select.press('Home');
    for (let i = 0; i < 60 && (await select.inputValue()) !== value; i++) await select.press('ArrowDown');
    assert.equal(await select.inputValue(), value);
  }
  /** Moves focus forward with Tab until it is on `target`, then presses Enter. */
  async function tabTo(page: Page, target: Locator) {
    for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.ok(await target.evaluate((el) => el === document.activeElement), 'reached by Tab');
    await page.keyboard.press('Enter');
  }

  test('reassign: a request and a callback moved by keyboard, a refusal explained, axe clean in English and Spanish', async () => {
    const ref = await claimedRequest();
    const cb = await heldCallback();
    const page = await browser!.context.newPage();
    await signIn(page, '/supervisor/reassign', people.sam!.email);
    await assertAccessible(page, 'the reassign page');
    await choose(page.getByLabel(en('supervisorTools.reassign.agentLabel')), people.vera!.id);
    await tabTo(page, page.getByRole('button', { name: en('supervisorTools.reassign.show') }));
    await page.locator(`tr[data-request="${ref}"]`).waitFor();
    await assertAccessible(page, 'an office worker\'s open work');
    await page.screenshot({ path: `${SHOTS}/reassign-request.png`, fullPage: true });
    const row = page.locator(`tr[data-request="${ref}"]`);
    await choose(row.locator('select'), people.victor!.id);
    await tabTo(page, row.getByRole('button'));
    await page.getByTestId('moved').waitFor();
    assert.equal((await page.getByTestId('moved').textContent())?.trim(), en('supervisorTools.reassign.movedOne', { name: 'Victor Worker' }));
    assert.equal(await page.locator(`tr[data-request="${ref}"]`).count(), 0);
    await page.screenshot({ path: `${SHOTS}/reassign-moved.png`, fullPage: true });

    // Omar's callback: Lee (Spanish only) is not offered; a stale choice is refused with the error summary focused.
    await page.goto(`${base}/supervisor/reassign?agent=${people.omar!.id}`);
    const cbRow = page.locator(`tr[data-callback="${cb}"]`);
    assert.equal(await cbRow.locator(`option[value="${people.lee!.id}"]`).count(), 0);
    await cbRow.locator('select').evaluate((el, lee) => { const o = document.createElement('option'); o.value = lee; o.textContent = 'Lee Chen'; el.appendChild(o); }, people.lee!.id);
    await choose(cbRow.locator('select'), people.lee!.id);
    await tabTo(page, cbRow.getByRole('button'));
    await page.locator('#error-summary').waitFor();
    assert.match(await page.title(), /^Error: /);
    assert.ok((await page.locator('#error-summary').textContent())!.includes(en('supervisorTools.reassign.error.lacks-skills', { name: 'Lee Chen', skills: 'English' })));
    await assertAccessible(page, 'a refused move');
    await page.screenshot({ path: `${SHOTS}/reassign-refused.png`, fullPage: true });
    // The error's link takes focus to the select; then a right choice moves it.
    await page.locator('#error-summary a').first().focus();
    await page.keyboard.press('Enter');
    assert.ok(await page.locator(`#to-${cb}`).evaluate((el) => el === document.activeElement), 'the link focuses the select');
    await choose(page.locator(`#to-${cb}`), people.rosa!.id);
    await tabTo(page, page.locator(`tr[data-callback="${cb}"]`).getByRole('button'));
    await page.getByTestId('moved').waitFor();

    await page.goto(`${base}/supervisor/reassign?agent=${people.rosa!.id}&lang=es`);
    await page.locator(`tr[data-callback="${cb}"]`).waitFor();
    assert.equal(await page.locator('h1').textContent(), es('supervisorTools.reassign.title'));
    await assertAccessible(page, 'the reassign page in Spanish');
    await page.screenshot({ path: `${SHOTS}/reassign-es.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    await page.screenshot({ path: `${SHOTS}/reassign-phone.png`, fullPage: true });
    await page.close();
  });

  test('an agent\'s day and denied access by keyboard, axe clean in English and Spanish', async () => {
    await heldCallback();
    const call = JSON.parse((await t.deps.contacts.open(people.tina!.actor, { channel: 'phone', callerPhone: '(202) 555-0188', language: 'en' }, idem())).body) as { id: string };
    await t.deps.contacts.end(people.tina!.actor, call.id, { disposition: 'resolved' });
    const page = await browser!.context.newPage();
    await signIn(page, '/supervisor/agent-day', people.sam!.email);
    await choose(page.getByLabel(en('supervisorTools.day.agentLabel')), people.tina!.id);
    await page.getByLabel(en('supervisorTools.day.dateLabel')).focus();
    await tabTo(page, page.getByRole('button', { name: en('supervisorTools.day.show') }));
    await page.locator('#day-calls tbody tr').first().waitFor();
    assert.equal(await page.locator('section[data-day]').getAttribute('data-day'), todayIn(t.deps.agency.timeZone));
    await assertAccessible(page, 'an agent\'s day');
    await page.screenshot({ path: `${SHOTS}/agent-day.png`, fullPage: true });
    await page.goto(`${base}/supervisor/agent-day?agent=${people.omar!.id}&lang=es`);
    await page.locator('#day-attempts').waitFor();
    await assertAccessible(page, 'an agent\'s day in Spanish');
    await page.screenshot({ path: `${SHOTS}/agent-day-es.png`, fullPage: true });

    // A refusal for Tina, then the supervisor reads it on the denied-access page.
    const other = await launchChromium();
    try {
      const p2 = await other.context.newPage();
      await signIn(p2, '/staff', people.tina!.email);
      const res = await p2.goto(`${base}/supervisor/reassign`);
      assert.equal(res?.status(), 403);
    } finally {
      await other.close();
    }
    // The page remembers Spanish from the last visit; English again from the live view's link.
    await page.goto(`${base}/supervisor?lang=en`);
    await tabTo(page, page.getByRole('link', { name: en('supervisorTools.denied.title') }));
    await page.waitForURL(`${base}/supervisor/denied-access`);
    await page.locator(`#denied tr[data-staff="${people.tina!.id}"]`).first().waitFor();
    await assertAccessible(page, 'denied access');
    await page.screenshot({ path: `${SHOTS}/denied.png`, fullPage: true });
    await choose(page.getByLabel(en('supervisorTools.denied.agentLabel')), people.tina!.id);
    await tabTo(page, page.getByRole('button', { name: en('supervisorTools.denied.show') }));
    await page.waitForURL(/agent=/);
    assert.ok(await page.locator('#denied tbody tr').count() >= 1);
    await page.goto(`${base}/supervisor/denied-access?lang=es`);
    await assertAccessible(page, 'denied access in Spanish');
    await page.screenshot({ path: `${SHOTS}/denied-es.png`, fullPage: true });
    await page.close();
  });

  test('without JavaScript: a move is the same plain form', async () => {
    const ref = await claimedRequest();
    const noJs = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await noJs.context.newPage();
      await signIn(page, `/supervisor/reassign?agent=${people.vera!.id}`, people.sam!.email);
      const row = page.locator(`tr[data-request="${ref}"]`);
      await row.locator('select').selectOption(people.victor!.id);
      await row.getByRole('button').press('Enter');
      await page.getByTestId('moved').waitFor();
      const holder = await t.deps.database.db.selectFrom('service_requests').select('claimed_by').where('referral_number', '=', ref).executeTakeFirstOrThrow();
      assert.equal(holder.claimed_by, people.victor!.id);
    } finally {
      await noJs.close();
    }
  });
});
