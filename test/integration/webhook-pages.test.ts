/** The /admin/webhooks pages through inject with a real session and CSRF forms (PageBrowser). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { databaseKinds } from '../support/databases.ts';
for (const kind of databaseKinds()) test(`webhook pages (en, es): list, form errors, create with the secret once, the log after "Send a test event", 403 for Tier 1 [${kind}]`, async () => {
  const t = await startTestApp(kind, { env: { WEBHOOKS_ALLOW_HTTP_LOCALHOST: 'true' } });
  try {
    const a = await t.signIn('admin');
    const b = new PageBrowser(t);
    await b.signIn(a.email);
    for (const lang of ['en', 'es']) {
      const l = await b.get(`/admin/webhooks?lang=${lang}`); assert.equal(l.statusCode, 200, l.body.slice(0, 500));
      const n = await b.get('/admin/webhooks/new'); assert.equal(n.statusCode, 200, n.body.slice(0, 500));
    }
    const bad = await b.post('/admin/webhooks', { url: 'http://x.test', description: '' }); assert.equal(bad.statusCode, 400); assert.match(bad.body, /https:\/\//);
    const c = await b.post('/admin/webhooks', { url: 'https://example.gov/h', description: 'Case system', events: 'case.status-changed' }); assert.equal(c.statusCode, 201, c.body.slice(0, 800)); assert.match(c.body, /whsec_/);
    const id = /\/admin\/webhooks\/([0-9a-f-]{36})/.exec(c.body)![1];
    const e = await b.get(`/admin/webhooks/${id}`); assert.equal(e.statusCode, 200, e.body.slice(0, 500));
    const tst = await b.post(`/admin/webhooks/${id}/test`, {}); assert.equal(tst.statusCode, 303);
    const e2 = await b.get(`/admin/webhooks/${id}?tested=1`); assert.match(e2.body, /data-delivery-id/);
    const tier1 = await t.signIn('tier1'); const b2 = new PageBrowser(t); await b2.signIn(tier1.email);
    assert.equal((await b2.get('/admin/webhooks')).statusCode, 403);
  } finally { await t.close(); }
});
