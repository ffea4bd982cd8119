/** Health, readiness, Prometheus metrics, the OpenAPI document and its reference page. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`operations [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('healthz and readyz answer while the database does', async () => {
      assert.deepEqual((await get('/healthz')).json(), { status: 'ok' });
      assert.deepEqual((await get('/readyz')).json(), { status: 'ready' });
    });

    test('metrics count requests by route pattern and time them in a histogram', async () => {
      await get('/healthz');
      await get('/api/v1/no-such-thing');
      const res = await get('/metrics');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.match(res.body, /http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
      assert.match(res.body, /http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
      assert.match(res.body, /http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz"\}/);
      assert.match(res.body, /process_cpu_user_seconds_total/);
    });

    test('the OpenAPI 3.1 document is generated from the validating schemas', async () => {
      const doc = (await get('/api/v1/openapi.json')).json();
      assert.equal(doc.openapi, '3.1.0');
      const login = doc.paths['/api/v1/auth/login'].post;
      const schema = login.requestBody.content['application/json'].schema;
      assert.deepEqual(schema.required.sort(), ['email', 'password']);
      assert.equal(schema.additionalProperties, false);
      assert.ok(doc.paths['/api/v1/audit'].get.parameters.some((p: { name: string }) => p.name === 'outcome'));
      assert.ok(doc.paths['/oauth/accesstoken'].post);
      assert.equal(doc.paths['/'], undefined, 'pages are not API operations');
    });

    test('the reference page lists every operation of the document', async () => {
      const doc = (await get('/api/v1/openapi.json')).json();
      const page = await get('/api/docs');
      assert.equal(page.statusCode, 200);
      for (const path of Object.keys(doc.paths)) assert.ok(page.body.includes(`<code>${path}</code>`), path);
      // Bearer is shown where the document asks for a bearer token, not for the token endpoint's client credentials.
      const article = (id: string) => page.body.slice(page.body.indexOf(`id="${id}"`), page.body.indexOf('</article>', page.body.indexOf(`id="${id}"`)));
      assert.match(article('get-api-v1-audit'), /<\/strong> Bearer<\/p>/);
      assert.doesNotMatch(article('post-oauth-accesstoken'), /<\/strong> Bearer<\/p>/);
      assert.doesNotMatch(article('get-api-v1-processing-times'), /<\/strong> Bearer<\/p>/);
    });
  });
}
