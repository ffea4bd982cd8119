import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selfServiceAdvice, type CaseFacts } from './self-service.ts';

const pending: CaseFacts = { status: 'case-was-received', decided: false, outsideNormalProcessingTime: false, daysInStatus: 10, protectedCategory: false, hasPriorityDate: false };

test('a pending case within normal time: check online and wait', () => {
  assert.deepEqual(selfServiceAdvice(pending), ['check-status-online', 'wait-processing-time', 'change-address-online']);
});

test('outside normal time: an online inquiry, except for protected categories', () => {
  assert.ok(selfServiceAdvice({ ...pending, outsideNormalProcessingTime: true }).includes('online-inquiry-outside-time'));
  const prot = selfServiceAdvice({ ...pending, outsideNormalProcessingTime: true, protectedCategory: true });
  assert.ok(!prot.includes('online-inquiry-outside-time'));
  assert.ok(prot.includes('change-address-by-phone') && !prot.includes('change-address-online'));
});

test('a card mailed a month ago: ask about a card not received; an RFE: respond to it', () => {
  assert.ok(selfServiceAdvice({ ...pending, status: 'card-was-mailed', decided: true, daysInStatus: 31 }).includes('card-not-received'));
  assert.ok(!selfServiceAdvice({ ...pending, status: 'card-was-mailed', decided: true, daysInStatus: 5 }).includes('card-not-received'));
  assert.ok(selfServiceAdvice({ ...pending, status: 'request-for-evidence-was-sent' }).includes('respond-to-rfe'));
});

test('decided cases never get the wait or inquiry advice', () => {
  const a = selfServiceAdvice({ ...pending, status: 'case-was-approved', decided: true, outsideNormalProcessingTime: false });
  assert.ok(a.includes('decision-notice'));
  assert.ok(!a.includes('wait-processing-time') && !a.includes('online-inquiry-outside-time'));
});
