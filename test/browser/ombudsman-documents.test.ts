/**
 * The Documents step of the public case assistance request in Chromium, without JavaScript (the form posts
 * multipart/form-data itself): two files added and listed, one removed, a renamed text file refused with the
 * error summary, a 30 MB selection refused with the step again (413, never a reset connection), in English and
 * Spanish; then the analyst desk lists the sent document with its download link. axe (WCAG 2.1 AA) on each screen.
 * SCREENSHOTS=1 writes docs/screenshots/ombudsman-documents.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { assertAccessible, describeInChromium, launchChromium } from '../support/browser.ts';

const en = translator('en');
const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describeInChromium('the Ombudsman form\'s documents step in Chromium', () => {
  let t: TestApp;
  let base: string;
  let dir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let noScript: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let receipt: string;

  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    await t.deps.staff.addUser({ email: 'omb@agency.test', name: 'Olga Ombudsman', role: 'ombudsman', password: TEST_PASSWORD }, { kind: 'cli' });
    const record = caseRecord({});
    await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
    receipt = record.receiptNumber as string;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-docs-'));
    fs.writeFileSync(path.join(dir, 'letter.pdf'), PDF);
    fs.writeFileSync(path.join(dir, 'photo.png'), PNG);
    fs.writeFileSync(path.join(dir, 'notes.pdf'), 'only some text\n');
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `big${i}.pdf`), Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 - PDF.length - 10)]));
    browser = await launchChromium({ viewport: { width: 1024, height: 900 } });
    noScript = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('add, list, remove, refuse by bytes and by size; send; the desk lists it', async () => {
    const page = await noScript!.context.newPage();
    await page.goto(`${base}/ombudsman/case-assistance?lang=en`);
    await page.getByRole('button', { name: en('ombudsman.form.start') }).click();
    await page.getByLabel(en('ombudsman.form.field.requesterName')).fill('Luis Gómez');
    await page.getByLabel(en('ombudsman.form.field.requesterEmail')).fill('luis@example.org');
    await page.getByRole('button', { name: en('ombudsman.form.continue') }).click();
    await page.locator('#case1Receipt').fill(receipt);
    await page.locator('#case1Form').selectOption('I-130');
    await page.getByRole('button', { name: en('ombudsman.form.continue') }).click();
    await page.getByRole('button', { name: en('ombudsman.form.continue') }).click();
    await page.locator('#reasons').fill('Nobody answers about the case; I need help.');
    await page.getByRole('button', { name: en('ombudsman.form.continue') }).click();
    assert.match(page.url(), /\/documents\?lang=en$/);

    await page.locator('#files').setInputFiles([path.join(dir, 'letter.pdf'), path.join(dir, 'photo.png')]);
    await page.getByRole('button', { name: en('ombudsman.form.documents.add') }).click();
    assert.match(await page.locator('#kept-files').innerText(), /letter\.pdf[\s\S]*photo\.png|photo\.png[\s\S]*letter\.pdf/);
    await page.getByRole('button', { name: en('ombudsman.form.documents.removeLabel', { name: 'photo.png' }) }).click();
    assert.doesNotMatch(await page.locator('#kept-files').innerText(), /photo\.png/);

    await page.locator('#files').setInputFiles(path.join(dir, 'notes.pdf'));
    await page.getByRole('button', { name: en('ombudsman.form.documents.add') }).click();
    assert.match(await page.locator('#error-summary').innerText(), /"notes\.pdf" is not a PDF, JPEG or PNG file/);
    assert.match(await page.title(), /^Error: /);

    // 30 MB at once: the step again with its error (413), in English and then in Spanish.
    await page.locator('#files').setInputFiles([0, 1, 2].map((i) => path.join(dir, `big${i}.pdf`)));
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: en('ombudsman.form.documents.add') }).click()]);
    assert.equal(res.status(), 413);
    assert.match(await page.locator('#error-summary').innerText(), /Your files are too big\. They can be up to 25 MB in all\./);
    const url = page.url().replace(/lang=en/, 'lang=es');
    const checker = await browser!.context.newPage();
    await checker.goto(url.replace(/\?.*$/, '?lang=en'));
    await assertAccessible(checker, 'documents step (en)');
    if (process.env.SCREENSHOTS === '1') {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await checker.screenshot({ path: path.join(SCREENSHOTS, 'ombudsman-documents.png'), fullPage: true });
    }
    await page.goto(url.replace(/\?.*$/, '?lang=es'));
    await page.locator('#files').setInputFiles([0, 1, 2].map((i) => path.join(dir, `big${i}.pdf`)));
    await page.getByRole('button', { name: translator('es')('ombudsman.form.documents.add') }).click();
    assert.match(await page.locator('#error-summary').innerText(), /Sus archivos son muy grandes/);
    await checker.goto(url.replace(/\?.*$/, '?lang=es'));
    await assertAccessible(checker, 'documents step (es)');

    await page.goto(url.replace(/\/documents\?.*$/, '/review?lang=en'));
    assert.match(await page.locator('main').innerText(), /letter\.pdf \(PDF/);
    await page.getByRole('button', { name: en('ombudsman.form.review.send') }).click();
    const number = /CA\d{9}/.exec(await page.locator('main').innerText())?.[0];
    assert.ok(number, 'the done page names the request');

    const desk = await browser!.context.newPage();
    await desk.goto(`${base}/sign-in?lang=en&next=${encodeURIComponent(`/ombudsman/desk/${number}`)}`);
    await desk.getByLabel(en('signIn.email')).fill('omb@agency.test');
    await desk.getByLabel(en('signIn.password')).fill(TEST_PASSWORD);
    await desk.getByRole('button', { name: en('signIn.submit') }).click();
    await desk.waitForURL(`${base}/ombudsman/desk/${number}`);
    await desk.goto(`${base}/ombudsman/desk/${number}?lang=en`);
    const link = desk.getByRole('link', { name: en('ombudsman.desk.downloadLabel', { name: 'letter.pdf' }) });
    assert.equal(await link.count(), 1);
    await assertAccessible(desk, 'desk request with documents');
    const [download] = await Promise.all([desk.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'letter.pdf');
    assert.deepEqual(fs.readFileSync(await download.path()), PDF);
  });
});
