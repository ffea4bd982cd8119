/**
 * Feedback (CONTRACT.md section 11; issue 10 item 4): "Was this page helpful?" on every public page, the reasons a
 * person ticks when it was not, and comments about the Contact Center. Anyone may send it (the routes are rate
 * limited); staff who read reports review it. Each answer commits with its audit entry.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { checkFeedback, type CheckedFeedback, type FeedbackInput } from './checks.ts';
import { COUNTED_PAGES } from './policy.ts';
import * as store from './store.ts';
import { feedbackView, type FeedbackView } from './views.ts';

export interface FeedbackDeps {
  db: Db;
  audit: AuditService;
  idempotency: IdempotencyService;
  clock?: () => Date;
}

/** Where an answer came from: the API, the small form under a page, or the longer comment page. */
export type FeedbackSource = 'api' | 'page-form' | 'comment-page';

export interface FeedbackMeta {
  source: FeedbackSource;
  lang?: string | null;
  /** A comment about the Contact Center (the comment page), not about the page it was sent from. */
  aboutContactCenter?: boolean;
}

export interface FeedbackList {
  items: FeedbackView[];
  page: number;
  pageSize: number;
  total: number;
  byPage: Array<{ page: string | null; total: number; helpful: number; notHelpful: number; comments: number }>;
}

export class FeedbackService {
  readonly #clock: () => Date;

  constructor(private readonly deps: FeedbackDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** The same service reading another clock (the demo's past answers). */
  withClock(clock: () => Date): FeedbackService {
    return new FeedbackService({ ...this.deps, clock });
  }

  /** POST /api/v1/feedback: 201 {"id","createdAt"}; a bad field is 400 naming it. Idempotency-Key honoured. */
  async submit(actor: Actor, input: FeedbackInput, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const checked = checkFeedback(input ?? {});
    if ('errors' in checked) throw validationError(checked.errors);
    return this.deps.idempotency.run(idem, async (trx) => {
      const row = await this.#insert(trx, actor, checked.ok, { source: 'api' }, traceId);
      return { status: 201, body: { id: row.id, createdAt: row.created_at } };
    });
  }

  /** The page forms: the same checks, recorded at once (a person sending the form twice sends twice). */
  async record(actor: Actor, input: FeedbackInput, meta: FeedbackMeta, traceId?: string): Promise<FeedbackView> {
    const checked = checkFeedback(input);
    if ('errors' in checked) throw validationError(checked.errors);
    const row = await this.deps.db.transaction().execute((trx) => this.#insert(trx, actor, checked.ok, meta, traceId));
    return feedbackView(row);
  }

  /** Staff review (view-reports): newest first, with the counts by page. */
  async list(actor: Actor, page: number, pageSize: number): Promise<FeedbackList> {
    authorize(actor, 'view-reports');
    const [rows, total, byPage] = await Promise.all([
      store.listFeedback(this.deps.db, (page - 1) * pageSize, pageSize), store.countFeedback(this.deps.db), store.countsByPage(this.deps.db, COUNTED_PAGES),
    ]);
    return { items: rows.map(feedbackView), page, pageSize, total, byPage };
  }

  /** Counts over [from, to) (instants), for the contact center report. */
  summary(from: string, to: string) {
    return store.summary(this.deps.db, from, to);
  }

  async #insert(trx: Transaction<Database>, actor: Actor, f: CheckedFeedback, meta: FeedbackMeta, traceId?: string) {
    const row: store.FeedbackRow = {
      id: newId(), page: f.page, helpful: f.helpful === null ? null : f.helpful ? 1 : 0, reasons: JSON.stringify(f.reasons), comment: f.comment,
      about_contact_center: meta.aboutContactCenter ? 1 : 0, lang: meta.lang ?? null, source: meta.source, created_at: this.#clock().toISOString(),
    };
    await store.insertFeedback(trx, row);
    await this.deps.audit.record(trx, {
      actor: actorLabel(actor), action: 'feedback.create', subject: `feedback:${row.id}`, outcome: 'allowed', traceId: traceId ?? null,
      detail: { page: row.page, helpful: f.helpful, reasons: f.reasons.length, comment: f.comment !== null },
    });
    return row;
  }
}
