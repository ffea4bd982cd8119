/**
 * /admin/processing-times and /admin/visa-bulletins through inject with a real session and CSRF forms (PageBrowser),
 * on SQLite and PostgreSQL: what the page publishes is what GET /api/v1/processing-times, GET
 * /api/v1/visa-bulletins/{month}, the priority date check (API and page) answer; for every row the page shows, the
 * API gives the same figure and basis (published, computed, default); refused input names each bad field or cell,
 * keeps what was typed and changes nothing; each change is audited with the admin as actor; 403 for other roles on
 * every page and form, and a form without its CSRF token refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { databaseKinds } from '../support/databases.ts';
import { caseRecord } from '../support/factories.ts';
import { addDays } from '../../src/domain/processing-time.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { BULLETIN_CATEGORIES, CHARGEABILITIES } from '../../src/domain/visa-bulletin.ts';
import { demoBulletin } from '../../src/visa-bulletin/seed.ts';

const SPOUSE = 'spouse of U.S. citizen';
const PARENT = 'parent of U.S. citizen';
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The named inputs of the form posting to `action`, with their values, as a browser would send them untouched. */
function formFields(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1];
  assert.ok(form, `a form posting to ${action}`);
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\sname="([^"]*)"/.exec(input)?.[1];
    if (name) fields[unescape(name)] = unescape(/\svalue="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return fields;
}

/** The summary's links (#ids) of an error page, in order. */
const summaryLinks = (html: string) => [.../<div[^>]*id="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0].matchAll(/href="#([^"]+)"/g) ?? []].map((m) => m[1]!);

for (const kind of databaseKinds()) {
  describe(`admin pages: processing times and visa bulletins [${kind}]`, () => {
    let t: TestApp;
    let b: PageBrowser;
    let adminId: string;
    const today = () => todayIn('America/New_York');
    const thisMonth = () => today().slice(0, 7);
    before(async () => {
      // The comparison reads the public API once for each of the page's rows: more than a minute's public limit.
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '10000' } });
      const a = await t.signIn('admin');
      adminId = a.id;
      b = await new PageBrowser(t).signIn(a.email);
    });
    after(async () => t?.close());

    const api = (url: string) => t.app.inject({ method: 'GET', url });
    const figure = (formType: string, formCategory: string, office: string) => api(`/api/v1/processing-times?${new URLSearchParams({ formType, formCategory, office }).toString()}`).then((r) => r.json());
    const audits = async (action: string) => (await t.deps.database.db.selectFrom('audit_log').select(['actor', 'subject', 'detail']).where('action', '=', action).execute());
    const publishedRows = async () => (await t.deps.database.db.selectFrom('processing_times').select(['form_type', 'form_category', 'office', 'months80', 'as_of']).orderBy('form_category').execute())
      .map((r) => ({ ...r, months80: Number(r.months80) }));
    /** The rows of the list page: office|category, basis and months as the page shows them. */
    const pageRows = (html: string) => [...html.matchAll(/<tr data-row="([^"]*)" data-basis="([^"]+)">[\s\S]*?data-months80="([^"]+)"/g)]
      .map((m) => ({ row: unescape(m[1]!), basis: m[2]!, months80: Number(m[3]) }));

    test('the pages open in English and Spanish from the admin\'s staff home', async () => {
      const home = await b.get('/staff');
      for (const href of ['/admin/processing-times', '/admin/visa-bulletins']) assert.ok(home.body.includes(`href="${href}"`), href);
      for (const lang of ['en', 'es']) {
        for (const url of ['/admin/processing-times', '/admin/processing-times/new', '/admin/visa-bulletins', `/admin/visa-bulletins/edit?month=${thisMonth()}`]) {
          const res = await b.get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
          assert.equal(res.statusCode, 200, `${url} ${lang}: ${res.body.slice(0, 300)}`);
          assert.match(res.body, new RegExp(`<html lang="${lang}"`));
        }
      }
      await b.get('/staff?lang=en');
    });

    test('a processing time published through the page is what the API answers; every row of the page says what the API says', async () => {
      const before = (await audits('processing-times-publish')).length;
      // Computed figures at CSC: 10 decisions of parent petitions in the last six months (80th percentile: 300 days).
      const decided = Array.from({ length: 10 }, (_, i) => {
        const d = addDays(today(), -10 - i);
        const received = addDays(d, -(210 + i * 10));
        return caseRecord({ formCategory: PARENT, office: 'CSC', receivedDate: received, decidedDate: d, history: [{ date: received, status: 'case-was-received' }, { date: d, status: 'case-was-approved' }] });
      });
      const loaded = await t.deps.feed.import((async function* () { let line = 0; for (const value of decided) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(loaded.rejectedTotal, 0);

      const form = await b.get(`/admin/processing-times/new?formType=I-130&formCategory=${encodeURIComponent(SPOUSE)}&office=VSC`);
      assert.match(form.body, /data-testid="current" data-basis="default"/, 'the form says what the public sees now');
      const sent = await b.post('/admin/processing-times', { ...formFields(form.body, '/admin/processing-times'), formType: 'I-130', formCategory: SPOUSE, office: 'VSC', months80: '7,5', asOf: '2026-11-30' });
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 1500));
      assert.equal(sent.headers.location, '/admin/processing-times?formType=I-130&office=VSC&published=1');
      const spouse = await figure('I-130', SPOUSE, 'VSC');
      assert.deepEqual([spouse.formType, spouse.office, spouse.months80, spouse.basis, spouse.asOf], ['I-130', 'VSC', 7.5, 'published', '2026-11-30']);
      assert.equal((await figure('I-130', PARENT, 'VSC')).basis, 'default', 'a category row is for its category only');

      // The all-categories row: every other category at VSC now shows it, and the page says where it comes from.
      await b.send('/admin/processing-times', { formType: 'i-130', formCategory: '', office: 'vsc', months80: '9', asOf: '2026-11-01' });
      assert.equal((await figure('I-130', PARENT, 'VSC')).months80, 9);
      assert.deepEqual(await publishedRows(), [
        { form_type: 'I-130', form_category: '', office: 'VSC', months80: 9, as_of: '2026-11-01' },
        { form_type: 'I-130', form_category: 'spouse of u.s. citizen', office: 'VSC', months80: 7.5, as_of: '2026-11-30' },
      ]);

      const list = await b.get('/admin/processing-times?formType=I-130&published=1');
      assert.match(list.body, /The processing time is published\./);
      const rows = pageRows(list.body);
      assert.equal(rows.length, 11 * 9, 'each of the 11 offices, all categories and the 8 of I-130');
      const byRow = Object.fromEntries(rows.map((r) => [r.row, r]));
      assert.deepEqual(byRow[`VSC|${SPOUSE}`], { row: `VSC|${SPOUSE}`, basis: 'published', months80: 7.5 });
      assert.deepEqual(byRow[`VSC|${PARENT}`], { row: `VSC|${PARENT}`, basis: 'published', months80: 9 });
      assert.deepEqual(byRow[`CSC|${PARENT}`], { row: `CSC|${PARENT}`, basis: 'computed', months80: 9.2 });
      assert.deepEqual(byRow['CSC|'], { row: 'CSC|', basis: 'computed', months80: 9.2 });
      assert.equal(byRow['NBC|']?.basis, 'default');
      assert.match(list.body, /data-testid="basis-counts">Published: 9\. Computed: 2\. Default: 88\./);
      assert.equal((list.body.match(/data-testid="from-all">From the row for all categories</g) ?? []).length, 7, 'the 7 VSC categories without a row of their own');
      for (const r of rows) {
        const [office, category] = r.row.split('|') as [string, string];
        const f = await figure('I-130', category, office);
        assert.deepEqual({ basis: f.basis, months80: f.months80 }, { basis: r.basis, months80: r.months80 }, `the API agrees on ${r.row}`);
      }
      const es = await b.get('/admin/processing-times?formType=I-130&office=VSC&lang=es');
      assert.match(es.body, /data-months80="7.5">7.5 meses</, "as the public page writes it");
      assert.match(es.body, />Publicado</);
      await b.get('/staff?lang=en');

      const audited = (await audits('processing-times-publish')).slice(before);
      assert.deepEqual(audited.map((a) => a.actor), [`staff:${adminId}`, `staff:${adminId}`]);
    });

    test('a refused processing time names each bad field, keeps what was typed, and changes nothing', async () => {
      const rows = await publishedRows();
      const auditCount = (await audits('processing-times-publish')).length;
      await b.get('/admin/processing-times/new');
      const bad = await b.post('/admin/processing-times', { formType: 'I-765', formCategory: SPOUSE, office: '', months80: 'many', asOf: '2026-02-30' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: /);
      assert.deepEqual(summaryLinks(bad.body), ['formCategory', 'office', 'months80', 'asOf']);
      for (const id of ['formCategory', 'office', 'months80', 'asOf']) assert.match(bad.body, new RegExp(`id="${id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${id}"|id="${id}"[^>]*${id}-error"[^>]*aria-invalid`), id);
      assert.match(bad.body, /Choose a category of form I-765/);
      assert.match(bad.body, /id="months80"[^>]*value="many"/);
      assert.match(bad.body, /id="asOf"[^>]*value="2026-02-30"/);
      assert.match(bad.body, /<option value="I-765" selected>/);
      const range = await b.post('/admin/processing-times', { formType: 'I-130', formCategory: '', office: 'VSC', months80: '700', asOf: '2026-11-01' });
      assert.equal(range.statusCode, 400);
      assert.deepEqual(summaryLinks(range.body), ['months80']);
      assert.match(range.body, /Enter more than 0 and at most 600 months/);
      const none = await b.post('/admin/processing-times', { formType: '', formCategory: '', office: 'VSC', months80: '', asOf: '' });
      assert.deepEqual(summaryLinks(none.body), ['formType', 'months80', 'asOf']);
      assert.deepEqual(await publishedRows(), rows);
      assert.equal((await audits('processing-times-publish')).length, auditCount);
    });

    test('a bulletin entered through the page is what the API and the priority date check use', async () => {
      const month = thisMonth();
      const wanted = demoBulletin(month);
      const page = await b.get(`/admin/visa-bulletins/edit?month=${month}`);
      assert.match(page.body, /data-testid="starting-from">No bulletin has been published yet/);
      const fields = formFields(page.body, '/admin/visa-bulletins');
      assert.deepEqual(CHARGEABILITIES.map((_, i) => fields[`col-${i}`]), [...CHARGEABILITIES]);
      // Each cell of the demo bulletin typed in; a few as the bulletin prints them (08FEB24) and in lower case.
      const typed: Record<string, string> = { ...fields, newArea: 'El Salvador Guatemala Honduras' };
      const printed = (iso: string) => `${iso.slice(8, 10)}${['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][Number(iso.slice(5, 7)) - 1]}${iso.slice(2, 4)}`;
      for (const [key, table] of [['fa', wanted.finalActionDates], ['df', wanted.datesForFiling]] as const) {
        for (const [category, row] of Object.entries(table)) {
          for (const [column, cell] of Object.entries(row)) {
            const i = (CHARGEABILITIES as readonly string[]).indexOf(column);
            const id = `${key}-${category}-${i >= 0 ? i : 'new'}`;
            typed[id] = cell === 'C' ? 'c' : category === 'F2A' && cell !== 'U' ? printed(cell) : cell;
          }
        }
      }
      const sent = await b.post('/admin/visa-bulletins', typed);
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
      assert.equal(sent.headers.location, `/admin/visa-bulletins?published=${month}`);
      const stored = (await api(`/api/v1/visa-bulletins/${month}`)).json();
      assert.deepEqual({ finalActionDates: stored.finalActionDates, datesForFiling: stored.datesForFiling }, wanted);

      const mexico = wanted.finalActionDates.F2A!.MEXICO!;
      const check = (await api(`/api/v1/priority-date-check?priorityDate=${addDays(mexico, -1)}&category=F2A&chargeability=MEXICO`)).json();
      assert.deepEqual({ current: check.current, cutoff: check.cutoff, bulletin: check.bulletin }, { current: true, cutoff: mexico, bulletin: month });
      const publicPage = await api(`/priority-date?priorityDate=${mexico}&category=F2A&chargeability=MEXICO`);
      assert.match(publicPage.body, new RegExp(`data-current="no"[\\s\\S]*data-cutoff="${mexico}"`));

      const list = await b.get(`/admin/visa-bulletins?published=${month}`);
      assert.match(list.body, /is published\.\s+The priority date check uses it now\./);
      assert.match(list.body, new RegExp(`<tr data-month="${month}">[\\s\\S]*?In use now`));
      const audited = await audits('visa-bulletin-publish');
      assert.deepEqual(audited.map((a) => [a.actor, a.subject]), [[`staff:${adminId}`, `visa-bulletin:${month}`]]);
    });

    test('a published month opens with its cells and its own columns; a change replaces it, audited', async () => {
      const month = thisMonth();
      const page = await b.get(`/admin/visa-bulletins/edit?month=${month}`);
      assert.match(page.body, /data-testid="starting-from">This month was published on/);
      const fields = formFields(page.body, '/admin/visa-bulletins');
      assert.equal(fields['col-5'], 'EL SALVADOR GUATEMALA HONDURAS', 'the month\'s own column comes back as a column');
      assert.equal(fields['fa-EB4-5'], 'U');
      assert.equal(fields['fa-F2A-0'], demoBulletin(month).finalActionDates.F2A!.ALL);
      await b.send('/admin/visa-bulletins', { ...fields, 'fa-F2A-0': '2023-06-15', 'df-EB4-5': '' });
      const stored = (await api(`/api/v1/visa-bulletins/${month}`)).json();
      assert.equal(stored.finalActionDates.F2A.ALL, '2023-06-15');
      assert.equal(stored.datesForFiling.EB4['EL SALVADOR GUATEMALA HONDURAS'], undefined, 'an emptied cell falls back to ALL');
      assert.equal((await api(`/api/v1/priority-date-check?priorityDate=2023-06-14&category=F2A`)).json().current, true);
      const last = (await audits('visa-bulletin-publish')).at(-1)!;
      assert.equal(last.actor, `staff:${adminId}`);
      assert.equal(JSON.parse(last.detail as string).replaced, true);
      // The next month starts from this one.
      const next = await b.get('/admin/visa-bulletins');
      const nextMonth = /id="month"[^>]*value="(\d{4}-\d{2})"/.exec(next.body)![1]!;
      assert.ok(nextMonth > month, 'the month field offers the next month');
      assert.match((await b.get(`/admin/visa-bulletins/edit?month=${nextMonth}`)).body, /data-testid="starting-from">The cells start with the .* bulletin&#39;s values/);
    });

    test('a refused bulletin names each bad cell, keeps what was typed, and changes nothing', async () => {
      const month = thisMonth();
      const before = (await api(`/api/v1/visa-bulletins/${month}`)).json();
      const auditCount = (await audits('visa-bulletin-publish')).length;
      const fields = formFields((await b.get(`/admin/visa-bulletins/edit?month=${month}`)).body, '/admin/visa-bulletins');
      const bad = await b.post('/admin/visa-bulletins', { ...fields, 'fa-F2A-3': '2024-13-01', 'df-EB2-1': 'soon', 'fa-F1-0': '', 'df-F3-new': '01JAN20' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: /);
      assert.deepEqual(summaryLinks(bad.body), ['newArea', 'fa-F1-0', 'fa-F2A-3', 'df-EB2-1']);
      assert.match(bad.body, /href="#fa-F2A-3">Final Action Dates, F2A, Mexico: enter a date like 2024-02-08 or 08FEB24, or C or U</);
      assert.match(bad.body, /id="fa-F2A-3-error">Enter a date, C or U</);
      assert.match(bad.body, /href="#fa-F1-0">Final Action Dates, F1, All other countries: every row needs this cell/);
      assert.match(bad.body, /href="#df-EB2-1">Dates for Filing, EB2, China \(mainland-born\): /);
      for (const id of ['fa-F2A-3', 'df-EB2-1', 'fa-F1-0']) {
        assert.match(bad.body, new RegExp(`<span class="usa-error-message" id="${id}-error">`), `${id} has its own message`);
        assert.match(bad.body, new RegExp(`id="${id}"[^>]*aria-invalid="true" aria-describedby="${id}-error"`), `${id} is marked`);
      }
      assert.match(bad.body, /id="fa-F2A-3"[^>]*value="2024-13-01"/);
      assert.match(bad.body, /id="df-EB2-1"[^>]*value="soon"/);
      assert.match(bad.body, /id="df-F3-new"[^>]*value="01JAN20"/);
      assert.match(bad.body, /id="fa-F2B-0"[^>]*value="[0-9-]{10}"/, 'the good cells are kept too');
      const spanish = await b.post('/admin/visa-bulletins?lang=es', { ...fields, 'fa-F2A-3': 'x' });
      assert.match(spanish.body, /Fechas de Acción Final, F2A, México: escriba una fecha/);
      await b.get('/staff?lang=en');
      const dup = await b.post('/admin/visa-bulletins', { ...fields, newArea: 'china', 'fa-F1-new': 'C' });
      assert.deepEqual(summaryLinks(dup.body), ['newArea']);
      assert.match(dup.body, /the form already has a column for this area/);
      const month400 = await b.get('/admin/visa-bulletins/edit?month=2026-13');
      assert.equal(month400.statusCode, 400);
      assert.deepEqual(summaryLinks(month400.body), ['month']);
      assert.match(month400.body, /id="month"[^>]*value="2026-13"/);
      assert.deepEqual((await api(`/api/v1/visa-bulletins/${month}`)).json(), before);
      assert.equal((await audits('visa-bulletin-publish')).length, auditCount);
    });

    test('403 for every other role on every page and form; a form without its CSRF token is refused and changes nothing', async () => {
      const month = thisMonth();
      const rows = await publishedRows();
      const bulletin = (await api(`/api/v1/visa-bulletins/${month}`)).json();
      const cells = Object.fromEntries(BULLETIN_CATEGORIES.flatMap((c) => [[`fa-${c}-0`, 'C'], [`df-${c}-0`, 'C']]));
      const gets = ['/admin/processing-times', '/admin/processing-times/new', '/admin/visa-bulletins', `/admin/visa-bulletins/edit?month=${month}`];
      const posts: Array<[string, Record<string, string>]> = [
        ['/admin/processing-times', { formType: 'I-130', formCategory: '', office: 'VSC', months80: '1', asOf: '2026-11-01' }],
        ['/admin/visa-bulletins', { month, 'col-0': 'ALL', ...cells }],
      ];
      for (const role of ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman'] as const) {
        const other = await new PageBrowser(t).signIn((await t.signIn(role)).email);
        const home = await other.get('/staff');
        assert.ok(!home.body.includes('href="/admin/processing-times"') && !home.body.includes('href="/admin/visa-bulletins"'), `${role}: no links`);
        for (const url of gets) assert.equal((await other.get(url)).statusCode, 403, `${role} GET ${url}`);
        for (const [url, form] of posts) assert.equal((await other.post(url, form)).statusCode, 403, `${role} POST ${url}`);
      }
      for (const [url, form] of posts) assert.equal((await b.post(url, form, null)).statusCode, 403, `no CSRF token: POST ${url}`);
      assert.deepEqual(await publishedRows(), rows);
      assert.deepEqual((await api(`/api/v1/visa-bulletins/${month}`)).json(), bulletin);
      const denied = await t.deps.database.db.selectFrom('audit_log').select('actor').where('outcome', '=', 'denied').execute();
      assert.ok(denied.length >= 5 * (gets.length + posts.length), 'each refusal is in the audit trail');
      const anon = await t.app.inject({ method: 'GET', url: '/admin/visa-bulletins' });
      assert.equal(anon.statusCode, 302);
      assert.equal(anon.headers.location, '/sign-in?next=%2Fadmin%2Fvisa-bulletins');
    });
  });
}
