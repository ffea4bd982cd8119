/**
 * Issue 6, finding 1 ("unsafe edges"): sign-in's return address, and what Fastify and Node refuse before any
 * handler of ours runs. Each hostile request goes through app.inject and, because inject normalises some
 * things (and cannot send what Node's HTTP parser refuses), through a raw socket to a listening server too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/platform/http/security-headers.ts';
import { ERROR_CATALOGUE } from '../../src/platform/errors/catalogue.ts';

const en = JSON.parse(fs.readFileSync(new URL('../../src/platform/i18n/en.json', import.meta.url), 'utf8')) as { error: { title: Record<string, string> } };

/** One answer, however it was obtained. */
interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** Sends raw bytes on a fresh connection and reads the whole answer (every request says `Connection: close`). */
function rawRequest(port: number, request: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer within 5 s')); }, 5_000);
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1]), headers, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') });
    };
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', done);
    socket.on('error', (err) => (chunks.length ? done() : reject(err)));
    // Written, not ended: a half-closed connection may be dropped before an asynchronous answer is written.
    socket.on('connect', () => socket.write(request));
  });
}

interface Hostile {
  name: string;
  method?: string;
  /** The request target, exactly as sent. */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  /** Statuses allowed (400 or 404 unless said). */
  statuses?: number[];
  /** Parts of the input that must not come back in the body (the target itself is always checked). */
  markers?: string[];
  /** true: Node's parser refuses it, so app.inject cannot send it. */
  rawOnly?: boolean;
  /** The answer is the HTML error page (a browser asking for a page); otherwise problem details. */
  html?: boolean;
}

const LONG = 'a'.repeat(300);
const hostile: Hostile[] = [
  { name: 'overlong UTF-8 dots in an asset path', target: '/assets/uswds/%c0%ae%c0%ae/x', markers: ['%c0', '%C0'] },
  { name: 'overlong UTF-8 dots, asked for as a page', target: '/assets/uswds/%c0%ae%c0%ae/x', headers: { accept: 'text/html' }, markers: ['%c0', '%C0'] },
  { name: 'bad percent-encoding on a page path', target: '/staff/%c0%ae%c0%ae', headers: { accept: 'text/html,application/xhtml+xml' }, html: true, markers: ['%c0', '%C0'] },
  { name: 'a lone percent sign', target: '/%', headers: { accept: 'text/html' }, html: true },
  { name: 'bad percent-encoding on an API path', target: '/api/v1/%zz/evil.example', markers: ['%zz', 'evil.example'] },
  { name: 'a truncated multi-byte sequence', target: '/api/v1/visa-bulletins/%E0%A4%A', markers: ['%E0'] },
  { name: 'a parameter over the length limit', target: `/api/v1/visa-bulletins/${LONG}`, markers: [LONG.slice(0, 100)] },
  { name: 'dot-dot traversal out of the USWDS folder', target: '/assets/uswds/../../package.json', markers: ['package.json'], rawOnly: true },
  { name: 'encoded dot-dot traversal', target: '/assets/uswds/%2e%2e/%2e%2e/package.json', markers: ['package.json'] },
  { name: 'encoded-slash traversal', target: '/assets/uswds/..%2f..%2fpackage.json', markers: ['package.json'] },
  { name: 'encoded-backslash traversal', target: '/assets/uswds/..%5c..%5cpackage.json', markers: ['package.json'] },
  { name: 'backslash traversal', target: '/assets/uswds/..\\..\\package.json', markers: ['package.json'], rawOnly: true },
  // (app.inject resolves the encoded dots itself, asking for /package.json: an ordinary unknown page.)
  { name: 'traversal out of our own assets, asked for as a page', target: '/assets/app/%2e%2e/%2e%2e/%2e%2e/package.json', headers: { accept: 'text/html' }, markers: ['package.json'], rawOnly: true },
  { name: 'a NUL byte in an asset path', target: '/assets/app/site.css%00.js', markers: ['site.css'] },
  { name: 'a dotfile', target: '/assets/app/.gitignore', markers: ['gitignore'] },
  { name: 'a JSON body with a broken charset', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json; charset=' }, body: '{"email":"evil.example","password":', statuses: [400, 415], markers: ['evil.example'] },
  { name: 'a JSON body with an unknown charset', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json; charset=evil-example' }, body: '{"email":"evil.example","password":', statuses: [400, 415], markers: ['evil-example', 'evil.example'] },
  { name: 'a media type that only starts like JSON', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/jsonevil' }, body: '{}', statuses: [415], markers: ['jsonevil'] },
  { name: 'a media type with a hostile parameter', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json; x="<script>"' }, body: '{', statuses: [400, 415], markers: ['<script>'] },
  // Only Node's parser sees these: Fastify's clientErrorHandler answers them.
  { name: 'headers over the size limit', target: '/', headers: { 'x-evil': 'evil.example'.repeat(2000) }, markers: ['evil.example'], rawOnly: true },
  { name: 'a request line over the size limit', target: `/${'evil.example/'.repeat(1500)}`, markers: ['evil.example'], rawOnly: true },
  { name: 'a Content-Length that is not a number', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': 'evil' }, body: '{}', rawOnly: true },
  { name: 'two different Content-Lengths', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': '2', 'Content-Length': '3' }, body: '{}', rawOnly: true },
  { name: 'Content-Length beside chunked Transfer-Encoding', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': '2', 'transfer-encoding': 'chunked' }, body: '2\r\n{}\r\n0\r\n\r\n', rawOnly: true },
  { name: 'a chunk size that is not hexadecimal', method: 'POST', target: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: 'zz\r\n{}\r\n0\r\n\r\n', rawOnly: true },
  { name: 'a control character in the request target', target: '/\u0001evil.example', markers: ['evil.example'], rawOnly: true },
  { name: 'a space in the request target', target: '/a b/evil.example', markers: ['evil.example'], rawOnly: true },
  { name: 'a header with a newline folded into it', target: '/', headers: { 'x-evil': 'a\n evil.example' }, markers: ['evil.example'], rawOnly: true },
];

function rawBytes(h: Hostile): string {
  const headers = { host: 'switchboard.test', connection: 'close', ...(h.body !== undefined && !Object.keys(h.headers ?? {}).some((k) => /content-length|transfer-encoding/i.test(k)) ? { 'content-length': String(Buffer.byteLength(h.body)) } : {}), ...h.headers };
  return `${h.method ?? 'GET'} ${h.target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${h.body ?? ''}`;
}

/** What every answer to a hostile request must be. */
function assertRefusedSafely(h: Hostile, a: Answer, via: string): void {
  const what = `${h.name} (${via}): ${a.status} ${a.headers['content-type']} ${a.body.slice(0, 200)}`;
  assert.ok((h.statuses ?? [400, 404]).includes(a.status), what);
  assert.equal(a.headers['content-security-policy'], CONTENT_SECURITY_POLICY, what);
  assert.equal(a.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(a.headers['x-frame-options'], 'DENY', what);
  assert.match(a.headers['x-trace-id'] ?? '', /^[0-9a-f]{16}$/, what);
  for (const m of [...(h.target.length > 1 ? [h.target] : []), ...(h.markers ?? [])]) assert.ok(!a.body.includes(m), `${what}: echoes ${JSON.stringify(m.slice(0, 40))}`);
  if (h.html) {
    assert.match(a.headers['content-type'] ?? '', /^text\/html/, what);
    assert.ok(a.body.includes(en.error.title[String(a.status)]!), `${what}: the error page's heading`);
    assert.ok(a.body.includes(a.headers['x-trace-id']!), `${what}: the error page's trace ID`);
  } else {
    assert.match(a.headers['content-type'] ?? '', /^application\/problem\+json/, what);
    const p = JSON.parse(a.body) as { type: string; status: number; code: keyof typeof ERROR_CATALOGUE; traceId: string; title: string };
    assert.equal(ERROR_CATALOGUE[p.code]?.status, a.status, what);
    assert.deepEqual([p.type, p.status, p.title, p.traceId], [`/problems/${p.code}`, a.status, ERROR_CATALOGUE[p.code].title, a.headers['x-trace-id']], what);
  }
}

const cookieHeader = (res: { cookies: Array<{ name: string; value: string }> }) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

for (const kind of databaseKinds()) {
  describe(`unsafe edges [${kind}]`, () => {
    let t: TestApp;
    let port: number;
    before(async () => {
      t = await startTestApp(kind);
      port = Number(new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).port);
    });
    after(() => t.close());

    /** Signs in through the form with this `next` and returns where the browser is sent. */
    const signInWithNext = async (email: string, next: string) => {
      const form = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const res = await t.app.inject({
        method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(form) },
        payload: new URLSearchParams({ _csrf: csrfOf(form.body), email, password: TEST_PASSWORD, next }).toString(),
      });
      return res;
    };

    test('sign-in follows only same-site paths, as a browser parses them; hostile ones go to /staff', async () => {
      const email = `next.edges.${kind}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'Next Edges', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const cases: Array<[string, string]> = [
        ['/\t/evil.example', '/staff'], ['/\n/evil.example', '/staff'], ['/\r/evil.example', '/staff'], ['//evil.example', '/staff'],
        ['/\\evil.example', '/staff'], ['/.//evil.example', '/staff'], ['javascript:alert(1)', '/staff'], ['https://evil.example/', '/staff'],
        [`/${'a'.repeat(5000)}`, '/staff'],
        ['/staff?tab=1', '/staff?tab=1'], ['/processing-times', '/processing-times'], ['/café', '/caf%C3%A9'],
      ];
      for (const [next, expected] of cases) {
        const res = await signInWithNext(email, next);
        assert.equal(res.statusCode, 303, `${JSON.stringify(next)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.equal(res.headers.location, expected, JSON.stringify(next));
      }
    });

    test('the sign-in page signed in already sends a hostile next to /staff, and keeps only a safe one in its form', async () => {
      const email = `next.get.${kind}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'Next Get', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const signedIn = await signInWithNext(email, '/staff');
      const session = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      for (const next of ['/%09/evil.example', '/%0a/evil.example', '/%5cevil.example', '%2F%2Fevil.example']) {
        const res = await t.app.inject({ method: 'GET', url: `/sign-in?next=${next}`, headers: { cookie: session } });
        assert.equal(res.statusCode, 302, next);
        assert.equal(res.headers.location, '/staff', next);
      }
      const form = await t.app.inject({ method: 'GET', url: '/sign-in?next=/%09/evil.example' });
      assert.equal(form.statusCode, 200);
      assert.deepEqual([.../<input[^>]*name="next"[^>]*>/g.exec(form.body) ?? []].map((i) => /value="([^"]*)"/.exec(i)?.[1]), ['/staff'], 'a hostile next is not carried in the form');
    });

    for (const h of hostile) {
      if (!h.rawOnly) {
        test(`app.inject: ${h.name}`, async () => {
          const res = await t.app.inject({ method: (h.method ?? 'GET') as 'GET', url: h.target, headers: h.headers ?? {}, ...(h.body !== undefined ? { payload: h.body } : {}) });
          assertRefusedSafely(h, { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }, 'inject');
        });
      }
      test(`raw socket: ${h.name}`, async () => {
        assertRefusedSafely(h, await rawRequest(port, rawBytes(h)), 'socket');
      });
    }

    test('the connection still serves after a refused path (keep-alive), and a good asset is still served', async () => {
      const good = await rawRequest(port, 'GET /assets/app/site.css HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      assert.equal(good.status, 200);
      assert.match(good.headers['content-type'] ?? '', /^text\/css/);
      const uswds = await t.app.inject({ method: 'GET', url: '/assets/uswds/js/uswds.min.js' });
      assert.equal(uswds.statusCode, 200);
    });
  });
}
