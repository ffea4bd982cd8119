/**
 * Documents of Ombudsman case assistance requests (issue 10 item 1), on SQLite and PostgreSQL: PDF, JPEG and PNG
 * recognised by their bytes (a renamed text or HTML file is refused, 415 naming it); the public form's Documents
 * step keeps them in the draft and sending attaches them to the request; the Ombudsman's staff attach, list and
 * download (attachment, nosniff, no-store, the sniffed type, the same bytes), each download audited; nobody else.
 * The limits (10 MB a file, 5 files and 25 MB a request) answer 413 naming the limit, read by a real `fetch` that
 * sends its whole body first (30 MB), as JSON on the API and as the step again with its error on the form.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { caseRecord } from '../support/factories.ts';

const MB = 1024 * 1024;
/** Tiny valid files, by their magic bytes. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'), Buffer.alloc(64), Buffer.from([0xff, 0xd9])]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A multipart body as a browser sends it (the platform's own FormData encoder). */
async function multipart(fields: Record<string, string>, files: Array<{ name: string; bytes: Buffer; type?: string }>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const req = new Request('http://x/', { method: 'POST', body: fd });
  return { payload: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

for (const kind of databaseKinds()) {
  describe(`Ombudsman documents [${kind}]`, () => {
    let t: TestApp;
    let ombudsman: { token: string; email: string };
    let base: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '10000' } });
      ombudsman = await t.signIn('ombudsman');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    const load = async () => {
      const record = caseRecord({});
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0);
      return record.receiptNumber as string;
    };
    const newRequest = async () => {
      const rn = await load();
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ombudsman/case-assistance', payload: { requester: { name: 'Ana Pérez', email: 'ana@example.org' }, cases: [{ receiptNumber: rn, formType: 'I-130' }], reasons: 'Pending for years; nobody answers my letters.' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().requestNumber as string;
    };
    const attach = async (n: string, files: Array<{ name: string; bytes: Buffer; type?: string }>, token = ombudsman.token) => {
      const { payload, contentType } = await multipart({}, files);
      return t.app.inject({ method: 'POST', url: `/api/v1/ombudsman/case-assistance/${n}/documents`, payload, headers: { ...bearer(token), 'content-type': contentType } });
    };
    /** A draft filled up to its documents step, in a browser (its cookies and CSRF token). */
    const draftAtDocuments = async () => {
      const rn = await load();
      const b = new PageBrowser(t);
      await b.get('/ombudsman/case-assistance?lang=en');
      const started = await b.post('/ombudsman/case-assistance/start?lang=en', {});
      const draft = (started.headers.location as string).replace(/\/you\?.*$/, '');
      assert.equal((await b.post(`${draft}/you?lang=en`, { requesterName: 'Luis Gómez', requesterEmail: 'luis@example.org', filingFor: 'self' })).statusCode, 303);
      assert.equal((await b.post(`${draft}/cases?lang=en`, { case1Receipt: rn, case1Form: 'I-130' })).statusCode, 303);
      assert.equal((await b.post(`${draft}/actions?lang=en`, {})).statusCode, 303);
      const reasons = await b.post(`${draft}/reasons?lang=en`, { reasons: 'Nobody answers about the case; I need help.' });
      assert.equal(reasons.headers.location, `${draft}/documents?lang=en`);
      const step = await b.get(`${draft}/documents?lang=en`);
      assert.equal(step.statusCode, 200);
      return { b, draft, step };
    };
    const upload = async (b: PageBrowser, draft: string, files: Array<{ name: string; bytes: Buffer }>, action = 'add', lang = 'en') => {
      const { payload, contentType } = await multipart({ _csrf: b.csrf, action }, files);
      const cookie = Object.entries(b.jar).map(([k, v]) => `${k}=${v}`).join('; ');
      return t.app.inject({ method: 'POST', url: `${draft}/documents?lang=${lang}`, payload, headers: { 'content-type': contentType, cookie } });
    };

    test('the form: PDF and PNG kept in the draft, a renamed text file refused naming it, one removed; sending attaches them to the request', async () => {
      const { b, draft, step } = await draftAtDocuments();
      assert.match(step.body, /enctype="multipart\/form-data"/);
      assert.match(step.body, /You have not added any files/);
      const kept = await upload(b, draft, [{ name: 'letter.pdf', bytes: PDF }, { name: '../../etc/scan.png', bytes: PNG }]);
      assert.equal(kept.statusCode, 303, kept.body.slice(0, 800));
      const listed = await b.get(kept.headers.location as string);
      assert.match(listed.body, /We kept your files/);
      assert.match(listed.body, />letter\.pdf</);
      assert.match(listed.body, />scan\.png</, 'the folders of the given name are dropped');
      assert.match(listed.body, /PNG/);

      const renamed = await upload(b, draft, [{ name: 'notes.pdf', bytes: Buffer.from('just some text, not a PDF at all\n') }]);
      assert.equal(renamed.statusCode, 415);
      assert.match(renamed.body, /id="error-summary"/);
      assert.match(renamed.body, /&quot;notes\.pdf&quot; is not a PDF, JPEG or PNG file/);
      assert.match(renamed.body, /aria-invalid="true"/);
      const html = await upload(b, draft, [{ name: 'page.pdf', bytes: Buffer.from('<!doctype html><html><script>alert(1)</script></html>') }]);
      assert.equal(html.statusCode, 415);

      // Without the CSRF token nothing is kept.
      const { payload, contentType } = await multipart({ action: 'add' }, [{ name: 'x.png', bytes: PNG }]);
      const forged = await t.app.inject({ method: 'POST', url: `${draft}/documents?lang=en`, payload, headers: { 'content-type': contentType, cookie: Object.entries(b.jar).map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(forged.statusCode, 403);

      const docs = await t.deps.database.db.selectFrom('case_assistance_documents').select(['id', 'file_name', 'media_type', 'request_number', 'draft_hash']).where('draft_hash', 'is not', null).orderBy('uploaded_at').execute();
      const mine = docs.filter((d) => ['letter.pdf', 'scan.png'].includes(d.file_name));
      assert.deepEqual(mine.map((d) => d.media_type).sort(), ['application/pdf', 'image/png']);
      assert.equal(docs.filter((d) => d.file_name === 'x.png').length, 0);
      const png = mine.find((d) => d.file_name === 'scan.png')!;
      const removed = await b.post(`${draft}/documents/remove?lang=en`, { documentId: png.id });
      assert.equal(removed.statusCode, 303);
      const after1 = await b.get(removed.headers.location as string);
      assert.doesNotMatch(after1.body, />scan\.png</);

      const toReview = await upload(b, draft, [], 'continue');
      assert.equal(toReview.headers.location, `${draft}/review?lang=en`);
      const review = await b.get(`${draft}/review?lang=en`);
      assert.match(review.body, /letter\.pdf \(PDF/);
      await b.get(`${draft}/review?lang=en`);
      const sent = await b.post(`${draft}/submit?lang=en`, {});
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
      const row = await t.deps.database.db.selectFrom('case_assistance_documents').selectAll().where('id', '=', mine.find((d) => d.file_name === 'letter.pdf')!.id).executeTakeFirstOrThrow();
      assert.match(row.request_number ?? '', /^CA\d{9}$/);
      assert.equal(row.draft_hash, null);
      assert.equal(sha(Buffer.from(row.content)), sha(PDF));
      const list = await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${row.request_number}/documents`, headers: bearer(ombudsman.token) });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().items.map((d: { fileName: string }) => d.fileName), ['letter.pdf']);

      // Spanish: the same step in Spanish, the error in Spanish.
      const es = await upload(b, draft, [{ name: 'x.png', bytes: PNG }], 'add', 'es');
      assert.equal(es.statusCode, 303, 'a sent draft goes to its done page');
    });

    test('the API: the Ombudsman attaches a JPEG, lists, downloads the same bytes with safe headers, each download audited; nobody else', async () => {
      const n = await newRequest();
      const added = await attach(n, [{ name: 'mailed letter é.jpg', bytes: JPEG, type: 'text/html' }]);
      assert.equal(added.statusCode, 201, added.body);
      const doc = added.json().items[0] as { id: string; mediaType: string; size: number; sha256: string; fileName: string };
      assert.equal(doc.mediaType, 'image/jpeg', 'the type comes from the bytes, not the declared type');
      assert.equal(doc.size, JPEG.length);
      assert.equal(doc.sha256, sha(JPEG));

      for (let i = 0; i < 2; i++) {
        const dl = await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${n}/documents/${doc.id}`, headers: bearer(ombudsman.token) });
        assert.equal(dl.statusCode, 200);
        assert.equal(dl.headers['content-type'], 'image/jpeg');
        assert.equal(dl.headers['x-content-type-options'], 'nosniff');
        assert.equal(dl.headers['cache-control'], 'no-store');
        assert.match(dl.headers['content-disposition'] as string, /^attachment; filename="mailed letter e\.jpg"; filename\*=UTF-8''mailed%20letter%20%C3%A9\.jpg$/);
        assert.equal(sha(dl.rawPayload), sha(JPEG));
      }
      const audits = await t.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'case-assistance-document-download').where('subject', '=', `case-assistance-document:${doc.id}`).execute();
      assert.equal(audits.length, 2);
      assert.equal(audits[0]!.purpose, `case-assistance:${n}`);
      assert.match(audits[0]!.actor, /staff:/);

      const refused = await attach(n, [{ name: 'invoice.png', bytes: Buffer.from('MZ\x90\0\x03\0\0\0 this is an exe', 'latin1') }]);
      assert.equal(refused.statusCode, 415);
      assert.equal(problem(refused).code, 'unsupported-media-type');
      assert.match(problem(refused).detail, /"invoice\.png" is not a PDF, JPEG or PNG file/);

      const tier2 = await t.signIn('tier2');
      const supervisor = await t.signIn('supervisor');
      for (const who of [tier2, supervisor]) {
        const dl = await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${n}/documents/${doc.id}`, headers: bearer(who.token) });
        assert.equal(dl.statusCode, 403);
        assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${n}/documents`, headers: bearer(who.token) })).statusCode, 403);
        assert.equal((await attach(n, [{ name: 'a.pdf', bytes: PDF }], who.token)).statusCode, 403);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${n}/documents/${doc.id}` })).statusCode, 401);
      const other = await newRequest();
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${other}/documents/${doc.id}`, headers: bearer(ombudsman.token) })).statusCode, 404, 'a document of another request is not there');

      // The analyst desk lists it with a download link that answers the same bytes.
      const desk = await new PageBrowser(t).signIn(ombudsman.email);
      const page = await desk.get(`/ombudsman/desk/${n}`);
      assert.equal(page.statusCode, 200, page.body.slice(0, 500));
      assert.match(page.body, new RegExp(`href="/ombudsman/desk/${n}/documents/${doc.id}"`));
      assert.match(page.body, /mailed letter é\.jpg|mailed letter &eacute;\.jpg/);
      const fromDesk = await desk.get(`/ombudsman/desk/${n}/documents/${doc.id}`);
      assert.equal(fromDesk.statusCode, 200);
      assert.equal(sha(fromDesk.rawPayload), sha(JPEG));
      assert.match(fromDesk.headers['content-disposition'] as string, /^attachment;/);
    });

    test('per-request limits: a sixth file answers 413 naming the limit; nothing of that upload is kept', async () => {
      const n = await newRequest();
      assert.equal((await attach(n, [1, 2, 3, 4].map((i) => ({ name: `p${i}.png`, bytes: PNG })))).statusCode, 201);
      const two = await attach(n, [{ name: 'p5.png', bytes: PNG }, { name: 'p6.png', bytes: PNG }]);
      assert.equal(two.statusCode, 413);
      assert.equal(problem(two).code, 'payload-too-large');
      assert.match(problem(two).detail, /at most 5 documents/);
      assert.equal((await attach(n, [{ name: 'p5.png', bytes: PNG }])).statusCode, 201);
      const list = await t.app.inject({ method: 'GET', url: `/api/v1/ombudsman/case-assistance/${n}/documents`, headers: bearer(ombudsman.token) });
      assert.equal(list.json().total, 5);
    });

    test('over the limits with a real fetch that sends the whole body first: 413 problem on the API, the step again on the form', async () => {
      const n = await newRequest();
      const auth = { authorization: `Bearer ${ombudsman.token}` };
      const send = async (url: string, fd: FormData, headers: Record<string, string>) => {
        const res = await fetch(`${base}${url}`, { method: 'POST', body: fd, headers, signal: AbortSignal.timeout(60_000) });
        return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
      };
      // One file of 11 MB (the request under 26 MB): refused at the per-file limit, read to the end first.
      const big = new FormData();
      big.append('file', new Blob([new Uint8Array(Buffer.concat([PDF, Buffer.alloc(11 * MB)]))]), 'big.pdf');
      const one = await send(`/api/v1/ombudsman/case-assistance/${n}/documents`, big, auth);
      assert.equal(one.status, 413, one.text);
      assert.match(one.type, /^application\/problem\+json/);
      assert.equal(JSON.parse(one.text).code, 'payload-too-large');
      assert.match(JSON.parse(one.text).detail, /10 MB/);
      // A whole body of 30 MB: refused at the per-request limit.
      const whole = new FormData();
      for (let i = 0; i < 3; i++) whole.append('file', new Blob([new Uint8Array(Buffer.concat([PDF, Buffer.alloc(10 * MB - PDF.length - 1)]))]), `part${i}.pdf`);
      const thirty = await send(`/api/v1/ombudsman/case-assistance/${n}/documents`, whole, auth);
      assert.equal(thirty.status, 413, thirty.text);
      assert.match(JSON.parse(thirty.text).detail, /25 MB/);

      // The public form: the documents step again with the error summary, in the page's language.
      const { b, draft } = await draftAtDocuments();
      const cookie = Object.entries(b.jar).map(([k, v]) => `${k}=${v}`).join('; ');
      for (const [lang, text] of [['en', /Your files are too big\. They can be up to 25 MB in all\./], ['es', /Sus archivos son muy grandes\. Pueden tener hasta 25 MB en total\./]] as const) {
        const fd = new FormData();
        fd.append('_csrf', b.csrf);
        for (let i = 0; i < 3; i++) fd.append('file', new Blob([new Uint8Array(10 * MB)]), `scan${i}.pdf`);
        const page = await send(`${draft}/documents?lang=${lang}`, fd, { cookie });
        assert.equal(page.status, 413, page.text.slice(0, 500));
        assert.match(page.type, /^text\/html/);
        assert.match(page.text, /id="error-summary"/);
        assert.match(page.text, text);
      }
      const fd = new FormData();
      fd.append('_csrf', b.csrf);
      fd.append('file', new Blob([new Uint8Array(Buffer.concat([PNG, Buffer.alloc(11 * MB)]))]), 'photo.png');
      const onePage = await send(`${draft}/documents?lang=en`, fd, { cookie });
      assert.equal(onePage.status, 413);
      assert.match(onePage.text, /&quot;photo\.png&quot; is too big\. Each file can be up to 10 MB\./);
      const kept = await t.deps.database.db.selectFrom('case_assistance_documents').select('id').where('request_number', '=', n).execute();
      assert.equal(kept.length, 0, 'nothing of a refused upload is kept');
    });

    test('multipart only where uploads are taken: other JSON routes still answer 415 to it', async () => {
      const { payload, contentType } = await multipart({ email: 'x@example.org', password: 'x' }, [{ name: 'a.pdf', bytes: PDF }]);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': contentType } });
      assert.equal(res.statusCode, 415);
    });
  });
}
