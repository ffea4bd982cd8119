/**
 * The retention purge (issue 10 item 6; CONTRACT.md section 11): removes the records past their rule (the table
 * `retention_rules`, read at each purge; admins change a rule at /admin/retention, its defaults are
 * reference/<agency>/retention.json), in batches, each batch and its one audit entry (actor `system:retention`)
 * in one transaction. A record with an unreleased hold (a call under an Ombudsman review) is never removed: a
 * contact hold keeps the call, its notes, case links and recording reference until the review closes.
 *
 * Every instance runs it daily (src/server.ts) and `switchboard purge` runs it on demand; there is no lease and
 * no leader. Each batch is one conditional statement that only one instance can win (store.ts, ADR 0013), so
 * instances purging at once remove, and audit, each record once. It is a system job with no staff actor, so no
 * capability is asked: only a process holding the database credentials runs it.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { DialectName } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { Actor } from '../platform/actor.ts';
import { actorLabel } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import {
  AUDIT_IDS_MAX, BATCH_ATTEMPTS, CHANGEABLE_KINDS, PURGE_BATCH, RETENTION_KINDS, RETENTION_ACTOR, cutoff, describeRule, ruleErrors, ruleRow, rulesFromRows,
  type DatedKind, type RetentionKind, type RetentionRule, type RetentionRules,
} from './policy.ts';
import * as store from './store.ts';

export interface RetentionDeps {
  db: Db;
  dialect: DialectName;
  audit: AuditService;
  /** The defaults: reference/<agency>/retention.json (a kind's rule until the table has its row). */
  rules: RetentionRules;
  clock?: () => Date;
  /** Records per transaction (PURGE_BATCH unless a test says otherwise). */
  batchSize?: number;
}

export interface KindReport {
  kind: RetentionKind;
  /** The rule in words: "3 years after the call ended". */
  rule: string;
  /** Records past the rule and not held: removed (a purge) or that would be removed (a dry run). */
  removed: number;
  /** Records past the rule kept by an unreleased hold (contacts and recordings; null for kinds never held). */
  held: number | null;
  /** Transactions (each with one audit entry) the purge used; 0 in a dry run; null for notes (they are in their contacts' batches). */
  batches: number | null;
  /** Why the kind is not purged, when it is not (documents before their table exists). */
  skipped: string | null;
}

/** One kind's rule as the admin page shows it. */
export interface RuleView {
  kind: RetentionKind;
  rule: RetentionRule;
  /** The rule in words (English, as the command line writes it). */
  words: string;
  /** The agency's default for this kind, in words. */
  defaultWords: string;
  /** Admins may change it here (drafts are fixed by code, notes go with their contacts). */
  changeable: boolean;
  revision: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface PurgeReport {
  at: string;
  dryRun: boolean;
  kinds: KindReport[];
}

type Removal = { ids: string[]; detail?: Record<string, number> };

export class RetentionService {
  readonly #clock: () => Date;
  readonly #batch: number;

  constructor(private readonly deps: RetentionDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#batch = deps.batchSize ?? PURGE_BATCH;
  }

  /** The defaults read from the agency's file at start-up (the rules in force are `current()`). */
  get rules(): RetentionRules {
    return this.deps.rules;
  }

  /** Adds the rule of each kind the table lacks from the defaults (start-up; safe on every instance at once). */
  async seedRules(): Promise<void> {
    const have = new Set((await store.rules(this.deps.db)).map((r) => r.kind));
    const missing = Object.values(this.deps.rules).filter((r) => !have.has(r.kind)).map(ruleRow);
    await store.addMissingRules(this.deps.db, missing, this.#clock().toISOString(), 'system');
  }

  /** The rules in force now: the table's rows (a kind without one: its default), checked as the file is. */
  async current(): Promise<RetentionRules> {
    return rulesFromRows(await store.rules(this.deps.db), this.deps.rules);
  }

  /** Every kind's rule for the admin page, in the purge's order. */
  async ruleList(actor: Actor): Promise<RuleView[]> {
    authorize(actor, 'publish-reference-data');
    const rows = new Map((await store.rules(this.deps.db)).map((r) => [r.kind, r]));
    const rules = await this.current();
    return RETENTION_KINDS.map((kind) => {
      const row = rows.get(kind);
      return {
        kind, rule: rules[kind], words: describeRule(rules[kind]), defaultWords: describeRule(this.deps.rules[kind]),
        changeable: (CHANGEABLE_KINDS as readonly string[]).includes(kind),
        revision: row ? Number(row.revision) : 0, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null,
      };
    });
  }

  /**
   * An admin changes how long a kind of record is kept (its period and the basis for it), checked as the rules file
   * is; the change and its audit entry (`retention-rule-change`, the period before and after) in one transaction.
   * The next purge, on every instance, applies it; holds still keep what they hold. 409 when another admin changed
   * the rule since `revision` was read.
   */
  async changeRule(actor: Actor, kind: string, input: { unit: string; n: string; basis: string; revision: number }, traceId?: string): Promise<RuleView> {
    const staff = authorize(actor, 'publish-reference-data');
    if (!(CHANGEABLE_KINDS as readonly string[]).includes(kind)) throw new AppError('not-found', 'There is no rule of this kind that can be changed here.');
    const checked = ruleErrors(kind as DatedKind, input);
    if ('errors' in checked) throw validationError(checked.errors);
    const before = (await this.current())[kind as DatedKind];
    const at = this.#clock().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const changed = await store.changeRule(trx, kind, input.revision, { keep_unit: checked.ok.keep.unit, keep_n: checked.ok.keep.n, basis: checked.ok.basis }, at, actorLabel(staff));
      if (!changed) throw new AppError('conflict', 'Someone else changed this rule while you were editing it. Look at it again.');
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'retention-rule-change', subject: `retention:${kind}`, outcome: 'allowed', purpose: 'retention-rule', traceId: traceId ?? null,
        detail: { kind, from: describeRule(before), to: describeRule({ ...before, keep: checked.ok.keep }), revision: input.revision + 1 },
      });
    });
    return (await this.ruleList(staff)).find((r) => r.kind === kind)!;
  }

  /** The same service reading another clock (tests move time forward past a rule). */
  withClock(clock: () => Date): RetentionService {
    return new RetentionService({ ...this.deps, clock });
  }

  /** The same service with another batch size (tests of batching and of instances racing). */
  withBatchSize(batchSize: number): RetentionService {
    return new RetentionService({ ...this.deps, batchSize });
  }

  /** What a purge would remove now, by kind, removing nothing (`switchboard purge --dry-run`). */
  async plan(): Promise<PurgeReport> {
    const now = this.#clock();
    const { db } = this.deps;
    const r = await this.current();
    const contacts = await store.countContacts(db, cutoff(r.contacts.keep, now));
    const recordings = await store.countRecordings(db, cutoff(r.recordings.keep, now));
    const kinds: KindReport[] = [
      this.#report(r, 'recordings', recordings.due, recordings.held, 0),
      this.#report(r, 'contacts', contacts.due, contacts.held, 0),
      this.#report(r, 'notes', await store.countNotesOfDueContacts(db, cutoff(r.contacts.keep, now)), null, null),
      this.#report(r, 'feedback', await store.countFeedback(db, cutoff(r.feedback.keep, now)), null, 0),
      this.#report(r, 'drafts', await store.countDrafts(db, cutoff(r.drafts.keep, now)), null, 0),
      this.#report(r, 'documents', await store.countDocuments(db, cutoff(r.documents.keep, now), cutoff(r.drafts.keep, now)), null, 0),
    ];
    return { at: now.toISOString(), dryRun: true, kinds };
  }

  /**
   * Removes every record past its rule, a batch (PURGE_BATCH) per transaction with its audit entry. Recording
   * references first (the contact stays), then contacts with their notes, case links and history, feedback and
   * drafts, then documents (of requests closed past their rule, and of drafts no longer there). Safe to run at any time on any number of instances.
   */
  async purge(traceId?: string): Promise<PurgeReport> {
    const now = this.#clock();
    const at = now.toISOString();
    const { dialect } = this.deps;
    const r = await this.current();
    const recordingsBefore = cutoff(r.recordings.keep, now);
    const contactsBefore = cutoff(r.contacts.keep, now);
    const recordings = await this.#inBatches('recordings', recordingsBefore, traceId, async (trx, n) => ({ ids: await store.removeRecordings(trx, dialect, recordingsBefore, n) }));
    let notes = 0;
    const contacts = await this.#inBatches('contacts', contactsBefore, traceId, async (trx, n) => {
      const removed = await store.removeContacts(trx, dialect, contactsBefore, n);
      notes += removed.notes;
      return { ids: removed.ids, detail: { notes: removed.notes, events: removed.events, caseLinks: removed.caseLinks, verificationFailures: removed.verificationFailures } };
    });
    const feedbackBefore = cutoff(r.feedback.keep, now);
    const feedback = await this.#inBatches('feedback', feedbackBefore, traceId, async (trx, n) => ({ ids: await store.removeFeedback(trx, dialect, feedbackBefore, n) }));
    const draftsBefore = cutoff(r.drafts.keep, now);
    // A draft's key is the SHA-256 of its link's secret; the trail names drafts by its first 16 characters, as the form's own entries do.
    const drafts = await this.#inBatches('drafts', draftsBefore, traceId, async (trx, n) => ({ ids: (await store.removeDrafts(trx, dialect, draftsBefore, n)).map((h) => h.slice(0, 16)) }));
    // After the drafts: a forgotten draft's documents go with it.
    const documentsBefore = cutoff(r.documents.keep, now);
    const documents = await this.#inBatches('documents', documentsBefore, traceId, async (trx, n) => ({ ids: await store.removeDocuments(trx, dialect, documentsBefore, n) }));
    const heldRecordings = (await store.countRecordings(this.deps.db, recordingsBefore)).held;
    const heldContacts = (await store.countContacts(this.deps.db, contactsBefore)).held;
    return {
      at, dryRun: false,
      kinds: [
        this.#report(r, 'recordings', recordings.removed, heldRecordings, recordings.batches),
        this.#report(r, 'contacts', contacts.removed, heldContacts, contacts.batches),
        this.#report(r, 'notes', notes, null, null),
        this.#report(r, 'feedback', feedback.removed, null, feedback.batches),
        this.#report(r, 'drafts', drafts.removed, null, drafts.batches),
        this.#report(r, 'documents', documents.removed, null, documents.batches),
      ],
    };
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Runs `remove` a transaction at a time until a batch comes back short; one audit entry per batch that removed something. */
  async #inBatches(kind: RetentionKind, before: string, traceId: string | undefined, remove: (trx: Transaction<Database>, limit: number) => Promise<Removal>): Promise<{ removed: number; batches: number }> {
    let removed = 0;
    let batches = 0;
    const batch = () => this.deps.db.transaction().execute(async (trx) => {
      const got = await remove(trx, this.#batch);
      if (got.ids.length) await this.#audit(trx, kind, before, got, traceId);
      return got.ids.length;
    });
    for (;;) {
      // A batch PostgreSQL rolled back to break a deadlock removed nothing: run it again after a short, random pause.
      let n = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          n = await batch();
          break;
        } catch (err) {
          if (!store.isRetryable(err) || attempt >= BATCH_ATTEMPTS) throw err;
          await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
        }
      }
      if (n > 0) batches++;
      removed += n;
      if (n < this.#batch) break;
    }
    return { removed, batches };
  }

  /** One entry per batch: the kind, how many, and the ids (or, past AUDIT_IDS_MAX, their first, last and a digest). */
  async #audit(trx: Transaction<Database>, kind: RetentionKind, before: string, got: Removal, traceId: string | undefined) {
    const ids = [...got.ids].sort();
    const listed: Record<string, string> = ids.length <= AUDIT_IDS_MAX
      ? { ids: ids.join(' ') }
      : { firstId: ids[0]!, lastId: ids[ids.length - 1]!, idsSha256: createHash('sha256').update(ids.join(' ')).digest('hex') };
    await this.deps.audit.record(trx, {
      actor: RETENTION_ACTOR, action: 'retention-purge', subject: `retention:${kind}`, outcome: 'allowed', purpose: 'retention-rule', traceId: traceId ?? null,
      detail: { kind, count: ids.length, before, ...listed, ...got.detail },
    });
  }

  #report(rules: RetentionRules, kind: RetentionKind, removed: number, held: number | null, batches: number | null): KindReport {
    return { kind, rule: describeRule(rules[kind]), removed, held, batches, skipped: null };
  }
}
