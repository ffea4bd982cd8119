import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergedHistory } from '../case-status/presenter.ts';
import { caseActions, duplicateEntry, historyOf, noticesOf, requireNotice } from './checks.ts';
import { newestFirst } from './views.ts';

const row = {
  history: JSON.stringify([{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-03-01', status: 'fingerprints-were-taken' }]),
  local_history: JSON.stringify([duplicateEntry({ date: '2025-03-01', at: '2025-03-01T14:00:00.000Z', noticeId: 'DUP-1', of: 'N1', by: 'staff:1' }), { date: '2025-02-01', status: 'duplicate-notice-was-mailed' }]),
  notices: JSON.stringify([{ id: 'N1', type: 'receipt', date: '2025-01-16' }]),
};

test('the case view\'s history is in the order Case Status Online shows, each entry with its source', () => {
  const h = historyOf(row);
  assert.deepEqual(h.map((e) => [e.date, e.status]), mergedHistory(row).map((e) => [e.date, e.status]));
  assert.deepEqual(h.map((e) => e.source), ['feed', 'switchboard', 'feed', 'switchboard'], 'on one day the feed entry comes first');
});

test('duplicates issued here are notices of the case too; an unknown notice is 422 naming noticeId', () => {
  const n = noticesOf(row);
  assert.deepEqual(n.map((x) => [x.id, x.of, x.source]), [['N1', null, 'feed'], ['DUP-1', 'N1', 'switchboard']]);
  assert.equal(requireNotice(n, ' DUP-1 ').id, 'DUP-1');
  assert.throws(() => requireNotice(n, 'N2'), (e: { code: string; extensions: { errors: Array<{ field: string }> } }) => e.code === 'unprocessable' && e.extensions.errors[0]!.field === 'noticeId');
  assert.throws(() => requireNotice(n, ''), (e: { code: string }) => e.code === 'invalid-request');
});

test('actions come from the matrix; office actions only at the holding office', () => {
  assert.deepEqual(caseActions('tier2', null, 'VSC'), ['create-service-request', 'request-notice-reissue']);
  assert.deepEqual(caseActions('office', 'VSC', 'VSC'), ['issue-duplicate-notice', 'view-rfe']);
  assert.deepEqual(caseActions('office', 'CSC', 'VSC'), []);
  assert.deepEqual(caseActions('tier1', null, 'VSC'), ['create-service-request']);
  assert.deepEqual(caseActions('supervisor', null, 'VSC'), []);
});

test('the timeline is newest first; within a day, timed entries before untimed ones, then source order', () => {
  const e = (date: string, at: string | null, ref: string) => ({ date, at, kind: 'k', ref, detail: {} });
  assert.deepEqual(newestFirst([e('2025-01-01', null, 'a'), e('2025-02-01', null, 'b'), e('2025-02-01', '2025-02-01T10:00:00Z', 'c'), e('2025-02-01', null, 'd')]).map((x) => x.ref),
    ['c', 'b', 'd', 'a']);
});
