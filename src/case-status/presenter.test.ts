import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAgency } from '../platform/reference.ts';
import { agencyMessages, agencyTimestamp, caseStatusApiBody, fillTemplate, mergedHistory, presentCase, statusVocabulary, type StatusRow } from './presenter.ts';
import { longDate } from '../platform/i18n/format.ts';

const agency = loadAgency('uscis');
const vocabulary = statusVocabulary(agency);

const row = (overrides: Partial<StatusRow> = {}): StatusRow => ({
  receipt_number: 'EAC9999103403', form_type: 'I-130', office: 'VSC', received_date: '2023-03-01',
  history: JSON.stringify([
    { date: '2023-03-01', status: 'case-was-received' },
    { date: '2023-06-12', status: 'fingerprints-were-taken' },
    { date: '2023-09-05', at: '2023-09-05T18:28:46.000Z', status: 'case-was-approved' },
  ]),
  local_history: '[]',
  ...overrides,
});

test('dates are written out in English and Spanish', () => {
  assert.equal(longDate('2023-09-05', 'en'), 'September 5, 2023');
  assert.equal(longDate('2023-09-05', 'es'), '5 de septiembre de 2023');
  assert.equal(longDate('2024-01-01', 'es'), '1 de enero de 2024', 'no shift across time zones');
});

test('the current status is filled with date, form, form title and receipt number in both languages', () => {
  const c = presentCase(row(), vocabulary)!;
  assert.equal(c.current.title.en, 'Case Was Approved');
  assert.equal(c.current.title.es, 'Caso Fue Aprobado');
  assert.match(c.current.description.en, /^On September 5, 2023, we approved your Form I-130, Petition for Alien Relative, Receipt Number EAC9999103403\./);
  const formEs = agency.forms.find((f) => f.code === 'I-130')!.title.es;
  assert.ok(c.current.description.es.startsWith(`El 5 de septiembre de 2023, aprobamos su Formulario I-130, ${formEs}, Número de Recibo EAC9999103403.`), c.current.description.es);
  assert.ok(!/\{\w+\}/.test(c.current.description.en + c.current.description.es), 'no slot left unfilled');
});

test('the earlier entries come newest first', () => {
  const c = presentCase(row(), vocabulary)!;
  assert.deepEqual(c.earlier.map((e) => e.status), ['fingerprints-were-taken', 'case-was-received']);
  assert.match(c.earlier[1]!.description!.en, /^On March 1, 2023, we received your Form I-130/);
  const titlesOnly = presentCase(row(), vocabulary, { earlierDescriptions: false })!;
  assert.deepEqual(titlesOnly.earlier.map((e) => [e.title.en, e.description]), [['Case Was Updated To Show Fingerprints Were Taken', null], ['Case Was Received', null]]);
  assert.deepEqual(titlesOnly.current, c.current);
});

test('a transfer names the office that now holds the case, in each language', () => {
  const c = presentCase(row({ office: 'NBC', history: JSON.stringify([{ date: '2024-02-01', status: 'case-was-transferred' }]) }), vocabulary)!;
  assert.match(c.current.description.en, /to National Benefits Center, which now has jurisdiction/);
  assert.match(c.current.description.es, /a Centro Nacional de Beneficios, que ahora tiene jurisdicción/);
});

test('local entries are merged into the feed history by date', () => {
  const merged = mergedHistory({
    history: JSON.stringify([{ date: '2023-03-01', status: 'case-was-received' }, { date: '2023-09-05', status: 'case-was-approved' }]),
    local_history: JSON.stringify([{ date: '2023-05-02', status: 'duplicate-notice-was-mailed' }, { date: '2023-09-05', status: 'duplicate-notice-was-mailed' }]),
  });
  assert.deepEqual(merged.map((e) => `${e.date} ${e.status}`), [
    '2023-03-01 case-was-received', '2023-05-02 duplicate-notice-was-mailed', '2023-09-05 case-was-approved', '2023-09-05 duplicate-notice-was-mailed',
  ]);
  assert.deepEqual(mergedHistory({ history: 'not json', local_history: '' }), []);
});

test('agency timestamps: local time of an instant, midnight for a date', () => {
  assert.equal(agencyTimestamp('2023-09-05', '2023-09-05T18:28:46.000Z', 'America/New_York'), '09-05-2023 14:28:46');
  assert.equal(agencyTimestamp('2023-03-01', null, 'America/New_York'), '03-01-2023 00:00:00');
  assert.equal(agencyTimestamp('2025-02-28', '2025-03-01T02:30:00.000Z', 'America/New_York'), '02-28-2025 21:30:00');
});

test('the API body follows the agency wire format', () => {
  const body = caseStatusApiBody(presentCase(row(), vocabulary)!, 'America/New_York');
  assert.deepEqual(Object.keys(body.case_status), [
    'receiptNumber', 'formType', 'submittedDate', 'modifiedDate', 'current_case_status_text_en', 'current_case_status_desc_en',
    'current_case_status_text_es', 'current_case_status_desc_es', 'hist_case_status',
  ]);
  assert.equal(body.message, 'Query was successful');
  assert.equal(body.case_status.submittedDate, '03-01-2023 00:00:00');
  assert.equal(body.case_status.modifiedDate, '09-05-2023 14:28:46');
  assert.deepEqual(body.case_status.hist_case_status, [
    { date: '2023-06-12', completed_text_en: 'Case Was Updated To Show Fingerprints Were Taken', completed_text_es: 'Caso Fue Actualizado Para Mostrar que las Huellas Dactilares Fueron Tomadas' },
    { date: '2023-03-01', completed_text_en: 'Case Was Received', completed_text_es: 'Caso Fue Recibido' },
  ]);
});

test('a received entry given as an instant sets the submitted time', () => {
  const c = presentCase(row({ history: JSON.stringify([{ date: '2023-03-01', at: '2023-03-01T15:04:05.000Z', status: 'case-was-received' }]) }), vocabulary)!;
  const body = caseStatusApiBody(c, 'America/New_York');
  assert.equal(body.case_status.submittedDate, '03-01-2023 10:04:05');
  assert.equal(body.case_status.modifiedDate, '03-01-2023 10:04:05');
  assert.equal(body.case_status.hist_case_status, null, 'no earlier entries: null, not []');
});

test('IOE receipts carry no submitted or modified date', () => {
  const body = caseStatusApiBody(presentCase(row({ receipt_number: 'IOE0912345678' }), vocabulary)!, 'America/New_York');
  assert.ok(!('submittedDate' in body.case_status));
  assert.ok(!('modifiedDate' in body.case_status));
});

test('templates: unknown slots stay visible; every status has both languages and its slots', () => {
  assert.equal(fillTemplate('{a} and {b}', { a: 'x' }), 'x and {b}');
  for (const s of agency.statuses) {
    for (const lang of ['en', 'es'] as const) {
      assert.ok(s.title[lang] && s.description[lang], `${s.code} ${lang}`);
      for (const slot of ['{date}', '{form}', '{formTitle}', '{receipt}']) assert.ok(s.description[lang].includes(slot), `${s.code} ${lang} ${slot}`);
    }
  }
});

test('the agency texts name its Contact Center phone number', () => {
  assert.match(agencyMessages(agency).notFound, /call the USCIS Contact Center at 1-800-375-5283\.$/);
});
