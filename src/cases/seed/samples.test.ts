import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, inquiryReceiptDate, months80FromDurations } from '../../domain/processing-time.ts';
import { SampleCollector } from './samples.ts';
import { createGenerator, nextCase, type SeedRecord } from './generate.ts';

const TODAY = '2026-11-29';

function record(receiptNumber: string, received: string, decided: string | null, status: string, overrides: Partial<SeedRecord> = {}): SeedRecord {
  return {
    receiptNumber, formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', receivedDate: received, decidedDate: decided,
    applicant: { name: 'A B', dateOfBirth: '1990-01-01', aNumber: null, countryOfBirth: 'MX', phone: '+15555550100', email: null, address: { street: '1 Main St', city: 'X', state: 'TX', zip: '77001' }, military: false, protectedCategory: null },
    representative: null, priorityDate: null, preferenceCategory: null, chargeability: null, premiumProcessingEligible: false,
    history: [{ date: received, status: 'case-was-received' }, ...(status === 'case-was-received' ? [] : [{ date: decided ?? received, status }])],
    notices: [], rfes: [], ...overrides,
  };
}

test('a pending case older than its group figure is offered as outside normal processing time', () => {
  const c = new SampleCollector(TODAY);
  // Twelve decisions in the last six months taking 100, 110, … 210 days: the 80th percentile is 190 days, 6.2 months.
  const durations = Array.from({ length: 12 }, (_, i) => 100 + 10 * i);
  durations.forEach((d, i) => c.observe(record(`EAC26900${String(i).padStart(5, '0')}`, addDays('2026-10-01', -d), '2026-10-01', 'case-was-approved')));
  const months = months80FromDurations(durations)!;
  assert.equal(months, 6.2);
  const cutoff = inquiryReceiptDate(TODAY, months);
  c.observe(record('EAC2690099998', addDays(cutoff, 1), null, 'case-is-being-actively-reviewed'));
  assert.equal(c.samples().find((s) => s.why.startsWith('outside')), undefined, 'received after the inquiry date: within normal time');
  c.observe(record('EAC2690099999', addDays(cutoff, -1), null, 'case-is-being-actively-reviewed'));
  const outside = c.samples().find((s) => s.why.startsWith('outside'));
  assert.equal(outside?.receiptNumber, 'EAC2690099999');
  assert.match(outside!.why, /6\.2 months/);
});

test('without ten decisions the default of six months applies', () => {
  const c = new SampleCollector(TODAY);
  c.observe(record('WAC2690000001', addDays(TODAY, -150), null, 'case-was-received', { office: 'CSC' }));
  assert.equal(c.samples().length, 0);
  c.observe(record('WAC2690000002', addDays(TODAY, -200), null, 'case-was-received', { office: 'CSC' }));
  assert.equal(c.samples()[0]?.receiptNumber, 'WAC2690000002');
});

test('a generated seed offers a pending, an approved, an e-filed and an outside-normal-time case', () => {
  const s = createGenerator(1, TODAY);
  const c = new SampleCollector(TODAY);
  for (let i = 0; i < 5000; i++) c.observe(nextCase(s));
  const why = c.samples().map((x) => x.why.split(' ')[0]);
  for (const w of ['outside', 'pending', 'approved,', 'filed']) assert.ok(why.includes(w), `${w} in ${why.join(' | ')}`);
});

test('collectors that each watched some of the cases, merged, offer what one collector watching all of them offers', () => {
  const s = createGenerator(2, TODAY);
  const records = Array.from({ length: 6000 }, () => nextCase(s));
  const whole = new SampleCollector(TODAY);
  records.forEach((r, i) => whole.observe(r, i));
  // Three "threads", batches of 250 dealt out in turn, merged in an order that is not theirs.
  const parts = [0, 1, 2].map(() => new SampleCollector(TODAY));
  records.forEach((r, i) => parts[Math.floor(i / 250) % 3]!.observe(r, i));
  const merged = new SampleCollector(TODAY);
  for (const p of [parts[2]!, parts[0]!, parts[1]!]) merged.absorb(p.state());
  assert.deepEqual(merged.samples(), whole.samples());
  assert.ok(whole.samples().length >= 4);
  // Not a tautology: one part alone offers other cases.
  const alone = new SampleCollector(TODAY);
  alone.absorb(parts[1]!.state());
  assert.notDeepEqual(alone.samples(), whole.samples());
});
