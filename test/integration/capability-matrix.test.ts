/**
 * The seed's may / may-not table (DOMAIN.md "The two tiers"), walked through the HTTP API for every role. The
 * expected answers are written here from the seed and CONTRACT.md sections 8–10, not read from
 * src/domain/capabilities.ts, so a wrong row in the table fails this test. Every refusal must be written to the
 * audit trail as denied, with the response's trace ID; every 403 that the seed forbids names its prohibition.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import type { Role } from '../../src/domain/roles.ts';

type Who = 'tier1' | 'tier2' | 'office-holding' | 'office-other' | 'supervisor' | 'ombudsman' | 'admin';
const WHO: readonly Who[] = ['tier1', 'tier2', 'office-holding', 'office-other', 'supervisor', 'ombudsman', 'admin'];

/** An expected answer: a status, and for a 403 the seed's prohibition when one is named. */
type Expect = number | { status: 403; prohibition: string };

interface Line {
  /** The seed's words (or the contract's, for the rows the seed implies). */
  seed: string;
  expect: Record<Who, Expect>;
  run(ctx: Ctx, who: Who): Promise<LightMyRequestResponse>;
}

interface Ctx {
  t: TestApp;
  tokens: Record<Who, string>;
  /** A case held by VSC, with notice N1 and an RFE; a fresh one per call so creations never collide. */
  freshCase(): Promise<string>;
  rn: string;
  /** A call the given agent opened (so "their own call"), created on demand. */
  callOf(who: 'tier1' | 'tier2'): Promise<string>;
}

const allBut = (status: number, overrides: Partial<Record<Who, Expect>>): Record<Who, Expect> =>
  Object.fromEntries(WHO.map((w) => [w, overrides[w] ?? status])) as Record<Who, Expect>;

const BEYOND_STATUS = { status: 403, prohibition: 'case-questions-beyond-status-online' } as const;
const NO_OFFICE_TRANSFER = { status: 403, prohibition: 'transfer-to-offices' } as const;

const LINES: Line[] = [
  {
    seed: 'Tier 1 may relay what Case Status Online shows (and so may everyone: it is public)',
    expect: allBut(200, {}),
    // The public Case Status Online form, as the agent (or anyone) uses it: the status title and paragraph only.
    run: ({ t, rn }) => t.app.inject({ method: 'POST', url: '/case-status', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `receiptNumber=${rn}` }),
  },
  {
    seed: 'Tier 1 may not answer case-specific questions beyond Case Status Online; Tier 2 may review the case in agency systems; admins never read case details',
    expect: { tier1: BEYOND_STATUS, tier2: 200, 'office-holding': 200, 'office-other': 404, supervisor: 200, ombudsman: 200, admin: 403 },
    run: ({ t, tokens, rn }, who) => t.app.inject({ method: 'GET', url: `/api/v1/cases/${rn}`, headers: bearer(tokens[who]) }),
  },
  {
    seed: 'Tier 2 may not review already-issued Requests for Evidence (only the office holding the case reads one)',
    expect: { tier1: 403, tier2: { status: 403, prohibition: 'review-issued-rfes' }, 'office-holding': 200, 'office-other': 404, supervisor: 403, ombudsman: 403, admin: 403 },
    run: ({ t, tokens, rn }, who) => t.app.inject({ method: 'GET', url: `/api/v1/cases/${rn}/rfes/RFE1`, headers: bearer(tokens[who]) }),
  },
  {
    seed: 'Tier 2 may request that notices be re-issued; Tier 1 may not',
    expect: allBut(403, { tier2: 201 }),
    run: async ({ t, tokens, freshCase }, who) => t.app.inject({
      method: 'POST', url: `/api/v1/cases/${await freshCase()}/notice-reissue-requests`, headers: bearer(tokens[who]),
      payload: { noticeId: 'N1', reason: 'The caller never received the receipt notice after moving.' },
    }),
  },
  {
    seed: 'Tier 2 may not directly issue duplicate notices (nor Tier 1); the office holding the case issues them',
    expect: { tier1: 403, tier2: { status: 403, prohibition: 'issue-notices-directly' }, 'office-holding': 201, 'office-other': 404, supervisor: 403, ombudsman: 403, admin: 403 },
    run: async ({ t, tokens, freshCase }, who) => t.app.inject({
      method: 'POST', url: `/api/v1/cases/${await freshCase()}/notices`, headers: bearer(tokens[who]), payload: { type: 'duplicate', noticeId: 'N1' },
    }),
  },
  {
    seed: 'Both tiers may create service requests (on a call); other staff do not make them',
    expect: allBut(403, { tier1: 201, tier2: 201 }),
    run: async ({ t, tokens, freshCase, callOf }, who) => t.app.inject({
      method: 'POST', url: '/api/v1/service-requests', headers: bearer(tokens[who]),
      payload: {
        receiptNumber: await freshCase(), type: 'other', details: 'The caller asks why the interview letter never came.',
        ...(who === 'tier1' || who === 'tier2' ? { contactId: await callOf(who) } : {}),
      },
    }),
  },
  {
    seed: 'Both tiers take calls (open a contact); back-office staff, supervisors, the Ombudsman and admins do not',
    expect: allBut(403, { tier1: 201, tier2: 201 }),
    run: ({ t, tokens }, who) => t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(tokens[who]), payload: { channel: 'phone', callerPhone: '2025550143', language: 'en' } }),
  },
  {
    seed: 'Tier 1 may transfer to Tier 2 in certain circumstances (escalation); Tier 2 does not escalate',
    expect: allBut(403, { tier1: 201 }),
    run: async ({ t, tokens, callOf }, who) => t.app.inject({
      method: 'POST', url: `/api/v1/contacts/${await callOf(who === 'tier1' ? 'tier1' : 'tier2')}/escalations`, headers: bearer(tokens[who]),
      payload: { reason: 'The caller needs a pending case explained.', urgency: 'regular' },
    }),
  },
  {
    seed: 'Neither tier (nor anyone) may transfer calls to local offices or service centers',
    expect: allBut(403, {}),
    run: async ({ t, tokens, callOf }, who) => t.app.inject({
      method: 'POST', url: `/api/v1/contacts/${await callOf(who === 'tier1' ? 'tier1' : 'tier2')}/transfers`, headers: bearer(tokens[who]), payload: { office: 'VSC' },
    }),
  },
  {
    seed: 'Tier 2 calls people back (the callback queue); a supervisor watches it; nobody else',
    expect: allBut(403, { tier2: 200, supervisor: 200 }),
    run: ({ t, tokens }, who) => t.app.inject({ method: 'GET', url: '/api/v1/callbacks', headers: bearer(tokens[who]) }),
  },
  {
    seed: 'Supervisors and the Ombudsman find calls later (by phone, time, agent); agents, offices and admins do not',
    expect: allBut(403, { supervisor: 200, ombudsman: 200 }),
    run: ({ t, tokens }, who) => t.app.inject({ method: 'GET', url: '/api/v1/contacts?callerPhone=2025550143', headers: bearer(tokens[who]) }),
  },
  {
    seed: 'The back office works its own office\'s queue; supervisors watch every office',
    expect: allBut(403, { 'office-holding': 200, supervisor: 200 }),
    run: ({ t, tokens }, who) => t.app.inject({ method: 'GET', url: '/api/v1/offices/VSC/service-requests', headers: bearer(tokens[who]) }),
  },
  {
    seed: 'Only admins read the audit trail',
    expect: allBut(403, { admin: 200 }),
    run: ({ t, tokens }, who) => t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(tokens[who]) }),
  },
];

const roleOf = (w: Who): Role => (w.startsWith('office') ? 'office' : w as Role);

for (const kind of databaseKinds()) {
  describe(`the capability matrix, walked [${kind}]`, () => {
    let t: TestApp;
    let ctx: Ctx;

    before(async () => {
      t = await startTestApp(kind);
      const tokens = {} as Record<Who, string>;
      for (const w of WHO) {
        tokens[w] = (await t.signIn(roleOf(w), w === 'office-holding' ? { office: 'VSC' } : w === 'office-other' ? { office: 'CSC' } : {})).token;
      }
      const freshCase = async () => {
        const record = caseRecord({ rfes: [{ id: 'RFE1', date: '2025-05-02', text: 'Submit evidence of the bona fide marriage.' }] });
        const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
        assert.equal(r.rejectedTotal, 0);
        return record.receiptNumber as string;
      };
      const callOf = async (who: 'tier1' | 'tier2') => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(tokens[who]), payload: { channel: 'phone', callerPhone: '2025550143', language: 'en' } });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().id as string;
      };
      ctx = { t, tokens, freshCase, callOf, rn: await freshCase() };
    });
    after(() => t.close());

    for (const line of LINES) {
      test(line.seed, async () => {
        for (const who of WHO) {
          const expected = line.expect[who];
          const status = typeof expected === 'number' ? expected : expected.status;
          const res = await line.run(ctx, who);
          assert.equal(res.statusCode, status, `${who}: ${res.body}`);
          if (typeof expected === 'object') assert.equal(res.json().prohibition, expected.prohibition, `${who} names the seed's rule`);
          if (status === 403 || status === 404) {
            assert.equal(res.json().code === 'forbidden' || res.json().code === 'not-found', true, `${who}: ${res.body}`);
            const traceId = res.headers['x-trace-id'] as string | undefined ?? res.json().traceId;
            const denied = await t.deps.database.db.selectFrom('audit_log').select(['outcome']).where('trace_id', '=', traceId).where('outcome', '=', 'denied').execute();
            // A 404 is audited when it hides a record the caller may not see (another office's case); a plain
            // "no such record" need not be.
            if (status === 403 || who === 'office-other') assert.equal(denied.length, 1, `${who}: the refusal is in the audit trail`);
          }
        }
      });
    }

    test('legal advice: neither tier\'s desk ever offers it (no action, no capability), and both profiles bar it', async () => {
      const { ROLE_PROFILES, CAPABILITIES } = await import('../../src/domain/capabilities.ts');
      assert.ok(ROLE_PROFILES.tier1.mayNot.includes('legal-advice') && ROLE_PROFILES.tier2.mayNot.includes('legal-advice'));
      assert.ok(!CAPABILITIES.some((c) => c.includes('legal')));
      for (const who of ['tier1', 'tier2'] as const) {
        const id = await ctx.callOf(who);
        const view = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: bearer(ctx.tokens[who]) })).json();
        assert.ok(!view.actions.some((a: string) => a.includes('legal')), who);
      }
    });

    test('the actions a call offers follow the table: Tier 1 escalates and sees status only; Tier 2 sees case details and requests re-issues', async () => {
      const t1 = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${await ctx.callOf('tier1')}`, headers: bearer(ctx.tokens.tier1) })).json();
      const t2 = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${await ctx.callOf('tier2')}`, headers: bearer(ctx.tokens.tier2) })).json();
      assert.ok(t1.actions.includes('escalate') && t1.actions.includes('view-case-status'));
      assert.ok(!t1.actions.includes('view-case-details') && !t1.actions.includes('request-notice-reissue'));
      assert.ok(t2.actions.includes('view-case-details') && t2.actions.includes('request-notice-reissue'));
      assert.ok(!t2.actions.includes('escalate'));
      const caseView = (await t.app.inject({ method: 'GET', url: `/api/v1/cases/${ctx.rn}`, headers: bearer(ctx.tokens['office-holding']) })).json();
      assert.ok(caseView.actions.includes('issue-duplicate-notice'));
      const tier2Case = (await t.app.inject({ method: 'GET', url: `/api/v1/cases/${ctx.rn}`, headers: bearer(ctx.tokens.tier2) })).json();
      assert.ok(!tier2Case.actions.includes('issue-duplicate-notice') && !tier2Case.actions.includes('view-rfe'));
    });
  });
}
