/**
 * Reading level of Switchboard's own public copy, page by page, in both languages: every public page is rendered
 * through app.inject (the form alone, each kind of result and each kind of error), its visible text in <main> is
 * extracted, and measured. English: Flesch-Kincaid grade 6 or lower (text-readability). Spanish: Fernández-Huerta
 * 70 or higher, FH = 206.84 − 60·(syllables per word) − 1.02·(words per sentence), syllables by silabea.
 *
 * Left out of the measure, each for a reason:
 * - text marked `data-agency-text`: the agency's own status titles and descriptions (reference/<agency>/statuses.json),
 *   which the contract fixes word for word (CONTRACT.md section 6) and Switchboard does not write;
 * - `<select>` options: lists of names (forms, categories, offices, countries, months), not sentences;
 * - text marked `data-legal-name`: form titles and category names as the law and the agency name them
 *   ("Petition for Alien Relative"), which must match the paper the caller holds.
 * - elements with their own `lang` (the link or button to the other language): measured with that language's pages.
 * Staff pages (sign-in, staff home) and the developer reference are not public copy and are not measured here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import readability from 'text-readability';
import { startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';

const silabea = createRequire(import.meta.url)('silabea') as { getSilabas(word: string): { numeroSilaba: number } };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The visible text of <main>, one block (paragraph, heading, list item, label, …) per sentence-like piece. */
export function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
  const cleaned = main
    .replace(/<(script|select|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)\b[^>]*\s(?:data-agency-text|data-legal-name|lang="[a-z]+")[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+\shidden\b[^>]*>[\s\S]*?<\/(?:button|div)>/g, ' ')
    .replace(/<\/?(p|li|h[1-6]|dt|dd|label|legend|div|button|th|td|caption|br|ul|ol|section|span class="usa-hint")\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (m, name: string) => ENTITIES[name] ?? m)
    // A web address is not prose: the draft's resume link holds a random token, whose letters made the score
    // vary from run to run (69.9 once, under the Spanish 70).
    .replace(/https?:\/\/\S+/g, ' ');
  return cleaned.split('\n').map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => /\p{L}/u.test(s))
    .map((s) => (/[.?!:]$/.test(s) ? s : `${s}.`)).join(' ');
}

/** Words are tokens with a letter in them; numbers, receipt numbers and phone numbers are skipped. */
const words = (text: string) => text.split(/[\s,;:()“”"«»–—/]+/).map((w) => w.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '')).filter((w) => /\p{L}/u.test(w));

/** Sentences as text-readability counts them: split at . ? ! before a capital; pieces of two words or fewer do not count. */
function sentenceCount(text: string): number {
  const n = text.split(/ *[.?!:]['")\]]*[ |\n](?=[\p{Lu}¿¡])/u).filter((s) => words(s).length > 2).length;
  return Math.max(n, 1);
}

export function fernandezHuerta(text: string): number {
  const w = words(text);
  const syllables = w.reduce((sum, word) => sum + Math.max(1, silabea.getSilabas(word.toLowerCase().replace(/[^\p{L}]/gu, '')).numeroSilaba || 1), 0);
  return 206.84 - 60 * (syllables / w.length) - 1.02 * (w.length / sentenceCount(text));
}

describe('reading level of the public pages', () => {
  let t: TestApp;
  const pending = caseRecord({ receivedDate: '2024-01-10', history: [{ date: '2024-01-10', status: 'case-was-received' }, { date: '2024-03-01', status: 'fingerprints-were-taken' }] });
  const recent = caseRecord({ receivedDate: new Date().toISOString().slice(0, 10), history: [{ date: new Date().toISOString().slice(0, 10), status: 'case-was-received' }] });
  const rn = String(pending.receiptNumber);
  const unknown = receiptNumber('WAC');
  // Service requests made in before(): one open, one answered by its office (the reopen form shows).
  const made = { open: '', answered: '' };
  const person = `receiptNumber=${rn}&name=Ana+P%C3%A9rez&dobMonth=3&dobDay=2&dobYear=1990`;
  const pages: Array<{ name: string; method?: 'GET' | 'POST'; url: string | (() => string); payload?: string; csrf?: boolean }> = [
    { name: 'home', url: '/' },
    { name: 'case status form', url: '/case-status' },
    { name: 'case status result', method: 'POST', url: '/case-status', payload: `receiptNumber=${rn}` },
    { name: 'case status, not found', method: 'POST', url: '/case-status', payload: `receiptNumber=${unknown}` },
    { name: 'case status, bad entry', method: 'POST', url: '/case-status', payload: 'receiptNumber=EAC12' },
    { name: 'processing times form', url: '/processing-times' },
    { name: 'processing times result', url: '/processing-times?formType=I-130&formCategory=&office=VSC' },
    { name: 'processing times, errors', url: '/processing-times?formType=&formCategory=&office=' },
    { name: 'inquiry form', url: '/inquiry' },
    { name: 'inquiry, outside normal time', url: `/inquiry?receiptNumber=${rn}` },
    { name: 'inquiry, not yet', url: `/inquiry?receiptNumber=${recent.receiptNumber}` },
    { name: 'inquiry, bad entry', url: '/inquiry?receiptNumber=EAC12' },
    { name: 'priority date form', url: '/priority-date' },
    { name: 'priority date result', url: '/priority-date?priorityDate=2019-05-01&category=F2A&chargeability=MEXICO&chart=final-action' },
    { name: 'priority date, errors', url: '/priority-date?pdMonth=&pdDay=&pdYear=&category=' },
    { name: 'prepare form', url: '/prepare' },
    { name: 'prepare result', url: `/prepare?receipts=${rn}` },
    { name: 'prepare, bad entry', url: '/prepare?receipts=EAC12' },
    { name: 'page not found', url: '/no-such-page' },
    { name: 'ask us online', url: '/service-requests' },
    { name: 'online request form', url: `/service-requests/new/outside-normal-processing-time?receiptNumber=${rn}` },
    { name: 'change of address form', url: '/service-requests/new/change-of-address' },
    { name: 'request that needs a call', url: '/service-requests/new/expedite' },
    { name: 'online request, errors', method: 'POST', url: '/service-requests/new/change-of-address', payload: 'street=1+Elm&zip=12', csrf: true },
    { name: 'online request, not matched', method: 'POST', url: '/service-requests/new/typographical-error', payload: `${person.replace('dobDay=2', 'dobDay=3')}&details=Typo`, csrf: true },
    { name: 'online request, too early', method: 'POST', url: '/service-requests/new/outside-normal-processing-time', payload: `${person.replace(rn, String(recent.receiptNumber))}&details=News%3F`, csrf: true },
    { name: 'online request, duplicate', method: 'POST', url: '/service-requests/new/outside-normal-processing-time', payload: `${person}&details=Again`, csrf: true },
    { name: 'online request made', url: () => `/service-requests/created?referralNumber=${made.open}&receiptNumber=${rn}` },
    { name: 'service request status form', url: '/service-requests/status' },
    { name: 'call record form', url: '/call-record' },
    { name: 'call record, errors', method: 'POST', url: '/call-record', payload: 'reference=&phone=12' },
    { name: 'service request status, errors', url: '/service-requests/status?referralNumber=12&receiptNumber=' },
    { name: 'service request status, not found', url: `/service-requests/status?referralNumber=100000000000009&receiptNumber=${rn}` },
    { name: 'service request status, open', url: () => `/service-requests/status?referralNumber=${made.open}&receiptNumber=${rn}` },
    { name: 'service request status, answered', url: () => `/service-requests/status?referralNumber=${made.answered}&receiptNumber=${rn}` },
    { name: 'reopen, errors', method: 'POST', url: '/service-requests/reopen', payload: '', csrf: true },
    // The Ombudsman's case assistance request, step by step (drafts made in before()), and its result.
    { name: 'case assistance start', url: '/ombudsman/case-assistance' },
    ...(['you', 'cases', 'actions', 'reasons', 'documents'] as const).map((step) => ({ name: `case assistance step ${step}`, url: () => `/ombudsman/case-assistance/d/${drafts.empty}/${step}` })),
    { name: 'case assistance step you, errors', method: 'POST', url: () => `/ombudsman/case-assistance/d/${drafts.errors}/you`, payload: 'requesterName=A&requesterEmail=nope&filingFor=other', csrf: true },
    { name: 'case assistance review, with advice', url: () => `/ombudsman/case-assistance/d/${drafts.filled}/review` },
    { name: 'case assistance review, problems left', url: () => `/ombudsman/case-assistance/d/${drafts.empty}/review` },
    { name: 'case assistance sent', url: () => `/ombudsman/case-assistance/d/${drafts.sent}/done` },
    // Feedback and guidance.
    { name: 'comment on the Contact Center', url: '/feedback' },
    { name: 'comment sent', url: '/feedback?sent=1' },
    { name: 'comment, error', method: 'POST', url: '/feedback', payload: 'comment=', csrf: true },
    { name: 'guidance page', url: '/guidance/contact-center-call' },
  ];
  const drafts = { empty: '', errors: '', filled: '', sent: '' };

  before(async () => {
    // Every page twice, with the forms' CSRF fetches: more than the 60 a minute one address may ask.
    t = await startTestApp('sqlite', { env: { PUBLIC_RATE_LIMIT: '100000' } });
    await t.deps.feed.import((async function* () { yield { line: 1, value: pending }; yield { line: 2, value: recent }; })(), { kind: 'cli' });
    const month = new Date().toISOString().slice(0, 7);
    await t.deps.visaBulletins.publish(month, { finalActionDates: { F2A: { ALL: '2023-01-01', MEXICO: '2020-06-01' } }, datesForFiling: { F2A: { ALL: 'C' } } }, { kind: 'cli' });
    const make = async (type: string) => JSON.parse((await t.deps.serviceRequests.create({ kind: 'anonymous' }, {
      receiptNumber: rn, type, details: 'Please look at my case.', verification: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' },
    }, { scope: 'test', key: null, requestHash: '' })).body).referralNumber as string;
    made.open = await make('outside-normal-processing-time');
    made.answered = await make('appointment-reschedule');
    const office = await t.signIn('office');
    await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${made.answered}/claim`, headers: { authorization: `Bearer ${office.token}` } });
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${made.answered}/respond`, headers: { authorization: `Bearer ${office.token}` }, payload: { response: 'We moved your interview to next month. A new notice is in the mail.' } });
    assert.equal(answered.statusCode, 200);
    // Case assistance drafts: one left empty, one for the errors, one filled in (its review shows the advice),
    // one filled in and sent.
    const ca = t.deps.caseAssistance;
    const filled = {
      requesterName: 'Ana Pérez', requesterEmail: 'ana@example.org', filingFor: 'self', case1Receipt: rn, case1Form: String(pending.formType ?? 'I-130'),
      action1Date: new Date().toISOString().slice(0, 10), action1Kind: 'call', reasons: 'Nobody has answered about my case for months.',
    };
    for (const k of ['empty', 'errors', 'filled', 'sent'] as const) drafts[k] = await ca.startDraft('en');
    await ca.saveDraft(drafts.filled, filled);
    await ca.saveDraft(drafts.sent, filled);
    const form = await t.app.inject({ method: 'GET', url: `/ombudsman/case-assistance/d/${drafts.sent}/review` });
    const sent = await t.app.inject({
      method: 'POST', url: `/ombudsman/case-assistance/d/${drafts.sent}/submit`, payload: `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(form.body)![1]!)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    assert.equal(sent.statusCode, 303, sent.body);
    // The reopen form posts these with the answered request's numbers.
    const reopen = pages.find((p) => p.name === 'reopen, errors')!;
    reopen.payload = `referralNumber=${made.answered}&receiptNumber=${rn}`;
  });
  after(() => t.close());

  const render = async (p: (typeof pages)[number], lang: 'en' | 'es') => {
    const path = typeof p.url === 'function' ? p.url() : p.url;
    const url = `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
    // A form that changes data needs the CSRF token and cookie of a page first (the reopen form's is on any page).
    let payload = p.payload;
    const headers: Record<string, string> = { accept: 'text/html', ...(p.payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
    if (p.csrf) {
      const form = await t.app.inject({ method: 'GET', url: '/service-requests/new/typographical-error' });
      headers.cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      payload = `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(form.body)![1]!)}&${payload ?? ''}`;
    }
    const res = await t.app.inject({ method: p.method ?? 'GET', url, payload, headers });
    assert.match(res.headers['content-type'] as string, /text\/html/, `${p.name} is a page`);
    const text = mainText(res.body);
    assert.ok(words(text).length > 10, `${p.name} (${lang}) has text to measure: ${text}`);
    assert.doesNotMatch(`${/<title>([^<]*)/.exec(res.body)?.[1]} ${text}`, /\b(?:site|home|caseStatus|processingTimes|inquiry|priorityDate|prepare|error|signIn|requestOnline)\.[a-z][\w.]*[A-Za-z]/, `${p.name} (${lang}) shows no catalogue key in place of words`);
    return text;
  };

  test('the measures themselves: plain text passes, dense text fails (so the page checks can fail)', () => {
    assert.ok(readability.fleschKincaidGrade('Enter your receipt number. It is on your notice. We will show your status.') <= 6);
    assert.ok(readability.fleschKincaidGrade('Notwithstanding the aforementioned administrative considerations, applicants experiencing extraordinary adjudicative delays should consider submitting comprehensive documentation substantiating eligibility.') > 6);
    assert.ok(fernandezHuerta('Escriba su número de recibo. Está en su aviso. Le mostramos su estatus.') >= 70);
    assert.ok(fernandezHuerta('No obstante las consideraciones administrativas anteriormente mencionadas, los solicitantes que experimenten demoras extraordinarias deberían considerar presentar documentación exhaustiva.') < 70);
    assert.equal(mainText('<main><h1>Title</h1><p data-agency-text>Agency words here now.</p><select><option>Opt</option></select><p>Our words &amp; more</p></main>'), 'Title. Our words & more.');
  });

  test('English pages read at grade 6 or lower (Flesch-Kincaid)', async () => {
    const report: string[] = [];
    for (const p of pages) {
      const grade = readability.fleschKincaidGrade(await render(p, 'en'));
      report.push(`${grade.toFixed(1).padStart(5)}  ${p.name}`);
    }
    if (process.env.READABILITY_REPORT) console.log(`Flesch-Kincaid grade (en):\n${report.join('\n')}`);
    const over = report.filter((line) => Number(line.slice(0, 5)) > 6);
    assert.deepEqual(over, [], `pages above grade 6 (grade, page):\n${over.join('\n')}`);
  });

  test('Spanish pages score 70 or higher (Fernández-Huerta)', async () => {
    const report: string[] = [];
    for (const p of pages) {
      const fh = fernandezHuerta(await render(p, 'es'));
      report.push(`${fh.toFixed(1).padStart(5)}  ${p.name}`);
    }
    if (process.env.READABILITY_REPORT) console.log(`Fernández-Huerta (es):\n${report.join('\n')}`);
    const under = report.filter((line) => Number(line.slice(0, 5)) < 70);
    assert.deepEqual(under, [], `pages under 70 (score, page):\n${under.join('\n')}`);
  });
});
