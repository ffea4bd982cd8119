import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLES, checkRoleOffice, isRole } from './roles.ts';
import { CAPABILITIES, ROLE_PROFILES, can } from './capabilities.ts';
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
