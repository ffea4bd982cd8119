/**
 * Scripts and the knowledge base (CONTRACT.md section 8; DOMAIN.md "The two tiers"): the approved answers Tier 1
 * relays and Tier 2 reads from, in English and Spanish. They are reference data (reference/<agency>/scripts/*.json)
 * every deployment loads at start-up: a topic whose text changed gets a new version in both languages; earlier
 * versions stay, so the version recorded on a contact can still be read. Search ignores accents and case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import { fileURLToPath } from 'node:url';
import type { Db, DialectName } from '../platform/db/database.ts';
import type { Actor } from '../platform/actor.ts';
import { actorLabel } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import type { AuditService } from '../audit/service.ts';
import type { ContactService } from '../contacts/service.ts';
import * as store from './store.ts';
import { checkScriptDraft, checkScriptSources, normalise, queryTerms, SCRIPT_LANGS, type DraftTextInput, type ScriptLang, type ScriptSource } from './checks.ts';
import { DRAFT_ACTIONS, DRAFT_HISTORY_MAX, NOTE_MAX, type DraftAction } from './policy.ts';
import {
  draftView, scriptDetail, scriptView, topicDetail, topicSummary, type DraftView, type ScriptDetail, type ScriptUse, type ScriptView, type TopicDetail, type TopicSummary,
} from './views.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Reads and checks reference/<agency>/scripts/*.json (every file a list of topics); Error naming a bad entry or a repeated id. */
export function loadScriptSources(agency: string, dir = path.join(ROOT, 'reference', agency, 'scripts')): ScriptSource[] {
  if (!fs.existsSync(dir)) return [];
  const all: ScriptSource[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    all.push(...checkScriptSources(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), `scripts/${file}`));
  }
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.id)) throw new Error(`scripts: the id "${s.id}" is used twice`);
    seen.add(s.id);
  }
  return all;
}

const langOf = (v: string | undefined): ScriptLang => (v === 'es' ? 'es' : 'en');
const hashOf = (s: ScriptSource) => createHash('sha256').update(JSON.stringify([s.en, s.es])).digest('hex');

export interface ScriptDeps {
  db: Db;
  dialect: DialectName;
  audit: AuditService;
  contacts: ContactService;
  clock?: () => Date;
}

export class ScriptService {
  readonly #clock: () => Date;
  constructor(private readonly deps: ScriptDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /**
   * Publishes the topics whose reference text is new or changed since it was last loaded (one transaction, one audit
   * entry per new version); the same files loaded again change nothing. A version staff published later, and a topic
   * an admin retired, are never replaced by the file's unchanged text; a retired topic stays retired even when its file
   * changes (an admin publishes it again). A changed topic's version is the file's or one past the last, whichever is higher.
   */
  async load(sources: readonly ScriptSource[], traceId?: string): Promise<{ published: string[] }> {
    const published: string[] = [];
    const now = this.#clock().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const loaded = await store.sourceHashes(trx);
      const retired = await store.retiredSlugs(trx);
      for (const s of sources) {
        const hash = hashOf(s);
        if (loaded.get(s.id) === hash || retired.has(s.id)) continue;
        const version = Math.max(s.version, (await store.maxVersion(trx, s.id)) + 1);
        await this.#publishRows(trx, s.id, version, s, hash, hash, now);
        await this.deps.audit.record(trx, { actor: actorLabel({ kind: 'system' }), action: 'script.publish', subject: `script:${s.id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { version } });
        published.push(`${s.id}@${version}`);
      }
    });
    return { published };
  }

  /** GET /api/v1/scripts: the published scripts of a language that match `q`, best first (all, by title, when q is empty). */
  async search(actor: Actor, q: string | undefined, lang: string | undefined, page: number, pageSize: number) {
    authorize(actor, 'read-scripts');
    const rows = await this.#find(q ?? '', langOf(lang));
    return { items: rows.slice((page - 1) * pageSize, page * pageSize).map(scriptView), page, pageSize, total: rows.length };
  }

  /** The same search for the desk's panel (with keywords and the legal-advice boundary). */
  async find(actor: Actor, q: string, lang: string, limit: number): Promise<{ items: ScriptDetail[]; total: number }> {
    authorize(actor, 'read-scripts');
    const rows = await this.#find(q, langOf(lang));
    return { items: rows.slice(0, limit).map(scriptDetail), total: rows.length };
  }

  /**
   * The public Ask page: the published scripts that match a question, best first. Retrieval only: the answer is a
   * script's own text. An empty question answers nothing (the page then offers its topics).
   */
  async ask(q: string, lang: string, limit: number): Promise<ScriptDetail[]> {
    if (!queryTerms(q, langOf(lang)).length) return [];
    return (await this.#find(q, langOf(lang))).slice(0, limit).map(scriptDetail);
  }

  /** Every published topic of a language, by title (the Ask page's list of topics). */
  async topics(lang: string): Promise<ScriptView[]> {
    return (await store.allLatest(this.deps.db, langOf(lang))).map(scriptView);
  }

  /** One version of a topic (the version a contact recorded, after a newer one came). */
  async version(actor: Actor, id: string, lang: string, version: number): Promise<ScriptDetail> {
    authorize(actor, 'read-scripts');
    const row = await store.version(this.deps.db, id, langOf(lang), version);
    if (!row) throw new AppError('not-found', 'There is no such version of this script.');
    return scriptDetail(row);
  }

  /**
   * POST /api/v1/contacts/{id}/scripts: the agent who may act on the open call records the script used, with its
   * published version (and the language read), as a contact event in one transaction with its audit entry.
   * The script's language is the one asked for, else the call's.
   */
  async use(actor: Actor, contactId: string, input: { scriptId: string; language?: string | undefined }, traceId?: string): Promise<ScriptUse> {
    authorize(actor, 'read-scripts');
    const { staff, row: call } = await this.deps.contacts.actable(actor, contactId, { open: true });
    const lang = langOf(input.language ?? call.language);
    const script = typeof input.scriptId === 'string' ? await store.latest(this.deps.db, input.scriptId, lang) : undefined;
    if (!script) throw new AppError('not-found', 'There is no published script with this id.');
    const at = this.#clock().toISOString();
    const use: ScriptUse = { scriptId: script.slug, version: Number(script.version), language: script.language, at };
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.contacts.event(trx, call.id, 'script', staff, at, { scriptId: use.scriptId, version: use.version, language: use.language, title: script.title });
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'contact.script', subject: `contact:${call.id}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { scriptId: use.scriptId, version: use.version, language: use.language },
      });
    });
    return use;
  }

  // ── writing, reviewing, publishing and retiring (/admin/scripts; admins, capability publish-reference-data) ──

  /** Every topic (its newest version, published or retired) and the drafts waiting, for the admin list. */
  async manage(actor: Actor): Promise<{ topics: TopicSummary[]; drafts: DraftView[] }> {
    const staff = authorize(actor, 'publish-reference-data');
    const [rows, open] = [await store.topics(this.deps.db), await store.openDrafts(this.deps.db)];
    const openBySlug = new Map(open.map((d) => [d.slug, d]));
    return {
      topics: rows.map((r) => topicSummary(r, openBySlug.get(r.slug))),
      drafts: open.map((d) => draftView(d, staff.user.id)),
    };
  }

  /** One topic for the admin: its state, every version (both titles), the newest text, its drafts; 404 when there is none. */
  async topic(actor: Actor, slug: string): Promise<TopicDetail> {
    const staff = authorize(actor, 'publish-reference-data');
    const [en, es] = [await store.history(this.deps.db, slug, 'en'), await store.history(this.deps.db, slug, 'es')];
    if (!en.length || !es.length) throw new AppError('not-found', 'There is no script with this id.');
    const drafts = await store.draftsOf(this.deps.db, slug, DRAFT_HISTORY_MAX);
    return topicDetail(en, es, drafts.map((d) => draftView(d, staff.user.id)));
  }

  /** One draft with the actions the admin may take on it now. */
  async draft(actor: Actor, id: string): Promise<DraftView> {
    const staff = authorize(actor, 'publish-reference-data');
    const row = /^[0-9a-f-]{36}$/.test(id) ? await store.draft(this.deps.db, id) : undefined;
    if (!row) throw new AppError('not-found', 'There is no draft with this id.');
    return draftView(row, staff.user.id);
  }

  /**
   * Writes a draft: a new version of the topic `slug` (written from its newest version `baseVersion`) or, with
   * `newTopic`, a new script. It waits for a second admin's approval. One open draft per topic: a second one is 409.
   */
  async writeDraft(actor: Actor, input: { slug: string; newTopic: boolean; baseVersion: number | null; en: DraftTextInput; es: DraftTextInput }, traceId?: string): Promise<DraftView> {
    const staff = authorize(actor, 'publish-reference-data');
    const checked = checkScriptDraft(input, input.newTopic);
    if ('errors' in checked) throw validationError(checked.errors);
    const { slug, en, es } = checked.ok;
    const row: store.DraftRow = {
      id: randomUUID(), slug, base_version: null, texts: JSON.stringify({ en, es }), status: 'review', open_slot: slug,
      author_id: staff.user.id, author_name: staff.user.name, created_at: this.#clock().toISOString(),
      reviewer_id: null, reviewer_name: null, reviewed_at: null, review_note: null, published_version: null, published_by: null, published_at: null,
    };
    return this.deps.db.transaction().execute(async (trx) => {
      const max = await store.maxVersion(trx, slug);
      if (input.newTopic && max > 0) throw validationError([{ field: 'slug', code: 'taken', detail: 'A script with this id exists: draft a new version of it instead.' }]);
      if (!input.newTopic && max === 0) throw new AppError('not-found', 'There is no script with this id.');
      // Written from an older version than the newest: the writer did not see the newest text.
      if (!input.newTopic && input.baseVersion !== max) throw new AppError('conflict', 'A newer version of this script was published while you wrote. Start again from the newest version.', { extensions: { reason: 'newer-version' } });
      row.base_version = input.newTopic ? null : max;
      if (!await store.insertDraft(trx, row)) throw new AppError('conflict', 'This script already has a draft waiting for review. Review that draft, or send it back, first.', { extensions: { reason: 'open-draft' } });
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'script.draft', subject: `script:${slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { draft: row.id, baseVersion: row.base_version } });
      return draftView(row, staff.user.id);
    });
  }

  /** A second admin approves a draft in review (never its author: policy AUTHOR_MAY). */
  async approveDraft(actor: Actor, id: string, traceId?: string): Promise<DraftView> {
    return this.#review(actor, id, 'approve', null, traceId);
  }

  /** Sends a draft back (in review or approved), with the reviewer's reason; its author may withdraw their own. */
  async rejectDraft(actor: Actor, id: string, note: string, traceId?: string): Promise<DraftView> {
    const reason = note.trim();
    if (reason === '' || reason.length > NOTE_MAX) throw validationError([{ field: 'note', code: reason === '' ? 'required' : 'too-long', detail: `Say why, in at most ${NOTE_MAX} characters.` }]);
    return this.#review(actor, id, 'reject', reason, traceId);
  }

  /**
   * Publishes an approved draft as the topic's next version in both languages: what GET /api/v1/scripts, the desk
   * and the Ask page find from the commit on (a retired topic is published again). 409 when another version was
   * published since the draft was written (its text would silently undo that one).
   */
  async publishDraft(actor: Actor, id: string, traceId?: string): Promise<DraftView> {
    const staff = authorize(actor, 'publish-reference-data');
    const current = await this.draft(staff, id);
    this.#allowed(current, 'publish');
    const at = this.#clock().toISOString();
    return this.deps.db.transaction().execute(async (trx) => {
      const max = await store.maxVersion(trx, current.slug);
      if ((current.baseVersion ?? 0) !== max) throw new AppError('conflict', 'Another version of this script was published after this draft was written. Send this draft back and write a new one from the newest version.', { extensions: { reason: 'newer-version' } });
      const version = max + 1;
      const moved = await store.moveDraft(trx, id, DRAFT_ACTIONS.publish.from, { status: DRAFT_ACTIONS.publish.to, open_slot: null, published_version: version, published_by: actorLabel(staff), published_at: at });
      if (!moved) throw new AppError('conflict', 'Someone else acted on this draft at the same moment. Look at it again.', { extensions: { reason: 'moved-on' } });
      const text = { id: current.slug, version, en: current.en, es: current.es };
      await this.#publishRows(trx, current.slug, version, text, hashOf(text), null, at);
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'script.publish', subject: `script:${current.slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { version, draft: id, approvedBy: current.reviewer ? `staff:${current.reviewer.id}` : null } });
      return draftView((await store.draft(trx, id))!, staff.user.id);
    });
  }

  /** Retires a published topic: search, the desk and the Ask page no longer find it; its versions stay readable. */
  async retire(actor: Actor, slug: string, reason: string, traceId?: string): Promise<{ slug: string; version: number }> {
    const staff = authorize(actor, 'publish-reference-data');
    const why = reason.trim();
    if (why === '' || why.length > NOTE_MAX) throw validationError([{ field: 'reason', code: why === '' ? 'required' : 'too-long', detail: `Say why, in at most ${NOTE_MAX} characters.` }]);
    return this.deps.db.transaction().execute(async (trx) => {
      const version = await store.maxVersion(trx, slug);
      if (version === 0) throw new AppError('not-found', 'There is no script with this id.');
      if (await store.retire(trx, this.deps.dialect, slug, this.#clock().toISOString(), actorLabel(staff)) === 0) throw new AppError('conflict', 'This script is already retired.', { extensions: { reason: 'retired' } });
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'script.retire', subject: `script:${slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { version, reason: why } });
      return { slug, version };
    });
  }

  async #review(actor: Actor, id: string, action: 'approve' | 'reject', note: string | null, traceId?: string): Promise<DraftView> {
    const staff = authorize(actor, 'publish-reference-data');
    const current = await this.draft(staff, id);
    this.#allowed(current, action);
    const at = this.#clock().toISOString();
    const to = DRAFT_ACTIONS[action].to;
    return this.deps.db.transaction().execute(async (trx) => {
      const moved = await store.moveDraft(trx, id, DRAFT_ACTIONS[action].from, {
        status: to, ...(to === 'rejected' ? { open_slot: null } : {}),
        reviewer_id: staff.user.id, reviewer_name: staff.user.name, reviewed_at: at, review_note: note,
      });
      if (!moved) throw new AppError('conflict', 'Someone else acted on this draft at the same moment. Look at it again.', { extensions: { reason: 'moved-on' } });
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: `script.${action}`, subject: `script:${current.slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { draft: id } });
      return draftView((await store.draft(trx, id))!, staff.user.id);
    });
  }

  /** 403 when the rule does not let this admin take this action now: their own draft, or a draft past that step (409). */
  #allowed(draft: DraftView, action: DraftAction) {
    if (draft.actions[action]) return;
    if ((DRAFT_ACTIONS[action].from as readonly string[]).includes(draft.status)) {
      throw new AppError('forbidden', 'You wrote this draft: another admin must approve it.', { extensions: { rule: 'author-may-not-approve' } });
    }
    throw new AppError('conflict', `This draft is ${draft.status}: it cannot be ${action === 'approve' ? 'approved' : action === 'reject' ? 'sent back' : 'published'} now.`, { extensions: { reason: 'moved-on' } });
  }

  /** Both languages of one version, as the newest published one (the index follows). */
  async #publishRows(trx: Transaction<Database>, slug: string, version: number, s: Pick<ScriptSource, 'en' | 'es'>, hash: string, sourceHash: string | null, at: string) {
    for (const lang of SCRIPT_LANGS) {
      const text = s[lang];
      await store.publish(trx, this.deps.dialect, {
        slug, language: lang, version, title: text.title, body: text.body, keywords: JSON.stringify(text.keywords),
        legal_advice_boundary: text.legalAdviceBoundary ?? null,
        search_title: normalise(text.title), search_keywords: normalise(text.keywords.join(' ')),
        search_body: normalise(`${text.body} ${text.legalAdviceBoundary ?? ''}`),
        content_hash: hash, published_at: at, latest: 1, source_hash: sourceHash, retired_at: null, retired_by: null,
      });
    }
  }

  async #find(q: string, lang: ScriptLang) {
    const terms = queryTerms(q, lang);
    if (!terms.length) return store.allLatest(this.deps.db, lang);
    return store.search(this.deps.db, this.deps.dialect, lang, terms);
  }
}
