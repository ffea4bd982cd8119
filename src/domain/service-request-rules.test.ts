/**
 * The service request engine, rule by rule, on the USCIS file and on a second, made-up agency's file (to show
 * that another agency changes data, not code). Due dates are known answers counted on a calendar of OPM's
 * federal holidays (and, for the made-up agency, Canadian ones) by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MAX_DUE_BUSINESS_DAYS, MAX_WAITING_DAYS, PolicyError, SERVICE_REQUEST_TYPES, checkPolicy, type Creator } from './service-request-policy.ts';
import {
  BUILT_IN_ADVICE, ServiceRequestRules, adviceText, checkFields,
  type CaseFacts, type Decision, type RequestInput,
} from './service-request-rules.ts';

const USCIS_FILE = new URL('../../reference/uscis/service-requests.json', import.meta.url);
const uscisRaw = () => JSON.parse(fs.readFileSync(USCIS_FILE, 'utf8')) as Record<string, any>;
const OFFICES = [
  { code: 'VSC', timeZone: 'America/New_York' }, { code: 'CSC', timeZone: 'America/Los_Angeles' },
  { code: 'NBC', timeZone: 'America/Chicago' }, { code: 'NYC', timeZone: 'America/New_York' },
];
const CODES = OFFICES.map((o) => o.code);
const PHONE = '1-800-375-5283';
const uscis = new ServiceRequestRules(checkPolicy(uscisRaw(), { officeCodes: CODES }), { offices: OFFICES, phone: PHONE });

/** Friday 4 December 2026 01:00 in New York; still Thursday 3 December in Los Angeles. */
const NOW = new Date('2026-12-04T06:00:00Z');

const pending: CaseFacts = {
  office: 'VSC', decided: false, protectedCategory: null, receivedDate: '2026-01-15',
  history: [{ date: '2026-01-15', status: 'case-was-received' }],
  notices: [{ date: '2026-01-20' }],
  inquiry: { outsideNormalProcessingTime: true, earliestInquiryDate: '2026-07-20' },
};

function ask(type: string, fields: Record<string, unknown>, facts: Partial<CaseFacts> = {}, creator: Creator | string = 'tier1', rules = uscis, now = NOW): Decision {
  const request: RequestInput = { type, fields: { details: 'The caller explains the problem.', ...fields } };
  return rules.evaluate({ request, creator, facts: { ...pending, ...facts }, now });
}

function refused(d: Decision): Extract<Decision, { ok: false }> {
  assert.equal(d.ok, false, JSON.stringify(d));
  return d as Extract<Decision, { ok: false }>;
}

test('the USCIS file has every contract type, each in English and Spanish, and loads', () => {
  assert.deepEqual(uscis.policy.kinds.map((k) => k.type), [...SERVICE_REQUEST_TYPES]);
  assert.deepEqual(SERVICE_REQUEST_TYPES, ['outside-normal-processing-time', 'expedite', 'change-of-address', 'appointment-reschedule',
    'notice-not-received', 'card-not-received', 'typographical-error', 'accommodation', 'other']);
  assert.deepEqual(uscis.policy.protectedCategories, ['VAWA', 'T', 'U']);
  assert.deepEqual(uscis.kindsFor('public').map((k) => k.type), ['outside-normal-processing-time', 'change-of-address', 'appointment-reschedule',
    'notice-not-received', 'card-not-received', 'typographical-error', 'accommodation'], 'expedite and other only by phone');
  assert.equal(uscis.kindsFor('tier1').length, 9);
  assert.equal(uscis.kindsFor('tier2').length, 9);
  assert.deepEqual(uscis.policy.kinds.map((k) => k.due.businessDays), [15, 15, 15, 15, 15, 15, 5, 15, 15]);
  assert.equal(uscis.kind('expedite')?.title.es, 'Solicitud de trámite acelerado');
  assert.equal(uscis.kind('refund'), undefined);
  assert.deepEqual(uscis.policy.calendar, { country: 'US', region: null, holidayTypes: ['public', 'bank'], closures: [] });
});

test('accepted: the holding office, its date and a due date in its business days, the priority', () => {
  const cases: Array<[string, Record<string, unknown>, Partial<CaseFacts>, Omit<Extract<Decision, { ok: true }>, 'ok' | 'type'>]> = [
    ['typographical-error', {}, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-11', businessDays: 5, priority: 'high' }],
    ['typographical-error', {}, { office: 'CSC' }, { office: 'CSC', createdDate: '2026-12-03', dueDate: '2026-12-10', businessDays: 5, priority: 'high' }],
    // 15 business days from Friday 4 December: 7–11, 14–18, 21–24 (Christmas on Friday 25), 28 → 28 December.
    ['other', {}, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'normal' }],
    ['other', { urgency: 'urgent' }, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'high' }],
    ['other', { urgency: 'regular' }, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'normal' }],
    // From Thursday 3 December in Los Angeles: 4, 7–11, 14–18, 21–24 → 24 December.
    ['outside-normal-processing-time', {}, { office: 'CSC' }, { office: 'CSC', createdDate: '2026-12-03', dueDate: '2026-12-24', businessDays: 15, priority: 'normal' }],
    ['expedite', { expediteCriterion: 'urgent-humanitarian' }, { office: 'NBC' }, { office: 'NBC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'high' }],
    ['change-of-address', { newAddress: { street: '1 Main St', city: 'Burlington', state: 'VT', zip: '05401' } }, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'normal' }],
    ['appointment-reschedule', {}, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'high' }],
    ['accommodation', { urgency: 'urgent' }, {}, { office: 'VSC', createdDate: '2026-12-04', dueDate: '2026-12-28', businessDays: 15, priority: 'high' }],
  ];
  for (const [type, fields, facts, expected] of cases) {
    assert.deepEqual(ask(type, fields, facts), { ok: true, type, ...expected }, `${type} ${JSON.stringify(fields)} ${JSON.stringify(facts)}`);
  }
  // 15 business days from Friday 20 November 2026 in New York skip Thanksgiving: 14 December.
  assert.equal((ask('other', {}, {}, 'tier2', uscis, new Date('2026-11-20T15:00:00Z')) as { dueDate: string }).dueDate, '2026-12-14');
  // A Saturday creation counts from Monday; New Year 2028 is observed on Friday 31 December 2027.
  assert.equal((ask('typographical-error', {}, {}, 'public', uscis, new Date('2027-12-25T15:00:00Z')) as { dueDate: string }).dueDate, '2028-01-03');
});

test('the engine’s own advice, word for word', () => {
  assert.deepEqual(BUILT_IN_ADVICE, {
    'known-type': {
      en: 'We do not handle this kind of request. Call the Contact Center at {phone} and tell us what you need.',
      es: 'No atendemos este tipo de solicitud. Llame al Centro de Contacto al {phone} y díganos qué necesita.',
    },
    creators: {
      en: 'This request cannot be made here. Call the Contact Center at {phone}. An agent can make it for you.',
      es: 'Esta solicitud no se puede hacer aquí. Llame al Centro de Contacto al {phone}. Un agente puede hacerla por usted.',
    },
    fields: {
      en: 'Some answers are missing or not valid. Correct the fields listed and send the request again.',
      es: 'Faltan algunas respuestas o no son válidas. Corrija los campos indicados y envíe la solicitud otra vez.',
    },
  });
  assert.equal(adviceText(refused(ask('other', {}, {}, 'public')), 'es'), `Esta solicitud no se puede hacer aquí. Llame al Centro de Contacto al ${PHONE}. Un agente puede hacerla por usted.`);
  assert.equal(adviceText({ advice: { en: 'On {date} call {phone}.', es: '' }, adviceParams: {} }, 'en'), 'On  call .', 'a value not given is left empty');
  assert.equal(adviceText({ advice: { en: '{date} and {date}, {other}', es: '' }, adviceParams: { date: 'D' } }, 'en', (d) => `<${d}>`), '<D> and <D>, {other}');
});

test('an inquiry gate among the common gates is found too', () => {
  const withCommon = new ServiceRequestRules(checkPolicy({ ...FAKE, commonGates: [{ id: 'late', gate: 'outside-normal-processing-time', advice: { en: 'From {date}.', es: 'Desde el {date}.' } }] }, { officeCodes: ['OTT', 'VAN'] }),
    { offices: FAKE_OFFICES, phone: '' });
  assert.equal(withCommon.needsInquiry('expedite'), true);
  assert.equal(withCommon.needsInquiry('refund'), false);
  const r = refused(ask('expedite', {}, { office: 'OTT', inquiry: { outsideNormalProcessingTime: false, earliestInquiryDate: '2027-02-01' } }, 'tier2', withCommon));
  assert.deepEqual([r.rule, r.code, r.earliestInquiryDate, adviceText(r, 'es')], ['late', 'too-early', '2027-02-01', 'Desde el 2027-02-01.']);
});

test('an unknown type is an invalid request naming the types', () => {
  const r = refused(ask('refund', {}));
  assert.deepEqual(r, {
    ok: false, rule: 'known-type', code: 'invalid-request', advice: BUILT_IN_ADVICE['known-type'], adviceParams: { phone: PHONE },
    errors: [{ field: 'type', code: 'unknown-type', detail: `One of: ${SERVICE_REQUEST_TYPES.join(', ')}.` }],
  });
});

test('who may create: the public may not file an expedite or other request; office staff and admins file nothing', () => {
  for (const [type, creator] of [['expedite', 'public'], ['other', 'public'], ['typographical-error', 'office'], ['other', 'admin'], ['other', 'supervisor'], ['other', '']] as const) {
    const r = refused(ask(type, { expediteCriterion: 'agency-error' }, {}, creator));
    assert.deepEqual(r, { ok: false, rule: 'creators', code: 'forbidden', advice: BUILT_IN_ADVICE.creators, adviceParams: { phone: PHONE } }, `${type} by ${creator}`);
  }
  assert.equal(ask('expedite', { expediteCriterion: 'agency-error' }, {}, 'tier2').ok, true);
  assert.equal(ask('typographical-error', {}, {}, 'public').ok, true);
});

test('fields: required, one of the list, text, not too long; every bad field at once', () => {
  const errorsOf = (type: string, fields: Record<string, unknown>) => {
    const r = refused(ask(type, fields));
    assert.equal(r.rule, 'fields');
    assert.equal(r.code, 'invalid-request');
    assert.deepEqual(r.advice, BUILT_IN_ADVICE.fields);
    return r.errors;
  };
  const criteria = 'severe-financial-loss, urgent-humanitarian, nonprofit-cultural-social, government-interest, agency-error';
  assert.deepEqual(errorsOf('expedite', {}), [{ field: 'expediteCriterion', code: 'required', detail: 'Required for a expedite request.' }]);
  assert.deepEqual(errorsOf('expedite', { expediteCriterion: 'because' }), [{ field: 'expediteCriterion', code: 'not-allowed', detail: `One of: ${criteria}.` }]);
  assert.deepEqual(errorsOf('expedite', { expediteCriterion: ' ' }), [{ field: 'expediteCriterion', code: 'required', detail: 'Required for a expedite request.' }]);
  assert.deepEqual(errorsOf('expedite', { expediteCriterion: 3 }), [{ field: 'expediteCriterion', code: 'invalid', detail: 'Must be text.' }]);
  assert.deepEqual(errorsOf('other', { details: undefined }), [{ field: 'details', code: 'required', detail: 'Required for a other request.' }]);
  assert.deepEqual(errorsOf('other', { details: null }), [{ field: 'details', code: 'required', detail: 'Required for a other request.' }]);
  assert.deepEqual(errorsOf('other', { details: '  \n ' }), [{ field: 'details', code: 'required', detail: 'Required for a other request.' }]);
  assert.deepEqual(errorsOf('other', { details: 'x'.repeat(4001) }), [{ field: 'details', code: 'too-long', detail: 'At most 4000 characters.' }]);
  assert.equal(ask('other', { details: 'x'.repeat(4000) }).ok, true, 'exactly 4,000 characters is allowed');
  assert.deepEqual(errorsOf('other', { details: 5 }), [{ field: 'details', code: 'invalid', detail: 'Must be text.' }]);
  assert.deepEqual(errorsOf('other', { urgency: 'soon' }), [{ field: 'urgency', code: 'not-allowed', detail: 'One of: urgent, regular.' }]);
  assert.deepEqual(errorsOf('change-of-address', { details: '', urgency: 'soon' }), [
    { field: 'details', code: 'required', detail: 'Required for a change-of-address request.' },
    { field: 'urgency', code: 'not-allowed', detail: 'One of: urgent, regular.' },
    { field: 'newAddress', code: 'required', detail: 'Required for a change-of-address request.' },
  ]);
  // Fields come before the case: a bad body on a decided case is still a bad body.
  assert.equal(refused(ask('expedite', {}, { decided: true })).rule, 'fields');
});

test('checkFields on its own: optional fields may be absent, a kind’s rule replaces a common one', () => {
  assert.deepEqual(checkFields({ note: { maxLength: 3 } }, {}, 'other'), []);
  assert.deepEqual(checkFields({ note: { maxLength: 3 } }, { note: 'abcd' }, 'other'), [{ field: 'note', code: 'too-long', detail: 'At most 3 characters.' }]);
  assert.deepEqual(checkFields({ note: { maxLength: 3 } }, { note: 'abc' }, 'other'), []);
  assert.deepEqual(checkFields({ box: { required: true } }, { box: { a: 1 } }, 'other'), [], 'any value satisfies a field with no shape');
  assert.deepEqual(checkFields({ box: { required: false } }, {}, 'other'), []);
  assert.deepEqual(checkFields({ pick: { oneOf: ['a'] } }, { pick: 'a' }, 'other'), []);
});

test('outside normal processing time: decided cases first, then too-early with the earliest inquiry date', () => {
  const early = refused(ask('outside-normal-processing-time', {}, { inquiry: { outsideNormalProcessingTime: false, earliestInquiryDate: '2027-01-10' } }));
  assert.equal(early.rule, 'within-normal-processing-time');
  assert.equal(early.code, 'too-early');
  assert.equal(early.earliestInquiryDate, '2027-01-10');
  assert.deepEqual(early.adviceParams, { phone: PHONE, date: '2027-01-10' });
  assert.equal(adviceText(early, 'en'), 'Your case is still within the normal processing time. You can ask about it from 2027-01-10. Until then, you can check your case status online.');
  assert.equal(adviceText(early, 'es', (d) => `«${d}»`), 'Su caso todavía está dentro del tiempo normal de trámite. Puede preguntar por él a partir del «2027-01-10». Mientras tanto, puede ver el estado de su caso por internet.');

  const decided = refused(ask('outside-normal-processing-time', {}, { decided: true, inquiry: { outsideNormalProcessingTime: false, earliestInquiryDate: '2026-07-20' } }));
  assert.deepEqual([decided.rule, decided.code, decided.earliestInquiryDate], ['decided-case-processing-time', 'unprocessable', undefined]);
  assert.match(adviceText(decided, 'en'), /^A decision has already been made on this case/);

  assert.throws(() => ask('outside-normal-processing-time', {}, { inquiry: undefined }), /facts\.inquiry is needed/);
  assert.throws(() => ask('outside-normal-processing-time', {}, { inquiry: null }), /facts\.inquiry is needed/);
  assert.equal(ask('typographical-error', {}, { inquiry: undefined }).ok, true, 'other kinds do not read it');
  assert.equal(uscis.needsInquiry('outside-normal-processing-time'), true);
  assert.equal(uscis.needsInquiry('expedite'), false);
  assert.equal(uscis.needsInquiry('refund'), false);
});

test('expedite and appointment rescheduling are refused for a decided case', () => {
  const e = refused(ask('expedite', { expediteCriterion: 'severe-financial-loss' }, { decided: true }));
  assert.deepEqual([e.rule, e.code], ['decided-case-expedite', 'unprocessable']);
  const a = refused(ask('appointment-reschedule', {}, { decided: true }, 'tier2'));
  assert.deepEqual([a.rule, a.code], ['decided-case-appointment', 'unprocessable']);
  assert.equal(adviceText(a, 'en'), `A decision has already been made on this case, so it has no appointment to move. If you got a new appointment notice, call the Contact Center at ${PHONE}.`);
  assert.equal(ask('typographical-error', {}, { decided: true }).ok, true, 'a typing error can be fixed after the decision');
  assert.equal(ask('change-of-address', { newAddress: {} }, { decided: true }).ok, true);
});

test('protected categories: no change of address for VAWA, T or U, and nothing online for them', () => {
  for (const category of ['VAWA', 'T', 'U']) {
    const agent = refused(ask('change-of-address', { newAddress: {} }, { protectedCategory: category }, 'tier1'));
    assert.deepEqual([agent.rule, agent.code], ['protected-category-address', 'unprocessable'], category);
    for (const type of ['change-of-address', 'typographical-error', 'outside-normal-processing-time', 'card-not-received']) {
      const online = refused(ask(type, { newAddress: {} }, { protectedCategory: category }, 'public'));
      assert.deepEqual([online.rule, online.code], ['online-protected-category', 'unprocessable'], `${type} ${category} online`);
      assert.equal(adviceText(online, 'en'), `For your safety, we cannot take a request about this case online. Please call the Contact Center at ${PHONE}. An agent will make the request for you.`);
      assert.equal(adviceText(online, 'es'), `Por su seguridad, no podemos recibir por internet una solicitud sobre este caso. Llame al Centro de Contacto al ${PHONE}. Un agente hará la solicitud por usted.`);
    }
    assert.equal(ask('typographical-error', {}, { protectedCategory: category }, 'tier2').ok, true, 'an agent may file other kinds');
  }
  assert.equal(ask('change-of-address', { newAddress: {} }, { protectedCategory: 'asylum' }, 'public').ok, true, 'not a protected category of the file');
});

test('notice not received: 30 days after the newest notice (or receipt); from that day on it is accepted', () => {
  // VSC's date at NOW is Friday 4 December 2026.
  const early = refused(ask('notice-not-received', {}, { notices: [{ date: '2026-03-01' }, { date: '2026-11-20' }, { date: '2026-06-01' }] }));
  assert.deepEqual([early.rule, early.code, early.earliestInquiryDate], ['notice-waiting-period', 'too-early', '2026-12-20']);
  assert.equal(adviceText(early, 'en'), 'Mail can take up to 30 days to arrive. If the notice has still not come by 2026-12-20, ask again from that day.');
  assert.equal(refused(ask('notice-not-received', {}, { notices: [{ date: '2026-11-05' }] })).earliestInquiryDate, '2026-12-05', 'one day short');
  assert.equal(ask('notice-not-received', {}, { notices: [{ date: '2026-11-04' }] }).ok, true, 'exactly 30 days');
  assert.equal(ask('notice-not-received', {}, { notices: [] }).ok, true, 'no notice yet: 30 days after receipt (15 January) have passed');
  const justReceived = refused(ask('notice-not-received', {}, { notices: [], receivedDate: '2026-11-25' }));
  assert.equal(justReceived.earliestInquiryDate, '2026-12-25', 'the receipt notice may still be in the mail');
});

test('card not received: 30 days after the card was last mailed; never before it was mailed', () => {
  const none = refused(ask('card-not-received', {}, { history: [{ date: '2026-11-01', status: 'case-was-approved' }] }));
  assert.deepEqual([none.rule, none.code, none.earliestInquiryDate], ['card-waiting-period', 'unprocessable', undefined]);
  assert.match(adviceText(none, 'en'), /^Our records do not show that your card was mailed yet\./);
  assert.match(adviceText(none, 'es'), /^Nuestros registros todavía no muestran/);
  const mailed = [{ date: '2026-11-10', status: 'card-was-mailed' }, { date: '2026-06-01', status: 'card-was-mailed' }, { date: '2026-11-12', status: 'card-was-returned' }];
  const early = refused(ask('card-not-received', {}, { history: mailed }));
  assert.deepEqual([early.code, early.earliestInquiryDate], ['too-early', '2026-12-10']);
  assert.equal(ask('card-not-received', {}, { history: [{ date: '2026-10-01', status: 'card-was-mailed' }] }).ok, true);
  // In Los Angeles it is still 3 December: a card mailed on 3 November may be asked about there, not one mailed on the 4th.
  assert.equal(ask('card-not-received', {}, { office: 'CSC', history: [{ date: '2026-11-03', status: 'card-was-mailed' }] }).ok, true);
  assert.equal(refused(ask('card-not-received', {}, { office: 'CSC', history: [{ date: '2026-11-04', status: 'card-was-mailed' }] })).earliestInquiryDate, '2026-12-04');
});

test('due dates and calendars for offices; unknown offices are errors', () => {
  const kind = uscis.kind('other')!;
  assert.deepEqual(uscis.dueDate(kind, 'NYC', new Date('2026-06-30T16:00:00Z')), { createdDate: '2026-06-30', dueDate: '2026-07-22' });
  assert.deepEqual(uscis.dueDate(uscis.kind('typographical-error')!, 'NYC', new Date('2026-06-30T16:00:00Z')), { createdDate: '2026-06-30', dueDate: '2026-07-08' });
  assert.equal(uscis.calendarFor('NBC').timeZone, 'America/Chicago');
  assert.equal(uscis.officeFor(kind, 'NBC'), 'NBC');
  assert.throws(() => uscis.calendarFor('ZZZ'), /unknown office ZZZ/);
  assert.throws(() => ask('other', {}, { office: 'ZZZ' }), /unknown office ZZZ/);
});

/** A second agency: Canadian holidays (Ontario, and British Columbia for one office), other kinds and rules. */
const FAKE = {
  calendar: { country: 'CA', region: 'ON', holidayTypes: ['public'] },
  officeCalendars: { VAN: { country: 'CA', region: 'BC', holidayTypes: ['public'] } },
  protectedCategories: ['refugee-claimant'],
  kinds: [
    { type: 'other', title: { en: 'Other', es: 'Otro' }, creators: ['tier1', 'public'], fields: {}, gates: [], due: { businessDays: 3 }, priority: 'low', routeTo: { office: 'OTT' } },
    {
      type: 'card-not-received', title: { en: 'Card', es: 'Tarjeta' }, creators: ['tier1', 'tier2', 'public'],
      fields: { cardNumber: { required: true, maxLength: 12 } },
      gates: [{
        id: 'card-wait', gate: 'waiting-period', since: ['status:card-was-returned', 'status:card-was-mailed'], days: 10,
        advice: { en: 'Wait until {date}.', es: 'Espere hasta el {date}.' }, missingAdvice: { en: 'Not mailed.', es: 'No enviada.' },
      }],
      due: { businessDays: 10 }, priority: 'normal', routeTo: 'holding-office',
    },
    {
      type: 'expedite', title: { en: 'Expedite', es: 'Acelerar' }, creators: ['tier2', 'public'], fields: {},
      gates: [
        { id: 'only-pending', gate: 'case-pending', creators: ['public'], advice: { en: 'Decided.', es: 'Decidido.' } },
        { id: 'refugee', gate: 'protected-category', advice: { en: 'Call {phone}.', es: 'Llame al {phone}.' } },
      ],
      due: { businessDays: 2 }, priority: 'high', routeTo: 'holding-office',
    },
  ],
};
const FAKE_OFFICES = [{ code: 'OTT', timeZone: 'America/Toronto' }, { code: 'VAN', timeZone: 'America/Vancouver' }];
const fake = new ServiceRequestRules(checkPolicy(FAKE, { officeCodes: ['OTT', 'VAN'] }), { offices: FAKE_OFFICES, phone: '1-888-242-2100' });

test('a second agency: its own calendars, kinds, routes, gates and creators, with the same engine', () => {
  const facts = { office: 'VAN', history: [{ date: '2026-07-01', status: 'card-was-mailed' }] };
  const july30 = new Date('2026-07-30T20:00:00Z'); // Thursday, 13:00 in Vancouver, 16:00 in Toronto
  // From Thursday 30 July in British Columbia: 31 July, (BC Day, Monday 3 August), 4–7, 10–14 → 14 August.
  assert.deepEqual(ask('card-not-received', { cardNumber: 'C123' }, facts, 'public', fake, july30),
    { ok: true, type: 'card-not-received', office: 'VAN', createdDate: '2026-07-30', dueDate: '2026-08-14', businessDays: 10, priority: 'normal' });
  // Ontario has no public holiday on 3 August: 31 July, 3–7, 10–13 → 13 August.
  assert.deepEqual(ask('card-not-received', { cardNumber: 'C123', urgency: 'urgent' }, { ...facts, office: 'OTT' }, 'public', fake, july30),
    { ok: true, type: 'card-not-received', office: 'OTT', createdDate: '2026-07-30', dueDate: '2026-08-13', businessDays: 10, priority: 'normal' });
  // "other" goes to Ottawa whoever holds the case; U.S. Thanksgiving (26 November) is a business day there.
  assert.deepEqual(ask('other', {}, { office: 'VAN' }, 'public', fake, new Date('2026-11-25T15:00:00Z')),
    { ok: true, type: 'other', office: 'OTT', createdDate: '2026-11-25', dueDate: '2026-11-30', businessDays: 3, priority: 'low' });
  // Canada Day, 1 July, is not a business day.
  assert.equal((ask('expedite', {}, { office: 'OTT' }, 'tier2', fake, new Date('2026-06-29T15:00:00Z')) as { dueDate: string }).dueDate, '2026-07-02');

  assert.deepEqual(refused(ask('cardless', {}, {}, 'tier1', fake)).errors, [{ field: 'type', code: 'unknown-type', detail: 'One of: other, card-not-received, expedite.' }]);
  assert.equal(refused(ask('change-of-address', {}, {}, 'tier1', fake)).rule, 'known-type', 'a kind this agency does not offer');
  assert.deepEqual(refused(ask('card-not-received', {}, facts, 'tier1', fake)).errors, [{ field: 'cardNumber', code: 'required', detail: 'Required for a card-not-received request.' }]);
  assert.equal(ask('card-not-received', { cardNumber: 'C123' }, { ...facts, office: 'OTT' }, 'tier1', fake, july30).ok, true, 'no common details field in this file');
  assert.equal(refused(ask('other', {}, {}, 'tier2', fake)).code, 'forbidden');

  const returned = refused(ask('card-not-received', { cardNumber: 'C1' }, { office: 'OTT', history: [{ date: '2026-07-01', status: 'card-was-mailed' }, { date: '2026-07-25', status: 'card-was-returned' }] }, 'tier1', fake, july30));
  assert.deepEqual([returned.rule, returned.earliestInquiryDate, adviceText(returned, 'es')], ['card-wait', '2026-08-04', 'Espere hasta el 2026-08-04.'], 'the first anchor found wins');
  assert.equal(refused(ask('card-not-received', { cardNumber: 'C1' }, { office: 'OTT', history: [] }, 'tier1', fake, july30)).code, 'unprocessable');

  assert.equal(refused(ask('expedite', {}, { office: 'OTT', decided: true }, 'public', fake)).rule, 'only-pending');
  assert.equal(ask('expedite', {}, { office: 'OTT', decided: true }, 'tier2', fake).ok, true, 'the gate applies to the public only');
  const refugee = refused(ask('expedite', {}, { office: 'OTT', protectedCategory: 'refugee-claimant' }, 'tier2', fake));
  assert.deepEqual([refugee.rule, refugee.code, adviceText(refugee, 'en')], ['refugee', 'unprocessable', 'Call 1-888-242-2100.']);
  assert.equal(ask('expedite', {}, { office: 'OTT', protectedCategory: 'VAWA' }, 'tier2', fake).ok, true, 'VAWA is not protected in this file');
  assert.equal(fake.needsInquiry('expedite'), false);
  assert.deepEqual(fake.kindsFor('tier2').map((k) => k.type), ['card-not-received', 'expedite']);
});

test('a route to an office the engine was not told about fails at set-up', () => {
  const policy = checkPolicy(FAKE, { officeCodes: ['OTT', 'VAN'] });
  assert.throws(() => new ServiceRequestRules(policy, { offices: [FAKE_OFFICES[1]!], phone: '' }), /unknown office OTT/);
  assert.throws(() => new ServiceRequestRules({ ...policy, kinds: [] }, { offices: [FAKE_OFFICES[0]!], phone: '' }), /unknown office VAN/, 'an office calendar too');
});

/** The first bad entry of a file, as the loader reports it. */
function problem(change: (p: Record<string, any>) => void, base: () => Record<string, any> = uscisRaw): string {
  const p = base();
  change(p);
  try {
    checkPolicy(p, { officeCodes: CODES });
  } catch (e) {
    assert.ok(e instanceof PolicyError, String(e));
    assert.ok(e.message.startsWith(`${e.path}: `), e.message);
    return e.message;
  }
  return 'accepted';
}

test('the file check names the bad entry', () => {
  const k = (i: number) => (p: Record<string, any>) => p.kinds[i];
  const cases: Array<[(p: Record<string, any>) => void, string]> = [
    [(p) => { p.colour = 'blue'; }, 'policy.colour: is not a known key'],
    [(p) => { p.calendar.country = 'XX'; }, 'calendar: unknown holiday country: XX'],
    [(p) => { p.calendar.region = 'ZZ'; }, 'calendar: unknown holiday region: US-ZZ'],
    [(p) => { p.calendar.region = ''; }, 'calendar.region: must be a non-empty string'],
    [(p) => { p.calendar.holidayTypes = ['public', 'public']; }, 'calendar.holidayTypes[1]: is listed twice'],
    [(p) => { p.calendar.closures = ['2026-02-30']; }, 'calendar: not a date (YYYY-MM-DD)'],
    [(p) => { p.calendar.weekend = [0]; }, 'calendar.weekend: is not a known key'],
    [(p) => { p.calendar = 'US'; }, 'calendar: must be an object'],
    [(p) => { p.officeCalendars = { XYZ: p.calendar }; }, 'officeCalendars.XYZ: is not an office of the agency'],
    [(p) => { p.officeCalendars = { NBC: { country: 'US' } }; }, 'officeCalendars.NBC.holidayTypes: must be a list'],
    [(p) => { p.officeCalendars = []; }, 'officeCalendars: must be an object'],
    [(p) => { p.protectedCategories = 'VAWA'; }, 'protectedCategories: must be a list'],
    [(p) => { p.protectedCategories = ['VAWA', '']; }, 'protectedCategories[1]: must be a non-empty string'],
    [(p) => { p.commonFields.details.pattern = '.*'; }, 'commonFields.details.pattern: is not a known key'],
    [(p) => { p.commonFields.details.required = 'yes'; }, 'commonFields.details.required: must be true or false'],
    [(p) => { p.commonFields.details.maxLength = 0; }, 'commonFields.details.maxLength: must be a whole number from 1 to 1000000'],
    [(p) => { p.commonFields.urgency.oneOf = []; }, 'commonFields.urgency.oneOf: must name at least one value'],
    [(p) => { p.commonFields.urgency = true; }, 'commonFields.urgency: must be an object'],
    [(p) => { p.commonGates[0].gate = 'magic'; }, 'commonGates[0].gate: must be one of case-pending, outside-normal-processing-time, protected-category, waiting-period'],
    [(p) => { p.commonGates[0].id = 'Online_Protected'; }, 'commonGates[0].id: must be kebab-case'],
    [(p) => { p.commonGates[0].id = 'online_protected'; }, 'commonGates[0].id: must be kebab-case'],
    [(p) => { p.commonGates[0].id = 'Online-protected'; }, 'commonGates[0].id: must be kebab-case'],
    [(p) => { p.commonGates[0].id = 'online-'; }, 'commonGates[0].id: must be kebab-case'],
    [(p) => { p.commonGates[0].id = 7; }, 'commonGates[0].id: must be a non-empty string'],
    [(p) => { p.commonFields.details.maxLength = 1_000_001; }, 'commonFields.details.maxLength: must be a whole number from 1 to 1000000'],
    [(p) => { p.kinds[0] = { ...p.kinds[0], type: 5 }; }, 'kinds[0].type: is not a type of CONTRACT.md section 10'],
    [(p) => { k(4)(p).gates[0].since = ['received', 'xstatus:card-was-mailed']; }, 'kinds[4] (notice-not-received).gates[0].since[1]: must be last-notice, received or status:<status-code>'],
    [(p) => { k(4)(p).gates[0].since = ['received', 'status:card-was-mailed!']; }, 'kinds[4] (notice-not-received).gates[0].since[1]: must be last-notice, received or status:<status-code>'],
    [(p) => { k(4)(p).gates[0].since = ['received', 'status:']; }, 'kinds[4] (notice-not-received).gates[0].since[1]: must be last-notice, received or status:<status-code>'],
    [(p) => { p.commonGates[0].id = 'decided-case-expedite'; }, 'kinds[1] (expedite).gates[0].id: "decided-case-expedite" is used by another rule'],
    [(p) => { p.commonGates[0].creators = ['anyone']; }, 'commonGates[0].creators[0]: must be one of tier1, tier2, public'],
    [(p) => { p.commonGates[0].advice.es = ''; }, 'commonGates[0].advice.es: must be a non-empty string'],
    [(p) => { p.commonGates[0].advice.fr = 'x'; }, 'commonGates[0].advice.fr: is not a known key'],
    [(p) => { p.commonGates[0].advice.en = 'From {date}.'; }, 'commonGates[0].advice.en: names {date}; allowed here: {phone}'],
    [(p) => { p.commonGates[0].since = ['received']; }, 'commonGates[0].since: is not a known key'],
    [(p) => { p.commonGates = {}; }, 'commonGates: must be a list'],
    [(p) => { p.kinds = []; }, 'kinds: must be a list of at least one kind'],
    [(p) => { p.kinds = {}; }, 'kinds: must be a list of at least one kind'],
    [(p) => { p.kinds[3] = 'kind'; }, 'kinds[3]: must be an object'],
    [(p) => { k(1)(p).type = 'refund'; }, 'kinds[1] (refund).type: is not a type of CONTRACT.md section 10'],
    [(p) => { k(1)(p).type = 'outside-normal-processing-time'; }, 'kinds[1] (outside-normal-processing-time).type: is listed twice'],
    [(p) => { k(0)(p).colour = 1; }, 'kinds[0] (outside-normal-processing-time).colour: is not a known key'],
    [(p) => { k(0)(p).title.es = ' '; }, 'kinds[0] (outside-normal-processing-time).title.es: must be a non-empty string'],
    [(p) => { k(0)(p).title.en = 'Call {phone}'; }, 'kinds[0] (outside-normal-processing-time).title.en: names {phone}; allowed here: none'],
    [(p) => { k(0)(p).gates[1].advice.es = 'Desde el {fecha}.'; }, 'kinds[0] (outside-normal-processing-time).gates[1].advice.es: names {fecha}; allowed here: {date} {phone}'],
    [(p) => { k(2)(p).gates[0].advice.en = 'From {date}.'; }, 'kinds[2] (change-of-address).gates[0].advice.en: names {date}; allowed here: {phone}'],
    [(p) => { k(0)(p).creators = ['tier3']; }, 'kinds[0] (outside-normal-processing-time).creators[0]: must be one of tier1, tier2, public'],
    [(p) => { k(0)(p).creators = []; }, 'kinds[0] (outside-normal-processing-time).creators: must name at least one creator'],
    [(p) => { k(0)(p).creators = ['tier1', 'tier1']; }, 'kinds[0] (outside-normal-processing-time).creators[1]: is listed twice'],
    [(p) => { k(6)(p).due.businessDays = 0; }, 'kinds[6] (typographical-error).due.businessDays: must be a whole number from 1 to 260'],
    [(p) => { k(6)(p).due.businessDays = 261; }, 'kinds[6] (typographical-error).due.businessDays: must be a whole number from 1 to 260'],
    [(p) => { k(6)(p).due.businessDays = 2.5; }, 'kinds[6] (typographical-error).due.businessDays: must be a whole number from 1 to 260'],
    [(p) => { k(6)(p).due.businessDays = '5'; }, 'kinds[6] (typographical-error).due.businessDays: must be a whole number from 1 to 260'],
    [(p) => { k(6)(p).due.calendarDays = 5; }, 'kinds[6] (typographical-error).due.calendarDays: is not a known key'],
    [(p) => { k(6)(p).due = 5; }, 'kinds[6] (typographical-error).due: must be an object'],
    [(p) => { k(6)(p).priority = 'urgent'; }, 'kinds[6] (typographical-error).priority: must be one of high, normal, low'],
    [(p) => { k(0)(p).urgentPriority = 'now'; }, 'kinds[0] (outside-normal-processing-time).urgentPriority: must be one of high, normal, low'],
    [(p) => { k(8)(p).routeTo = { office: 'XYZ' }; }, 'kinds[8] (other).routeTo.office: is not an office of the agency'],
    [(p) => { k(8)(p).routeTo = { office: 'NBC', why: 'x' }; }, 'kinds[8] (other).routeTo.why: is not a known key'],
    [(p) => { k(8)(p).routeTo = 'somewhere'; }, 'kinds[8] (other).routeTo: must be an object'],
    [(p) => { k(8)(p).fields = []; }, 'kinds[8] (other).fields: must be an object'],
    [(p) => { k(8)(p).gates = null; }, 'kinds[8] (other).gates: must be a list'],
    [(p) => { k(4)(p).gates[0].since = []; }, 'kinds[4] (notice-not-received).gates[0].since: must name at least one date'],
    [(p) => { k(4)(p).gates[0].since = ['yesterday']; }, 'kinds[4] (notice-not-received).gates[0].since[0]: must be last-notice, received or status:<status-code>'],
    [(p) => { k(4)(p).gates[0].since = ['received', 'status:Card Mailed']; }, 'kinds[4] (notice-not-received).gates[0].since[1]: must be last-notice, received or status:<status-code>'],
    [(p) => { k(4)(p).gates[0].since = ['last-notice']; }, 'kinds[4] (notice-not-received).gates[0].missingAdvice: is required unless since includes received'],
    [(p) => { k(4)(p).gates[0].days = 0; }, 'kinds[4] (notice-not-received).gates[0].days: must be a whole number from 1 to 731'],
    [(p) => { k(4)(p).gates[0].days = 732; }, 'kinds[4] (notice-not-received).gates[0].days: must be a whole number from 1 to 731'],
    [(p) => { k(5)(p).gates[0].missingAdvice.en = 'After {date}.'; }, 'kinds[5] (card-not-received).gates[0].missingAdvice.en: names {date}; allowed here: {phone}'],
    [(p) => { k(5)(p).gates[0].missingAdvice = 'none'; }, 'kinds[5] (card-not-received).gates[0].missingAdvice: must be an object'],
  ];
  for (const [change, message] of cases) assert.equal(problem(change), message);
  assert.equal(problem(() => {}), 'accepted');
  assert.equal(problem((p) => { p.kinds[4].gates[0].days = 731; p.kinds[6].due.businessDays = 260; p.commonFields.details.maxLength = 1_000_000; }), 'accepted', 'the largest values are allowed');
  assert.equal(problem((p) => { p.kinds[4].gates[0].days = 1; p.kinds[6].due.businessDays = 1; p.commonFields.details.maxLength = 1; }), 'accepted', 'the smallest too');
  assert.equal(problem((p) => { p.kinds[4].gates[0].since = ['status:card-was-mailed', 'received']; p.officeCalendars = { NBC: { country: 'US', holidayTypes: ['public'] } }; }), 'accepted');
  assert.deepEqual([MAX_WAITING_DAYS, MAX_DUE_BUSINESS_DAYS], [731, 260]);
  assert.equal(problem((p) => { delete p.$comment; delete p.officeCalendars; delete p.commonFields; delete p.commonGates; p.calendar.region = undefined; delete p.calendar.closures; }), 'accepted', 'optional parts');
  assert.equal(problem((p) => { p.kinds[0].gates[1].advice.en = 'No slots here.'; }), 'accepted');
  assert.throws(() => checkPolicy(null, { officeCodes: [] }), /^PolicyError: policy: must be an object$/);
  assert.throws(() => checkPolicy([], { officeCodes: [] }), /policy: must be an object/);
});

test('checked values come back typed and complete', () => {
  const p = checkPolicy(FAKE, { officeCodes: ['OTT', 'VAN'] });
  assert.deepEqual(p.calendar, { country: 'CA', region: 'ON', holidayTypes: ['public'], closures: [] });
  assert.deepEqual(p.commonFields, {});
  assert.deepEqual(p.commonGates, []);
  assert.deepEqual(p.kinds[1]!.fields, { cardNumber: { required: true, maxLength: 12 } });
  assert.deepEqual(p.kinds[1]!.gates[0], FAKE.kinds[1]!.gates[0]);
  assert.deepEqual(p.kinds[2]!.gates[0], FAKE.kinds[2]!.gates[0]);
  assert.equal('creators' in p.kinds[2]!.gates[1]!, false, 'no creators key when the file has none');
  assert.equal('urgentPriority' in p.kinds[0]!, false);
  assert.equal(uscis.policy.kinds[0]!.urgentPriority, 'high');
  assert.deepEqual(uscis.policy.commonFields, { details: { required: true, maxLength: 4000 }, urgency: { oneOf: ['urgent', 'regular'] } });
});
