/**
 * Webhooks out for the agency's other systems: admins register endpoints and the events each wants; a change that
 * is an event calls `emit(trx, type, data)` inside its own transaction, which queues one outbox row (channel
 * 'webhook') per subscribed endpoint, so an event is delivered only if its change commits, and never lost if it did.
 * The outbox worker posts each (delivery.ts), retrying with the outbox's backoff; the event id is stable across attempts.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { readEndpoint } from './checks.ts';
import { ENDPOINT_LIMITS, type AnyWebhookEvent, type WebhookEventType } from './policy.ts';
import * as store from './store.ts';
import type { DeliveryRow, EndpointRow } from './store.ts';

/** What a capability needs to tell the agency's other systems of a change: called inside the change's transaction. */
export interface WebhookEvents {
  emit(trx: Transaction<Database>, type: WebhookEventType, data: Record<string, unknown>): Promise<number>;
}

/** An endpoint as admins read it (never its secret, except once in `CreatedEndpoint`). */
export interface EndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  createdAt: string;
  createdBy: string;
}

export interface CreatedEndpoint extends EndpointView {
  /** The signing secret: shown in this answer only. */
  secret: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  event: string;
  state: DeliveryRow['state'];
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** The JSON body of every delivery. */
export interface WebhookEnvelope {
  id: string;
  type: AnyWebhookEvent;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface WebhookDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST: http:// endpoints on this machine are allowed (tests). */
  allowHttpLocalhost: boolean;
  clock?: () => Date;
}

const view = (r: EndpointRow): EndpointView => ({
  id: r.id, url: r.url, events: r.events.split(' ').filter(Boolean) as WebhookEventType[], description: r.description, createdAt: r.created_at, createdBy: r.created_by,
});

const delivery = (r: DeliveryRow): DeliveryView => ({
  id: r.id, eventId: r.subject_ref ?? r.id, event: r.template, state: r.state, attempts: r.attempts, lastResponseCode: r.response_code,
  lastError: r.last_error, nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null, createdAt: r.created_at, deliveredAt: r.sent_at,
});

export class WebhookService implements WebhookEvents {
  readonly #clock: () => Date;

  constructor(private readonly deps: WebhookDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  get allowHttpLocalhost(): boolean {
    return this.deps.allowHttpLocalhost;
  }

  /**
   * Queues the event for every endpoint that asked for it, in the caller's transaction: one outbox row each, all with
   * the same event id. Returns how many deliveries were queued (none when nobody subscribed).
   */
  async emit(trx: Transaction<Database>, type: WebhookEventType, data: Record<string, unknown>): Promise<number> {
    const endpoints = (await store.activeEndpoints(trx)).filter((e) => e.events.split(' ').includes(type));
    if (endpoints.length === 0) return 0;
    const envelope = this.#envelope(type, data);
    for (const e of endpoints) await this.#enqueue(trx, e.id, envelope);
    return endpoints.length;
  }

  /** The same for many events of one type (a feed batch's status changes): the endpoints are read once. */
  async emitAll(trx: Transaction<Database>, type: WebhookEventType, items: ReadonlyArray<object>): Promise<number> {
    const endpoints = (await store.activeEndpoints(trx)).filter((e) => e.events.split(' ').includes(type));
    for (const data of items) {
      const envelope = this.#envelope(type, { ...data });
      for (const e of endpoints) await this.#enqueue(trx, e.id, envelope);
    }
    return endpoints.length * items.length;
  }

  /** Registers an endpoint (admin); the answer holds the signing secret, shown this once. Audited without the secret. */
  async create(actor: Actor, body: { url?: unknown; events?: unknown; description?: unknown }, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const admin = authorize(actor, 'manage-webhooks');
    const { input, errors } = readEndpoint(body, this.deps.allowHttpLocalhost);
    if (errors.length) throw validationError(errors, errors[0]!.detail);
    return this.deps.idempotency.run(idem, async (trx) => {
      if (await store.countActive(trx) >= ENDPOINT_LIMITS.maxEndpoints) throw new AppError('conflict', `At most ${ENDPOINT_LIMITS.maxEndpoints} endpoints; remove one first.`);
      const row: EndpointRow = {
        id: newId(), url: input.url, events: input.events.join(' '), description: input.description,
        secret: `whsec_${randomBytes(24).toString('base64url')}`, created_by: actorLabel(admin), created_at: this.#clock().toISOString(), removed_at: null,
      };
      await store.insertEndpoint(trx, row);
      await this.deps.audit.record(trx, {
        actor: actorLabel(admin), action: 'webhook-create', subject: `webhook-endpoint:${row.id}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { host: new URL(row.url).host, events: row.events },
      });
      const created: CreatedEndpoint = { ...view(row), secret: row.secret };
      return { status: 201, body: created };
    });
  }

  async list(actor: Actor): Promise<{ items: EndpointView[] }> {
    authorize(actor, 'manage-webhooks');
    return { items: (await store.activeEndpoints(this.deps.db)).map(view) };
  }

  async get(actor: Actor, id: string): Promise<EndpointView> {
    authorize(actor, 'manage-webhooks');
    return view(await this.#active(this.deps.db, id));
  }

  /** Removes an endpoint: nothing more is queued for it, and its waiting deliveries fail as `endpoint-removed`. */
  async remove(actor: Actor, id: string, traceId?: string): Promise<void> {
    const admin = authorize(actor, 'manage-webhooks');
    await this.deps.db.transaction().execute(async (trx) => {
      await this.#active(trx, id);
      if (!(await store.removeEndpoint(trx, id, this.#clock().toISOString()))) throw notFound();
      const cancelled = await store.failWaitingDeliveries(trx, id);
      await this.deps.audit.record(trx, { actor: actorLabel(admin), action: 'webhook-remove', subject: `webhook-endpoint:${id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { cancelled } });
    });
  }

  /** An endpoint's delivery log, newest first. */
  async deliveries(actor: Actor, id: string, page: number, pageSize: number): Promise<{ items: DeliveryView[]; page: number; pageSize: number; total: number }> {
    authorize(actor, 'manage-webhooks');
    await this.#active(this.deps.db, id);
    const { rows, total } = await store.deliveriesOf(this.deps.db, id, page, pageSize);
    return { items: rows.map(delivery), page, pageSize, total };
  }

  /** "Send a test event": a `ping` to this endpoint only, through the outbox like any event; audited. */
  async test(actor: Actor, id: string, traceId?: string): Promise<{ eventId: string; deliveryId: string }> {
    const admin = authorize(actor, 'manage-webhooks');
    return this.deps.db.transaction().execute(async (trx) => {
      const endpoint = await this.#active(trx, id);
      const envelope = this.#envelope('ping', { endpointId: endpoint.id, message: 'A test event from Switchboard.' });
      const deliveryId = await this.#enqueue(trx, endpoint.id, envelope);
      await this.deps.audit.record(trx, { actor: actorLabel(admin), action: 'webhook-test', subject: `webhook-endpoint:${id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { eventId: envelope.id } });
      return { eventId: envelope.id, deliveryId };
    });
  }

  #envelope(type: AnyWebhookEvent, data: Record<string, unknown>): WebhookEnvelope {
    return { id: `evt_${newId().replaceAll('-', '')}`, type, createdAt: this.#clock().toISOString(), data };
  }

  #enqueue(trx: Transaction<Database>, endpointId: string, envelope: WebhookEnvelope): Promise<string> {
    return this.deps.outbox.enqueue(trx, {
      channel: 'webhook', to: endpointId, subject: envelope.type, bodyText: JSON.stringify(envelope), lang: 'en', template: envelope.type, subjectRef: envelope.id,
    });
  }

  async #active(db: Db | Transaction<Database>, id: string): Promise<EndpointRow> {
    const row = await store.findEndpoint(db, id);
    if (!row || row.removed_at) throw notFound();
    return row;
  }
}

const notFound = () => new AppError('not-found', 'There is no webhook endpoint with this id.');
