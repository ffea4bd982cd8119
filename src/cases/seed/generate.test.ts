/** The synthetic case generator: deterministic, accepted by the feed, and shaped like the real thing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAgency } from '../../platform/reference.ts';
import { checkFeedRecord, feedVocabulary } from '../feed-record.ts';
import { parseReceiptNumber } from '../../domain/receipt-number.ts';
import { createGenerator, nextCase, type SeedRecord } from './generate.ts';

const TODAY = '2026-11-29';
const agency = loadAgency('uscis');
const statusDecision = new Map(agency.statuses.map((s) => [s.code, s.decision]));
const generate = (seed: number, n: number, today = TODAY) => {
  const s = createGenerator(seed, today);
  return Array.from({ length: n }, () => nextCase(s));
};
const records = generate(20261129, 5000);
const share = (pred: (r: SeedRecord) => boolean) => records.filter(pred).length / records.length;
const last = (r: SeedRecord) => r.history[r.history.length - 1]!.status;

/** The office a receipt prefix names (IOE: filed online, any office). */
const PREFIX_OFFICE: Record<string, string> = { EAC: 'VSC', WAC: 'CSC', LIN: 'NSC', SRC: 'TSC', YSC: 'PSC', MSC: 'NBC', NBC: 'NBC' };
const FIELD_OFFICES = ['NYC', 'LOS', 'CHI', 'MIA', 'HOU'];
const CARD_STATUSES = ['new-card-is-being-produced', 'card-was-mailed', 'card-was-delivered', 'card-was-returned'];

/**
 * Federal holidays and observed days on weekdays, October 2021 – December 2026, typed in from OPM's published
 * schedules (not from the code under test or its holiday library).
 */
const FEDERAL_HOLIDAYS = new Set([
  '2021-10-11', '2021-11-11', '2021-11-25', '2021-12-24', '2021-12-31',
  '2022-01-17', '2022-02-21', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-10-10', '2022-11-11', '2022-11-24', '2022-12-26',
  '2023-01-02', '2023-01-16', '2023-02-20', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-10-09', '2023-11-10', '2023-11-23', '2023-12-25',
  '2024-01-01', '2024-01-15', '2024-02-19', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-10-14', '2024-11-11', '2024-11-28', '2024-12-25',
  '2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25',
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
]);
const isWorkday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() % 6 !== 0 && !FEDERAL_HOLIDAYS.has(date);

/** An independent count: business days from 1 October of the fiscal year through the date, walking day by day. */
function expectedDigits(date: string): { fiscalYear: number; workday: number } {
  const day = new Date(`${date}T00:00:00Z`);
  const fy = day.getUTCMonth() >= 9 ? day.getUTCFullYear() + 1 : day.getUTCFullYear();
  let workday = 0;
  for (const d = new Date(Date.UTC(fy - 1, 9, 1)); d <= day; d.setUTCDate(d.getUTCDate() + 1)) if (isWorkday(d.toISOString().slice(0, 10))) workday++;
  return { fiscalYear: fy % 100, workday };
}

test('the same seed and day give byte-identical records; the first records do not depend on how many follow', () => {
  assert.equal(JSON.stringify(generate(5, 1000)), JSON.stringify(generate(5, 1000)));
  assert.equal(JSON.stringify(generate(5, 300)), JSON.stringify(generate(5, 1000).slice(0, 300)));
  assert.notEqual(JSON.stringify(generate(6, 50)), JSON.stringify(generate(5, 50)));
});

test('the case feed accepts every record', () => {
  const v = feedVocabulary(agency);
  for (const r of records) {
    const checked = checkFeedRecord(r, v, '2026-11-29T12:00:00.000Z');
    assert.ok(checked.ok, `${r.receiptNumber}: ${checked.ok ? '' : checked.rejection.detail}`);
    assert.equal(checked.row.decided_date, r.decidedDate, 'the feed derives the same decision date');
  }
});

test('receipt numbers are valid, unique, and name the filing office, fiscal year and workday (federal holidays excluded) of receipt', () => {
  const seen = new Set<string>();
  for (const r of records) {
    const rn = parseReceiptNumber(r.receiptNumber, agency.receiptPrefixes);
    assert.ok(rn && rn.value === r.receiptNumber, r.receiptNumber);
    assert.ok(!seen.has(r.receiptNumber), `duplicate ${r.receiptNumber}`);
    seen.add(r.receiptNumber);
    const expected = expectedDigits(r.receivedDate);
    assert.equal(rn.fiscalYear, expected.fiscalYear, `${r.receiptNumber} received ${r.receivedDate}`);
    assert.equal(rn.workday, expected.workday, `${r.receiptNumber} received ${r.receivedDate}`);
    const transferred = r.history.some((h) => h.status === 'case-was-transferred');
    if (rn.prefix !== 'IOE' && !transferred) assert.equal(r.office, PREFIX_OFFICE[rn.prefix], `${r.receiptNumber} held by ${r.office}`);
    if (rn.prefix === 'NBC') assert.match(r.formType, /^N-/);
    if (rn.prefix === 'IOE') assert.ok(['I-90', 'I-765', 'N-400'].includes(r.formType), `${r.formType} filed online`);
  }
});

test('histories run oldest first from receipt to today; decided cases end in a decision (and then the card)', () => {
  const threeYearsAgo = '2023-11-24';
  for (const r of records) {
    assert.equal(r.history[0]!.status, 'case-was-received');
    assert.equal(r.history[0]!.date, r.receivedDate);
    assert.ok(r.receivedDate >= threeYearsAgo && r.receivedDate <= TODAY, r.receivedDate);
    assert.ok(isWorkday(r.receivedDate), `${r.receiptNumber} received on ${r.receivedDate}, a weekend or federal holiday`);
    for (const h of r.history) assert.ok(isWorkday(h.date), `${r.receiptNumber}: ${h.status} on ${h.date}, a weekend or federal holiday`);
    for (let i = 1; i < r.history.length; i++) assert.ok(r.history[i - 1]!.date <= r.history[i]!.date, `${r.receiptNumber} history out of order`);
    assert.ok(r.history[r.history.length - 1]!.date <= TODAY);
    const decisions = r.history.filter((h) => statusDecision.get(h.status));
    if (r.decidedDate === null) {
      assert.equal(decisions.length, 0, `${r.receiptNumber} pending but decided`);
    } else {
      assert.equal(decisions.length, 1);
      assert.equal(r.decidedDate, decisions[0]!.date);
      assert.ok(r.decidedDate >= r.receivedDate);
      const after = r.history.slice(r.history.indexOf(decisions[0]!) + 1).map((h) => h.status);
      assert.ok(after.every((s) => CARD_STATUSES.includes(s)), `${r.receiptNumber}: ${after.join(', ')} after the decision`);
      if (after.length) assert.ok(['I-90', 'I-485', 'I-765', 'I-751'].includes(r.formType) && decisions[0]!.status === 'case-was-approved');
    }
  }
});

test('notices and RFEs follow the history', () => {
  for (const r of records) {
    const receipt = r.notices[0];
    if (receipt) {
      assert.equal(receipt.type, 'receipt');
      let workdays = 0;
      for (const d = new Date(`${r.receivedDate}T00:00:00Z`); d.toISOString().slice(0, 10) < receipt.date;) {
        d.setUTCDate(d.getUTCDate() + 1);
        if (isWorkday(d.toISOString().slice(0, 10))) workdays++;
      }
      assert.ok(workdays >= 2 && workdays <= 5, `receipt notice ${workdays} working days after receipt (2–5; holidays do not count)`);
    } else {
      assert.ok(r.receivedDate >= '2026-11-20', 'only the newest cases wait for their receipt notice');
    }
    for (let i = 1; i < r.notices.length; i++) assert.ok(r.notices[i - 1]!.date <= r.notices[i]!.date);
    for (const n of [...r.notices, ...r.rfes]) assert.ok(n.date >= r.receivedDate && n.date <= TODAY);
    for (const n of r.notices) assert.ok(isWorkday(n.date), `${r.receiptNumber}: ${n.type} notice on ${n.date}, a weekend or federal holiday`);
    const asked = r.history.filter((h) => h.status === 'request-for-evidence-was-sent' || h.status === 'request-for-initial-evidence-was-sent');
    assert.deepEqual(r.rfes.map((x) => x.date), asked.map((h) => h.date), `${r.receiptNumber}: an RFE for each request`);
    assert.ok(r.rfes.every((x) => x.text.length > 20));
  }
});

test('offices fit the form: benefits-center forms name a field office, transfers move the case', () => {
  for (const r of records) {
    if (['I-485', 'N-400', 'N-600'].includes(r.formType)) assert.ok(FIELD_OFFICES.includes(r.fieldOffice!), `${r.receiptNumber} field office`);
    else assert.equal(r.fieldOffice, undefined);
    if (r.formType === 'N-400' || r.formType === 'N-600' || (r.formType === 'I-485' && r.formCategory === 'family-based')) {
      assert.ok(r.office === 'NBC' || r.office === r.fieldOffice, `${r.receiptNumber} at ${r.office}`);
    }
    if (FIELD_OFFICES.includes(r.office)) assert.ok(r.history.some((h) => h.status === 'case-was-transferred'));
  }
  assert.ok(share((r) => r.history.some((h) => h.status === 'case-was-transferred')) > 0.02, 'some cases were transferred');
});

test('priority dates, preference categories and chargeability where the form sets a priority date', () => {
  const withPriorityDate = new Set(agency.forms.filter((f) => f.priorityDate).map((f) => f.code));
  const allowed: Record<string, Array<string | null>> = {
    'I-130': [null, 'F1', 'F2A', 'F2B', 'F3', 'F4'], 'I-140': ['EB1', 'EB2', 'EB3'], 'I-526': ['EB5'], 'I-360': [null, 'EB4'],
  };
  for (const r of records) {
    if (!withPriorityDate.has(r.formType)) {
      assert.deepEqual([r.priorityDate, r.preferenceCategory, r.chargeability], [null, null, null]);
      continue;
    }
    assert.ok(r.priorityDate && r.priorityDate <= r.receivedDate);
    assert.ok(allowed[r.formType]!.includes(r.preferenceCategory), `${r.formType} ${r.preferenceCategory}`);
    if (r.preferenceCategory) assert.ok(['ALL', 'CHINA', 'INDIA', 'MEXICO', 'PHILIPPINES'].includes(r.chargeability!));
    else assert.equal(r.chargeability, null, 'immediate relatives are not subject to the bulletin');
  }
  const i130 = records.filter((r) => r.formType === 'I-130' && r.preferenceCategory);
  assert.ok(new Set(i130.map((r) => r.preferenceCategory)).size === 5, 'F1, F2A, F2B, F3 and F4 all occur');
  const employment = records.filter((r) => r.formType === 'I-140');
  assert.ok(employment.filter((r) => r.chargeability === 'INDIA').length / employment.length > 0.25, 'India leads employment-based filings');
});

test('categories come from the reference data (or the few it still lacks)', () => {
  const known = new Set(agency.forms.flatMap((f) => f.categories.map((c) => `${f.code}|${c.code}`)));
  for (const r of records) assert.ok(known.has(`${r.formType}|${r.formCategory}`), `${r.formType} ${r.formCategory}`);
});

test('applicants look like people: names, birth dates before receipt, 555 phones, example.org e-mail', () => {
  for (const r of records) {
    const a = r.applicant;
    assert.match(a.name, /^\S+( \S+)+$/u);
    assert.ok(a.dateOfBirth < r.receivedDate);
    assert.match(a.phone, /^\+1555\d{7}$/);
    if (a.email !== null) assert.match(a.email, /^[a-z0-9.]+@example\.org$/);
    if (a.aNumber !== null) assert.match(a.aNumber, /^A\d{9}$/);
    assert.match(a.address.zip, /^\d{5}$/);
    if (r.formType === 'N-400') assert.ok(a.dateOfBirth <= `${Number(r.receivedDate.slice(0, 4)) - 18}${r.receivedDate.slice(4)}`, 'naturalization applicants are adults');
  }
  assert.ok(new Set(records.map((r) => r.applicant.name)).size > 2500, 'names vary');
  assert.ok(new Set(records.map((r) => r.applicant.countryOfBirth)).size > 20, 'from many countries');
});

test('shares over 5,000 records are roughly right', () => {
  const byForm = new Map<string, number>();
  for (const r of records) byForm.set(r.formType, (byForm.get(r.formType) ?? 0) + 1);
  const top5 = [...byForm].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([f]) => f).sort();
  assert.deepEqual(top5, ['I-130', 'I-485', 'I-765', 'I-90', 'N-400']);
  assert.ok(Math.abs(byForm.get('I-765')! / records.length - 0.26) < 0.03, 'about a quarter are work permits');

  const pending = share((r) => r.decidedDate === null);
  assert.ok(pending >= 0.3 && pending <= 0.45, `pending ${pending}`);
  const decided = records.filter((r) => r.decidedDate !== null && statusDecision.get(r.history.find((h) => statusDecision.get(h.status))!.status) === 'approved');
  assert.ok(decided.length / records.filter((r) => r.decidedDate).length > 0.8, 'most decisions are approvals');
  const check = (name: string, value: number, low: number, high: number) => assert.ok(value >= low && value <= high, `${name} ${value}`);
  check('protected category', share((r) => r.applicant.protectedCategory !== null), 0.008, 0.025);
  check('military', share((r) => r.applicant.military), 0.01, 0.035);
  check('representative with G-28', share((r) => r.representative?.g28OnFile === true), 0.2, 0.32);
  check('A-number', share((r) => r.applicant.aNumber !== null), 0.5, 0.8);
  check('filed online', share((r) => r.receiptNumber.startsWith('IOE')), 0.1, 0.3);
  check('with an RFE', share((r) => r.rfes.length > 0), 0.04, 0.2);
  check('rejected', share((r) => last(r) === 'case-was-rejected'), 0.005, 0.03);
  check('withdrawn', share((r) => last(r) === 'withdrawal-acknowledged'), 0.005, 0.03);
  check('on hold', share((r) => last(r) === 'case-on-hold-pending-litigation'), 0.002, 0.02);
});

test('decision times follow each form: work permits in months, petitions in about a year', () => {
  const median = (form: string) => {
    const days = records.filter((r) => r.formType === form && r.decidedDate && statusDecision.get(r.history.find((h) => statusDecision.get(h.status))!.status) !== 'rejected')
      .map((r) => (Date.parse(r.decidedDate!) - Date.parse(r.receivedDate)) / 86_400_000).sort((a, b) => a - b);
    return days[Math.floor(days.length / 2)]!;
  };
  // Decided cases are biased towards the quick ones (slow ones are still pending), hence generous ranges.
  const inRange = (form: string, low: number, high: number) => { const m = median(form); assert.ok(m >= low && m <= high, `${form} median ${m} days`); };
  inRange('I-765', 50, 140);
  inRange('N-400', 130, 300);
  inRange('I-485', 180, 420);
  inRange('I-130', 220, 480);
  assert.ok(median('I-765') < median('N-400') && median('N-400') < median('I-130'));
});

test('today decides what has happened: nothing is dated after it, and nothing on a federal holiday', () => {
  const early = generate(9, 500, '2025-03-03');
  for (const r of early) {
    assert.ok(r.receivedDate <= '2025-03-03');
    for (const h of r.history) assert.ok(h.date <= '2025-03-03' && isWorkday(h.date), `${h.status} on ${h.date}`);
    if (r.receivedDate >= '2021-10-01') assert.equal(parseReceiptNumber(r.receiptNumber, agency.receiptPrefixes)!.workday, expectedDigits(r.receivedDate).workday);
  }
});

test('holidays are skipped, not merely unlikely: receipts cluster on the days around them', () => {
  const received = new Set(records.map((r) => r.receivedDate));
  for (const holiday of ['2026-11-26', '2026-07-03', '2025-12-25', '2025-01-20', '2024-07-04', '2023-11-23']) assert.ok(!received.has(holiday), holiday);
  assert.ok(received.has('2026-11-25') && received.has('2026-11-27'), 'the days around Thanksgiving 2026 have receipts');
});
