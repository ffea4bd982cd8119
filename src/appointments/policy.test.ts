/** Appointment capacity as data: the real file loads; a bad one names file and entry; slots follow hours, holidays and zones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAgency } from '../platform/reference.ts';
import { loadAppointmentPolicy } from './policy.ts';
import { inZone, servingOffice, slotsOf } from './checks.ts';

const agency = loadAgency('uscis');
const policy = loadAppointmentPolicy('uscis', agency);

test('the USCIS file loads: the five field offices of CONTRACT.md section 4, in their own time zones', () => {
  assert.deepEqual([...policy.offices.keys()].sort(), ['CHI', 'HOU', 'LOS', 'MIA', 'NYC']);
  for (const o of policy.offices.values()) assert.equal(o.timeZone, agency.offices.find((a) => a.code === o.code)!.timeZone);
});

test('a bad file stops the start, naming the file and the entry', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appt-'));
  fs.mkdirSync(path.join(dir, 'reference', 'x'), { recursive: true });
  const good = JSON.parse(fs.readFileSync(path.resolve('reference/uscis/appointments.json'), 'utf8'));
  const write = (v: unknown) => fs.writeFileSync(path.join(dir, 'reference', 'x', 'appointments.json'), JSON.stringify(v));
  const cases: Array<[(v: any) => void, RegExp]> = [
    [(v) => { v.offices.NYC.hours.mon[0][1] = '25:00'; }, /offices\.NYC\.hours\.mon\[0\]: a time is "HH:MM"/],
    [(v) => { v.offices.VSC = v.offices.NYC; }, /offices\.VSC: appointments are at field offices/],
    [(v) => { v.offices.LOS.seatsPerSlot = 0; }, /offices\.LOS\.seatsPerSlot/],
    [(v) => { v.stateOffices.TX = 'ZZZ'; }, /stateOffices\.TX/],
    [(v) => { v.offices.CHI.closures = ['2026-13-01']; }, /offices\.CHI\.closures/],
    [(v) => { v.reasons[1].code = v.reasons[0].code; }, /reasons\[1\]\.code: .* listed twice/],
  ];
  for (const [change, message] of cases) {
    const v = structuredClone(good);
    change(v);
    write(v);
    assert.throws(() => loadAppointmentPolicy('x', agency, dir), (e: Error) => e.message.includes('appointments.json') && message.test(e.message));
  }
  fs.writeFileSync(path.join(dir, 'reference', 'x', 'appointments.json'), '{ not json');
  assert.throws(() => loadAppointmentPolicy('x', agency, dir), /appointments\.json/);
});

test('slots: the office\'s hours in its own zone; no slots on weekends, federal holidays or its closures', () => {
  const nyc = policy.offices.get('NYC')!;
  // Mon 21 – Sun 27 December 2026: the 24th is NYC's own closure, the 25th Christmas Day, then the weekend.
  const slots = slotsOf(nyc, '2026-12-21', '2026-12-27');
  const days = [...new Set(slots.map((s) => s.date))];
  assert.deepEqual(days, ['2026-12-21', '2026-12-22', '2026-12-23']);
  // 08:00–12:00 and 13:00–15:30 in 30-minute slots: 8 + 5.
  assert.equal(slots.filter((s) => s.date === '2026-12-21').length, 13);
  assert.equal(inZone(slots[0]!.key, nyc.timeZone), '2026-12-21T08:00:00-05:00');
  assert.equal(slots[0]!.key, '2026-12-21T13:00:00.000Z');
  assert.equal(inZone(slots[12]!.key, nyc.timeZone), '2026-12-21T15:00:00-05:00');
  // Martin Luther King Jr. Day (Monday 18 January 2027): nothing.
  assert.deepEqual(slotsOf(nyc, '2027-01-18', '2027-01-18'), []);
  // After the change to daylight time the opening hour stays 08:00 local, now at -04:00.
  assert.equal(inZone(slotsOf(nyc, '2027-03-15', '2027-03-15')[0]!.key, nyc.timeZone), '2027-03-15T08:00:00-04:00');
  // Los Angeles opens at 07:30 Pacific time.
  const los = policy.offices.get('LOS')!;
  assert.equal(inZone(slotsOf(los, '2026-12-21', '2026-12-21')[0]!.key, los.timeZone), '2026-12-21T07:30:00-08:00');
  // Chicago: 45-minute slots, Wednesday mornings only.
  const chi = policy.offices.get('CHI')!;
  assert.equal(slotsOf(chi, '2026-12-23', '2026-12-23').length, 5);
});

test('the serving office: the case\'s field office, else the applicant\'s state, else the default', () => {
  const applicant = (state: string | null) => JSON.stringify({ name: 'A', address: state ? { state } : null });
  assert.deepEqual(pick(servingOffice(policy, { field_office: 'MIA', applicant: applicant('TX') })), ['MIA', 'case-field-office']);
  assert.deepEqual(pick(servingOffice(policy, { field_office: null, applicant: applicant('tx') })), ['HOU', 'applicant-state']);
  // A field office without published capacity does not count; the state decides.
  assert.deepEqual(pick(servingOffice(policy, { field_office: 'VSC', applicant: applicant('CA') })), ['LOS', 'applicant-state']);
  assert.deepEqual(pick(servingOffice(policy, { field_office: null, applicant: applicant(null) })), ['NYC', 'default']);
});

const pick = (r: ReturnType<typeof servingOffice>) => [r.office.code, r.servedBy];
