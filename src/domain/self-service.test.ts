import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SELF_SERVICE_RULES, selfServiceAdvice, type CaseFacts } from './self-service.ts';

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

test('every rule, one case each: the full advice, in display order', () => {
  const cases: [string, Partial<CaseFacts>, string[]][] = [
    ['outside normal time', { outsideNormalProcessingTime: true }, ['check-status-online', 'online-inquiry-outside-time', 'change-address-online']],
    ['outside normal time, protected category', { outsideNormalProcessingTime: true, protectedCategory: true }, ['check-status-online', 'change-address-by-phone']],
    ['within normal time, protected category', { protectedCategory: true }, ['check-status-online', 'wait-processing-time', 'change-address-by-phone']],
    ['evidence requested', { status: 'request-for-evidence-was-sent' }, ['check-status-online', 'wait-processing-time', 'respond-to-rfe', 'change-address-online']],
    ['initial evidence requested', { status: 'request-for-initial-evidence-was-sent' }, ['check-status-online', 'wait-processing-time', 'respond-to-rfe', 'change-address-online']],
    ['interview scheduled', { status: 'interview-was-scheduled' }, ['check-status-online', 'wait-processing-time', 'reschedule-appointment', 'change-address-online']],
    ['notice returned', { status: 'notice-was-returned' }, ['check-status-online', 'wait-processing-time', 'notice-not-received', 'change-address-online']],
    ['card returned', { status: 'card-was-returned', decided: true }, ['check-status-online', 'notice-not-received', 'decision-notice', 'change-address-online']],
    ['card mailed 30 days ago', { status: 'card-was-mailed', decided: true, daysInStatus: 30 }, ['check-status-online', 'card-not-received', 'decision-notice', 'change-address-online']],
    ['card mailed 29 days ago', { status: 'card-was-mailed', decided: true, daysInStatus: 29 }, ['check-status-online', 'decision-notice', 'change-address-online']],
    ['new card produced 45 days ago', { status: 'new-card-is-being-produced', decided: true, daysInStatus: 45 }, ['check-status-online', 'card-not-received', 'decision-notice', 'change-address-online']],
    ['a status 30 days old that is not a card', { status: 'case-was-approved', decided: true, daysInStatus: 30 }, ['check-status-online', 'decision-notice', 'change-address-online']],
    ['a priority date', { hasPriorityDate: true }, ['check-status-online', 'wait-processing-time', 'check-visa-bulletin', 'change-address-online']],
    ['decided, outside normal time', { status: 'case-was-denied', decided: true, outsideNormalProcessingTime: true }, ['check-status-online', 'decision-notice', 'change-address-online']],
    ['decided, priority date, protected', { status: 'case-was-approved', decided: true, hasPriorityDate: true, protectedCategory: true }, ['check-status-online', 'decision-notice', 'check-visa-bulletin', 'change-address-by-phone']],
  ];
  for (const [name, facts, advice] of cases) assert.deepEqual(selfServiceAdvice({ ...pending, ...facts }), advice, name);
});

test('the rules are the eleven advice codes, each once, in display order', () => {
  assert.deepEqual(SELF_SERVICE_RULES.map((r) => r.advice), [
    'check-status-online', 'wait-processing-time', 'online-inquiry-outside-time', 'respond-to-rfe', 'reschedule-appointment',
    'card-not-received', 'notice-not-received', 'decision-notice', 'check-visa-bulletin', 'change-address-online', 'change-address-by-phone',
  ]);
});
