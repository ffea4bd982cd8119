import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAgency } from '../platform/reference.ts';
import { checkFeedRecord, feedHash, feedVocabulary } from './feed-record.ts';

const vocabulary = feedVocabulary(loadAgency('uscis'));
const NOW = '2026-12-02T10:00:00.000Z';

/** A record that takes most of the normalising paths: spaced and lower-case codes, a short A-number, instants, an unsorted history. */
const record = () => ({
  receiptNumber: ' eac-2590-000001 ', formType: 'i-130', formCategory: 'Spouse of U.S. citizen', office: 'vsc', fieldOffice: 'nyc', receivedDate: '2025-01-14', decidedDate: null,
  applicant: { name: ' Ana Pérez ', dateOfBirth: '1990-03-02', aNumber: '12-345-678', countryOfBirth: 'MX', phone: '+15555550123', email: 'ana@example.org', address: { street: '1 Main St', city: 'Austin', state: 'TX', zip: '78701' }, military: true, protectedCategory: null },
  representative: { name: 'J. Lee', g28OnFile: true }, priorityDate: '2025-01-14', preferenceCategory: 'f2a', chargeability: 'mexico', premiumProcessingEligible: true,
  history: [{ date: '2025-03-01', status: 'case-was-approved' }, { at: '2025-01-14T23:30:00-05:00', status: 'case-was-received' }, { at: '2025-02-01T03:15:00.5+0530', status: 'case-is-being-actively-reviewed' }],
  notices: [{ id: 'N1', type: 'receipt', date: '2025-01-16', extra: 'dropped' }], rfes: [{ id: 'R1', date: '2025-02-01', text: 'Send a birth certificate.' }],
});

test('the feed hash of a record is the one stored before (a re-sent feed must not look changed)', () => {
  const checked = checkFeedRecord(record(), vocabulary, NOW);
  assert.ok(checked.ok);
  // Computed by the implementation before the rewrite of 2026-12-02 (commit 474faaf); pinned here on purpose.
  assert.equal(checked.row.feed_hash, 'd2183958eb1227b81e096b476c8c97bf49f82a3a3ee012f5318cc33e6d929494');
  assert.equal(feedHash(checked.row), checked.row.feed_hash);
  assert.equal(checked.row.history, '[{"date":"2025-01-14","at":"2025-01-15T04:30:00.000Z","status":"case-was-received"},{"date":"2025-01-31","at":"2025-01-31T21:45:00.500Z","status":"case-is-being-actively-reviewed"},{"date":"2025-03-01","status":"case-was-approved"}]');
  assert.deepEqual([checked.row.receipt_number, checked.row.form_type, checked.row.office, checked.row.field_office, checked.row.a_number, checked.row.decided_date, checked.row.decision_days], ['EAC2590000001', 'I-130', 'VSC', 'NYC', 'A012345678', '2025-03-01', 46]);
  assert.deepEqual(Object.keys(checked.row).slice(-6), ['local_history', 'feed_hash', 'updated_at', 'status_vocabulary', 'status_api', 'status_document']);
});

test('the hash covers what the record says, not the stamp or the status document', () => {
  const a = checkFeedRecord(record(), vocabulary, NOW);
  const b = checkFeedRecord(record(), { ...vocabulary, presentation: undefined }, '2027-01-01T00:00:00.000Z');
  const c = checkFeedRecord({ ...record(), chargeability: 'india' }, vocabulary, NOW);
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(a.row.feed_hash, b.row.feed_hash);
  assert.notEqual(a.row.feed_hash, c.row.feed_hash);
  assert.notEqual(a.row.status_document, null);
  assert.equal(b.row.status_document, null);
});

test('an instant without an offset, or with a wrong one, is refused with the same message', () => {
  for (const at of ['2025-01-14T23:30:00', '2025-01-14T23:30:00+25', '2025-02-30T10:00:00Z', 'soon']) {
    const checked = checkFeedRecord({ ...record(), history: [{ at, status: 'case-was-received' }] }, vocabulary, NOW);
    assert.deepEqual(checked, { ok: false, rejection: { code: 'invalid-request', detail: 'history[0].at must be an ISO 8601 instant with an offset', receiptNumber: 'EAC2590000001' } }, at);
  }
});
