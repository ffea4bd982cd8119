import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLES, checkRoleOffice, isRole, roleNeedsOffice } from './roles.ts';
import { CAPABILITIES, PROHIBITIONS, ROLE_PROFILES, can } from './capabilities.ts';
import { isAgentId, makeAgentId } from './agent-id.ts';

const OFFICES = ['VSC', 'NBC', 'NYC'];

test('only office staff belong to an office, and it must be a known one', () => {
  assert.equal(checkRoleOffice('office', 'VSC', OFFICES), null);
  assert.equal(checkRoleOffice('office', null, OFFICES), 'office-required');
  assert.equal(checkRoleOffice('office', 'XXX', OFFICES), 'office-unknown');
  for (const role of ROLES.filter((r) => r !== 'office')) {
    assert.equal(checkRoleOffice(role, null, OFFICES), null, role);
    assert.equal(checkRoleOffice(role, 'VSC', OFFICES), 'office-not-allowed', role);
  }
});

test('isRole accepts the six roles and nothing else', () => {
  for (const r of ROLES) assert.ok(isRole(r));
  for (const r of ['Tier1', 'root', '', null, 3]) assert.ok(!isRole(r));
});

test('the tier matrix follows the seed: Tier 1 may not see case details; only Tier 2 requests notice re-issues', () => {
  assert.equal(can('tier1', 'view-case-details'), false);
  assert.equal(can('tier1', 'create-service-request'), true);
  assert.equal(can('tier2', 'create-service-request'), true);
  assert.equal(can('tier2', 'request-notice-reissue'), true);
  assert.equal(can('tier2', 'issue-duplicate-notice'), false);
  assert.equal(can('tier2', 'view-rfe'), false);
  assert.equal(can('office', 'issue-duplicate-notice'), true);
  assert.ok(ROLE_PROFILES.tier1.mayNot.includes('legal-advice'));
  assert.ok(ROLE_PROFILES.tier2.mayNot.includes('review-issued-rfes'));
  assert.deepEqual(ROLES.filter((r) => can(r, 'request-notice-reissue')), ['tier2']);
  assert.deepEqual(ROLES.filter((r) => can(r, 'read-audit-trail')), ['admin']);
});

test('every capability in the matrix is a known capability, and each is held by some role', () => {
  for (const r of ROLES) for (const c of ROLE_PROFILES[r].may) assert.ok(CAPABILITIES.includes(c));
  for (const c of CAPABILITIES) assert.ok(ROLES.some((r) => can(r, c)), c);
});

test('agent IDs are six digits without a leading zero, for any random source', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 899_999 }), (n) => {
    const id = makeAgentId(() => n);
    return isAgentId(id) && id[0] !== '0';
  }));
  assert.equal(isAgentId('012345'), true);
  assert.equal(isAgentId('12345'), false);
});

test('the whole matrix, role by role: what each may do and is barred from', () => {
  assert.deepEqual([...ROLES], ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman', 'admin']);
  assert.deepEqual(ROLE_PROFILES, {
    tier1: {
      may: ['relay-scripted-information', 'read-scripts', 'answer-form-questions', 'view-case-status-online', 'handle-contacts', 'escalate-to-tier2', 'create-service-request', 'use-call-simulator'],
      mayNot: ['case-questions-beyond-status-online', 'transfer-to-offices', 'legal-advice'],
    },
    tier2: {
      may: ['view-case-status-online', 'read-scripts', 'handle-contacts', 'view-case-details', 'request-notice-reissue', 'explain-pending-and-decided-cases', 'assist-military-families', 'create-service-request', 'call-back-callers', 'schedule-appointments', 'use-call-simulator'],
      mayNot: ['review-issued-rfes', 'issue-notices-directly', 'transfer-to-offices', 'legal-advice'],
    },
    office: { may: ['view-case-details', 'work-office-queue', 'issue-duplicate-notice', 'view-rfe'], mayNot: [] },
    supervisor: { may: ['view-case-details', 'watch-queues', 'find-contacts', 'reassign-work', 'review-calls', 'view-reports', 'use-call-simulator'], mayNot: [] },
    ombudsman: { may: ['view-case-details', 'find-contacts', 'take-case-assistance-requests', 'request-call-review', 'review-calls', 'view-reports'], mayNot: [] },
    admin: { may: ['manage-staff', 'manage-api-clients', 'manage-webhooks', 'load-case-data', 'load-contact-records', 'publish-reference-data', 'view-reports', 'read-audit-trail', 'use-call-simulator'], mayNot: [] },
  });
  assert.deepEqual([...PROHIBITIONS], ['case-questions-beyond-status-online', 'transfer-to-offices', 'legal-advice', 'review-issued-rfes', 'issue-notices-directly']);
  assert.equal(CAPABILITIES.length, 31);
  assert.equal(new Set(CAPABILITIES).size, CAPABILITIES.length, 'no capability twice');
});

test('who holds each capability (can() read column by column)', () => {
  const holders: Record<string, string[]> = {
    'relay-scripted-information': ['tier1'], 'answer-form-questions': ['tier1'], 'view-case-status-online': ['tier1', 'tier2'],
    'escalate-to-tier2': ['tier1'], 'create-service-request': ['tier1', 'tier2'], 'handle-contacts': ['tier1', 'tier2'],
    'find-contacts': ['supervisor', 'ombudsman'], 'load-contact-records': ['admin'], 'read-scripts': ['tier1', 'tier2'],
    'schedule-appointments': ['tier2'], 'use-call-simulator': ['tier1', 'tier2', 'supervisor', 'admin'],
    'view-case-details': ['tier2', 'office', 'supervisor', 'ombudsman'], 'request-notice-reissue': ['tier2'],
    'explain-pending-and-decided-cases': ['tier2'], 'assist-military-families': ['tier2'], 'call-back-callers': ['tier2'],
    'work-office-queue': ['office'], 'issue-duplicate-notice': ['office'], 'view-rfe': ['office'],
    'watch-queues': ['supervisor'], 'reassign-work': ['supervisor'], 'review-calls': ['supervisor', 'ombudsman'],
    'take-case-assistance-requests': ['ombudsman'], 'request-call-review': ['ombudsman'],
    'view-reports': ['supervisor', 'ombudsman', 'admin'], 'manage-staff': ['admin'], 'manage-api-clients': ['admin'], 'manage-webhooks': ['admin'],
    'load-case-data': ['admin'], 'publish-reference-data': ['admin'], 'read-audit-trail': ['admin'],
  };
  assert.deepEqual([...CAPABILITIES].sort(), Object.keys(holders).sort());
  for (const c of CAPABILITIES) assert.deepEqual(ROLES.filter((r) => can(r, c)), holders[c], c);
});

test('roles, offices and agent IDs: each accepted and refused form', () => {
  assert.deepEqual(ROLES.filter(roleNeedsOffice), ['office']);
  for (const r of ['tier1 ', ' admin', 'ADMIN', 'tier', 'office-staff', undefined, {}, ['admin']]) assert.equal(isRole(r), false, String(r));
  assert.equal(checkRoleOffice('office', '', OFFICES), 'office-required', 'an empty office is no office');
  assert.equal(checkRoleOffice('office', 'vsc', OFFICES), 'office-unknown', 'office codes are exact');
  assert.equal(checkRoleOffice('office', 'NYC', OFFICES), null);
  assert.equal(checkRoleOffice('admin', '', OFFICES), null);
  assert.equal(checkRoleOffice('office', 'VSC', []), 'office-unknown');
  const asked: number[] = [];
  assert.equal(makeAgentId((max) => { asked.push(max); return 0; }), '100000');
  assert.equal(makeAgentId((max) => max - 1), '999999');
  assert.deepEqual(asked, [900000]);
  for (const [id, ok] of [['100000', true], ['999999', true], ['1234567', false], ['a12345', false], ['12345a', false], ['', false], ['12 345', false], ['١٢٣٤٥٦', false]] as const) {
    assert.equal(isAgentId(id), ok, id);
  }
});
