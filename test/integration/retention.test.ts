/**
 * Retention (issue 10 item 6; CONTRACT.md section 11) on SQLite and PostgreSQL: each kind's record is kept just
 * inside its rule and removed just past it (time moved with withClock); a call under an Ombudsman review stays
 * past its rule with its notes, case links and recording reference, and goes after the review closes; one audit
 * entry per batch as system:retention naming what went; the dry run (service and `switchboard purge --dry-run`)
 * removes nothing; and instances purging at once (two on one PostgreSQL database) remove and count each record once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { runCli } from '../support/cli.ts';
import type { RetentionService } from '../../src/retention/service.ts';
import { checkRetentionRules } from '../../src/retention/policy.ts';
import { FeedbackService } from '../../src/feedback/service.ts';

const SECOND = 1000;
const DAY = 86_400_000;
const plusYears = (iso: string, n: number, ms: number) => {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return new Date(d.getTime() + ms);
};
const plusDays = (iso: string, n: number, ms: number) => new Date(Date.parse(iso) + n * DAY + ms);

interface AuditRow { seq: number; actor: string; action: string; subject: string | null; detail: Record<string, string | number> }

for (const kind of databaseKinds()) {
  describe(`retention purge [${kind}]`, () => {
    let t: TestApp;
    let feed: string;
    let tier1: string;
    let ombudsman: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '100000' } });
      feed = await t.clientToken(['contact-feed']);
      tier1 = (await t.signIn('tier1')).token;
      ombudsman = (await t.signIn('ombudsman')).token;
    });
    after(() => t.close());

    const db = () => t.deps.database.db;
    const post = (url: string, token: string | null, payload: unknown) =>
      t.app.inject({ method: 'POST', url, payload: payload as object, headers: token ? bearer(token) : {} });
    const at = (when: Date): RetentionService => t.deps.retention.withClock(() => when);
    const contact = (id: string) => db().selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    const purgeAudit = async (after = 0): Promise<AuditRow[]> => (await db().selectFrom('audit_log').selectAll().where('action', '=', 'retention-purge').where('seq', '>', after).orderBy('seq').execute())
      .map((r) => ({ seq: Number(r.seq), actor: r.actor, action: r.action, subject: r.subject, detail: JSON.parse(r.detail ?? '{}') }));
    const lastSeq = async () => Number((await db().selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
    const listed = (rows: AuditRow[], k: string) => rows.filter((r) => r.detail.kind === k).flatMap((r) => String(r.detail.ids ?? '').split(' ').filter(Boolean));

    /** A call from the platform's feed that ended `endedAt`, with a recording reference; returns its id. */
    async function platformCall(externalId: string, endedAt: string) {
      const res = await post('/api/v1/contact-records', feed, [{
        externalId, startedAt: new Date(Date.parse(endedAt) - 600 * SECOND).toISOString(), endedAt,
        callerPhone: '+1 212 555 0199', tier: 'tier1', recordingUri: `https://recordings.example.org/${externalId}`,
      }]);
      assert.equal(res.json().accepted, 1, res.body);
      return (await db().selectFrom('contacts').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
    }

    /** A desk call with a note and a linked case, ended now; returns its id and when it ended. */
    async function deskCall() {
      const record = caseRecord();
      await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      const open = await post('/api/v1/contacts', tier1, { channel: 'phone', callerPhone: '2025550143', language: 'en' });
      assert.equal(open.statusCode, 201, open.body);
      const id = open.json().id as string;
      assert.equal((await post(`/api/v1/contacts/${id}/cases`, tier1, { receiptNumber: record.receiptNumber })).statusCode, 201);
      assert.equal((await post(`/api/v1/contacts/${id}/notes`, tier1, { text: 'Caller asks why the interview notice never arrived.' })).statusCode, 201);
      assert.equal((await post(`/api/v1/contacts/${id}/end`, tier1, { disposition: 'resolved' })).statusCode, 200);
      const row = (await contact(id))!;
      return { id, endedAt: row.ended_at! };
    }

    test('the rules file is checked: a bad entry is named', () => {
      assert.throws(() => checkRetentionRules({ kinds: {} }), /kinds\.recordings: missing/);
      const good = { kinds: {
        contacts: { keep: { years: 3 }, after: 'call-ended', basis: 'Kept three years after the call ended, for questions.' },
        recordings: { keep: { days: 90 }, after: 'call-ended', basis: 'Kept while the call can still be asked for review.' },
        notes: { with: 'contacts', basis: 'Notes are part of the call and go with it.' },
        feedback: { keep: { years: 3 }, after: 'received', basis: 'Kept three years for the yearly reports.' },
        drafts: { keep: { days: 30 }, after: 'last-change', basis: 'Forgotten thirty days after the last change.' },
        documents: { keep: { years: 6 }, after: 'request-closed', basis: 'Kept with the request, six years after it closed.' },
      } };
      assert.equal(checkRetentionRules(good).contacts.keep.n, 3);
      const bad = (patch: Record<string, unknown>) => ({ kinds: { ...good.kinds, ...patch } });
      assert.throws(() => checkRetentionRules(bad({ contacts: { ...good.kinds.contacts, keep: { weeks: 3 } } })), /kinds\.contacts\.keep must be one of/);
      assert.throws(() => checkRetentionRules(bad({ recordings: { ...good.kinds.recordings, keep: { days: 30 } } })), /kinds\.recordings\.keep must be at least 90 days/);
      assert.throws(() => checkRetentionRules(bad({ drafts: { ...good.kinds.drafts, keep: { days: 60 } } })), /kinds\.drafts\.keep must be \{"days": 30\}/);
      assert.throws(() => checkRetentionRules(bad({ feedback: { ...good.kinds.feedback, basis: 'because' } })), /kinds\.feedback\.basis must be a sentence/);
      assert.throws(() => checkRetentionRules(bad({ notes: { with: 'feedback', basis: good.kinds.notes.basis } })), /kinds\.notes\.with must be "contacts"/);
      assert.throws(() => checkRetentionRules(bad({ emails: good.kinds.feedback })), /kinds\.emails: unknown kind/);
      assert.equal(t.deps.retention.rules.contacts.keep.n, 3, 'the agency file loaded at start-up');
    });

    test('each kind just inside its rule stays and just past it goes, with one audit entry per batch as system:retention', async () => {
      // Anchors days apart, so each kind's rule can be crossed alone: the call ended 10 days ago, the feedback
      // came 5 days ago (the feedback service on a past clock), the desk call and the draft are from now.
      const ended = new Date(Date.now() - 10 * DAY).toISOString();
      const call = await platformCall('RET-1', ended);
      const received = new Date(Date.now() - 5 * DAY);
      const feedback = new FeedbackService({ db: db(), audit: t.deps.audit, idempotency: t.deps.idempotency, clock: () => received });
      const fb = await feedback.record({ kind: 'anonymous' }, { page: '/case-status', helpful: true }, { source: 'api' });
      const desk = await deskCall();
      await t.deps.caseAssistance.startDraft('en');
      const draft = await db().selectFrom('case_assistance_drafts').select(['token_hash', 'updated_at']).orderBy('updated_at', 'desc').executeTakeFirstOrThrow();
      const start = await lastSeq();
      const removed = (r: { kinds: Array<{ kind: string; removed: number }> }, k: string) => r.kinds.find((x) => x.kind === k)!.removed;
      const feedbackRow = () => db().selectFrom('feedback').select('id').where('id', '=', fb.id).executeTakeFirst();

      // Drafts: 30 days after the last change.
      assert.equal(removed(await at(plusDays(draft.updated_at, 30, -SECOND)).purge(), 'drafts'), 0);
      assert.ok(await db().selectFrom('case_assistance_drafts').select('token_hash').where('token_hash', '=', draft.token_hash).executeTakeFirst(), 'a draft 1 s inside its 30 days stays');
      assert.equal(removed(await at(plusDays(draft.updated_at, 30, SECOND)).purge(), 'drafts'), 1);
      assert.equal(await db().selectFrom('case_assistance_drafts').select('token_hash').where('token_hash', '=', draft.token_hash).executeTakeFirst(), undefined, 'a draft 1 s past its 30 days goes');

      // Recording references: 90 days after the call ended; the call itself stays.
      assert.equal(removed(await at(plusDays(ended, 90, -SECOND)).purge(), 'recordings'), 0);
      assert.equal((await contact(call))!.recording_uri, 'https://recordings.example.org/RET-1', 'a recording 1 s inside its 90 days stays');
      assert.equal(removed(await at(plusDays(ended, 90, SECOND)).purge(), 'recordings'), 1);
      assert.equal((await contact(call))!.recording_uri, null, 'a recording 1 s past its 90 days is cleared');
      assert.ok(await contact(call), 'the call stays under its own rule');

      // Contacts: 3 years after the call ended.
      assert.equal(removed(await at(plusYears(ended, 3, -SECOND)).purge(), 'contacts'), 0);
      assert.ok(await contact(call), 'a call 1 s inside its 3 years stays');
      assert.equal(removed(await at(plusYears(ended, 3, SECOND)).purge(), 'contacts'), 1);
      assert.equal(await contact(call), undefined, 'a call 1 s past its 3 years goes');
      assert.ok(await feedbackRow(), 'feedback 5 days younger stays');

      // Feedback: 3 years after it was received.
      assert.equal(removed(await at(plusYears(received.toISOString(), 3, -SECOND)).purge(), 'feedback'), 0);
      assert.ok(await feedbackRow(), 'feedback 1 s inside its 3 years stays');
      assert.equal(removed(await at(plusYears(received.toISOString(), 3, SECOND)).purge(), 'feedback'), 1);
      assert.equal(await feedbackRow(), undefined, 'feedback 1 s past its 3 years goes');

      // A desk call goes with its notes, case links and history.
      await at(plusYears(desk.endedAt, 3, -SECOND)).purge();
      assert.ok(await contact(desk.id));
      assert.equal((await db().selectFrom('contact_events').select('id').where('contact_id', '=', desk.id).where('kind', '=', 'note').execute()).length, 1);
      const c = await at(plusYears(desk.endedAt, 3, SECOND)).purge();
      assert.equal(removed(c, 'contacts'), 1);
      assert.equal(removed(c, 'notes'), 1);
      assert.equal(await contact(desk.id), undefined);
      assert.deepEqual(await db().selectFrom('contact_events').select('id').where('contact_id', '=', desk.id).execute(), [], 'its notes and history go with it');
      assert.deepEqual(await db().selectFrom('contact_cases').select('receipt_number').where('contact_id', '=', desk.id).execute(), [], 'its case links go with it');

      const entries = await purgeAudit(start);
      assert.equal(entries.length, 5, 'one entry per batch that removed something, none for purges that removed nothing');
      assert.ok(entries.every((e) => e.actor === 'system:retention' && e.subject === `retention:${e.detail.kind}` && e.detail.count === 1));
      assert.deepEqual(listed(entries, 'drafts'), [draft.token_hash.slice(0, 16)]);
      assert.deepEqual(listed(entries, 'recordings'), [call]);
      assert.deepEqual(listed(entries, 'contacts'), [call, desk.id]);
      assert.deepEqual(listed(entries, 'feedback'), [fb.id]);
      const deskEntry = entries.filter((e) => e.detail.kind === 'contacts').at(-1)!;
      assert.equal(deskEntry.detail.notes, 1);
      assert.equal(deskEntry.detail.caseLinks, 1);
      assert.equal((await t.deps.audit.verify()).ok, true);
    });

    test('a call under review stays past its rules with its notes and recording reference, and goes once the review closes', async () => {
      const ended = new Date(Date.now() - 3_600_000).toISOString();
      const held = await platformCall('RET-HELD', ended);
      await db().insertInto('contact_events').values({ id: `note-${held}`, contact_id: held, at: ended, kind: 'note', actor: 'system', detail: '{"text":"A note"}' }).execute();
      const reference = (await contact(held))!.reference;
      const review = await post('/api/v1/ombudsman/call-reviews', ombudsman, { reference, concern: 'The agent gave the wrong office address to the caller.' });
      assert.equal(review.statusCode, 201, review.body);
      const later = plusYears(ended, 3, DAY);

      const plan = await at(later).plan();
      assert.equal(plan.kinds.find((k) => k.kind === 'contacts')!.held, 1);
      assert.equal(plan.kinds.find((k) => k.kind === 'recordings')!.held, 1);
      const kept = await at(later).purge();
      assert.equal(kept.kinds.find((k) => k.kind === 'contacts')!.removed, 0);
      assert.equal(kept.kinds.find((k) => k.kind === 'contacts')!.held, 1);
      const row = await contact(held);
      assert.ok(row, 'a held call stays past 3 years');
      assert.equal(row.recording_uri, 'https://recordings.example.org/RET-HELD', 'and its recording reference past 90 days');
      assert.equal((await db().selectFrom('contact_events').select('id').where('contact_id', '=', held).execute()).length, 1, 'and its notes');

      const closed = await post(`/api/v1/ombudsman/call-reviews/${review.json().reviewNumber}/close`, ombudsman, { outcome: 'Reviewed with the agency: the address was wrong; the agent was coached.' });
      assert.equal(closed.statusCode, 200, closed.body);
      const start = await lastSeq();
      const gone = await at(later).purge();
      assert.equal(gone.kinds.find((k) => k.kind === 'contacts')!.removed, 1);
      assert.equal(await contact(held), undefined, 'the call goes once the review closed');
      assert.deepEqual(await db().selectFrom('contact_events').select('id').where('contact_id', '=', held).execute(), []);
      const entries = await purgeAudit(start);
      assert.deepEqual(listed(entries, 'recordings'), [held]);
      assert.deepEqual(listed(entries, 'contacts'), [held]);
    });

    test('documents: those of a request closed 6 years ago go (bytes and all), a later one stays; a forgotten draft\'s documents go with it', async () => {
      const doc = (id: string, where: { request_number?: string; draft_hash?: string }) => db().insertInto('case_assistance_documents').values({
        id, request_number: where.request_number ?? null, draft_hash: where.draft_hash ?? null, file_name: `${id}.pdf`, media_type: 'application/pdf', size: 9,
        sha256: 'x'.repeat(64), content: Buffer.from('%PDF-1.4\n'), uploaded_by: 'public', uploaded_at: '2020-01-01T00:00:00.000Z', removed_at: null,
      }).execute();
      const request = async (n: string, closedAt: string) => {
        const input = {
          requester: { name: 'Ana Pérez', email: 'ana@example.org' }, applicant: { name: 'Ana Pérez', email: 'ana@example.org' }, forSomeoneElse: false, consent: false, g28OnFile: false,
          cases: [{ receiptNumber: 'EAC2190000001', formType: 'I-130' }], priorActions: [], reasons: 'The case has been pending far past its processing time.',
        };
        await db().transaction().execute((trx) => t.deps.caseAssistance.insert(trx, n, input as never, { priorActionVerified: false, advice: [] }, { createdAt: closedAt, createdDate: closedAt.slice(0, 10), lang: 'en', actor: 'public' }));
        await db().updateTable('case_assistance_requests').set({ status: 'closed', outcome: 'Resolved with the agency.', closed_at: closedAt }).where('request_number', '=', n).execute();
      };
      const closedLongAgo = '2019-06-01T12:00:00.000Z';
      await request('CA900000001', closedLongAgo);
      await request('CA900000002', '2024-06-01T12:00:00.000Z');
      await doc('DOC-OLD', { request_number: 'CA900000001' });
      await doc('DOC-KEPT', { request_number: 'CA900000002' });
      const old = t.deps.caseAssistance.withClock(() => new Date('2025-01-01T00:00:00Z'));
      const forgotten = await old.startDraft('en');
      const fresh = await t.deps.caseAssistance.startDraft('en');
      const hash = async (token: string) => (await import('node:crypto')).createHash('sha256').update(token).digest('hex');
      await doc('DOC-DRAFT-OLD', { draft_hash: await hash(forgotten) });
      await doc('DOC-DRAFT-NEW', { draft_hash: await hash(fresh) });

      const when = plusYears(closedLongAgo, 6, SECOND);
      assert.ok(when.getTime() < Date.now());
      const plan = await t.deps.retention.plan();
      assert.ok(plan.kinds.find((k) => k.kind === 'documents')!.removed >= 2, JSON.stringify(plan.kinds));
      const start = await lastSeq();
      await t.deps.retention.purge();
      const left = (await db().selectFrom('case_assistance_documents').select('id').where('id', 'like', 'DOC-%').orderBy('id').execute()).map((r) => r.id);
      assert.deepEqual(left, ['DOC-DRAFT-NEW', 'DOC-KEPT']);
      assert.deepEqual(listed(await purgeAudit(start), 'documents').filter((id) => id.startsWith('DOC-')).sort(), ['DOC-DRAFT-OLD', 'DOC-OLD']);
      // The 2024 request's document: kept a second before its six years, removed a second after.
      await at(plusYears('2024-06-01T12:00:00.000Z', 6, -SECOND)).purge();
      assert.ok(await db().selectFrom('case_assistance_documents').select('id').where('id', '=', 'DOC-KEPT').executeTakeFirst());
      await at(plusYears('2024-06-01T12:00:00.000Z', 6, SECOND)).purge();
      assert.equal(await db().selectFrom('case_assistance_documents').select('id').where('id', '=', 'DOC-KEPT').executeTakeFirst(), undefined);
    });

    test('the dry run says what would go, by kind, and removes nothing; `switchboard purge` then removes it', async () => {
      const old = new Date(Date.now() - 4 * 365 * DAY).toISOString();
      const call = await platformCall('RET-OLD', old);
      const seq = await lastSeq();
      const plan = await t.deps.retention.plan();
      assert.equal(plan.dryRun, true);
      assert.equal(plan.kinds.find((k) => k.kind === 'contacts')!.removed, 1);
      assert.equal(plan.kinds.find((k) => k.kind === 'recordings')!.removed, 1);
      assert.equal(plan.kinds.find((k) => k.kind === 'documents')!.skipped, null);

      const dry = await runCli(t.db, ['purge', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /dry run .*nothing was removed/);
      assert.match(dry.stdout, /^kind\s+rule\s+would remove\s+held$/m);
      assert.match(dry.stdout, /^contacts\s+3 years after the call ended\s+1\s+0$/m);
      assert.match(dry.stdout, /^recordings\s+90 days after the call ended\s+1\s+0$/m);
      assert.match(dry.stdout, /^notes\s+with their contact\s+0\s+-$/m);
      assert.ok(await contact(call), 'the dry run removed nothing');
      assert.equal((await contact(call))!.recording_uri, 'https://recordings.example.org/RET-OLD');
      assert.equal(await lastSeq(), seq, 'and wrote nothing to the audit trail');

      const run = await runCli(t.db, ['purge']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^contacts\s+3 years after the call ended\s+1\s+0\s+1$/m);
      assert.match(run.stdout, /^documents\s+6 years after the request closed\s+\d+\s+-\s+\d+$/m);
      assert.equal(await contact(call), undefined);
      assert.equal((await runCli(t.db, ['purge', 'now'])).code, 2);
    });
  });

  describe(`retention purge from several instances at once [${kind}]`, () => {
    const instanceCount = kind === 'postgres' ? 2 : 1;
    const instances: TestApp[] = [];

    before(async () => {
      const first = await startTestApp(kind);
      instances.push(first);
      for (let i = 1; i < instanceCount; i++) instances.push(await startTestApp(kind, { sharing: first }));
    });
    after(async () => {
      for (const app of instances.slice(1)) await app.close();
      await instances[0]!.close();
    });

    test(`${instanceCount} instance(s) purging at once remove each record once and audit each once, a batch an entry`, async () => {
      const first = instances[0]!;
      const feed = await first.clientToken(['contact-feed']);
      const ended = new Date(Date.now() - 3_600_000).toISOString();
      const N = 130;
      const records = Array.from({ length: N }, (_, i) => ({
        externalId: `RACE-${i}`, startedAt: new Date(Date.parse(ended) - 60 * SECOND).toISOString(), endedAt: ended,
        callerPhone: '+1 212 555 0123', tier: 'tier1', recordingUri: `https://recordings.example.org/race-${i}`,
      }));
      const loaded = await first.app.inject({ method: 'POST', url: '/api/v1/contact-records', payload: records, headers: bearer(feed) });
      assert.equal(loaded.json().accepted, N, loaded.body);
      for (let i = 0; i < 40; i++) await first.deps.caseAssistance.startDraft('es');
      const ids = (await first.deps.database.db.selectFrom('contacts').select('id').execute()).map((r) => r.id);
      assert.equal(ids.length, N);

      const later = plusYears(ended, 3, DAY);
      const purgers = [0, 1, 0, 1].map((i) => instances[i % instanceCount]!.deps.retention.withClock(() => later).withBatchSize(25));
      const reports = await Promise.all(purgers.map((p) => p.purge()));
      const total = (k: string) => reports.reduce((sum, r) => sum + r.kinds.find((x) => x.kind === k)!.removed, 0);
      assert.equal(total('contacts'), N, 'each contact removed by exactly one purge');
      assert.equal(total('recordings'), N);
      assert.equal(total('drafts'), 40);
      assert.equal((await first.deps.database.db.selectFrom('contacts').select('id').execute()).length, 0);

      const entries = (await first.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'retention-purge').execute()).map((r) => JSON.parse(r.detail ?? '{}') as Record<string, string | number>);
      for (const k of ['contacts', 'recordings']) {
        const mine = entries.filter((e) => e.kind === k);
        const named = mine.flatMap((e) => String(e.ids).split(' '));
        assert.equal(named.length, N, `${k}: ${N} ids named in the trail, none twice`);
        assert.deepEqual([...new Set(named)].sort(), [...ids].sort());
        assert.equal(mine.reduce((s, e) => s + Number(e.count), 0), N, `${k}: the counts add up to ${N}`);
        assert.ok(mine.every((e) => Number(e.count) >= 1 && Number(e.count) <= 25 && String(e.ids).split(' ').length === Number(e.count)), 'one entry per batch of at most 25, never an empty one');
      }
      assert.equal(entries.filter((e) => e.kind === 'drafts').reduce((s, e) => s + Number(e.count), 0), 40);
      assert.equal((await first.deps.audit.verify()).ok, true, 'the hash chain holds');
    });
  });
}
