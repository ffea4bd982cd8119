/**
 * Scripts and the knowledge base (CONTRACT.md section 8; DOMAIN.md "The two tiers"): the approved answers Tier 1
 * relays and Tier 2 reads from, in English and Spanish. They are reference data (reference/<agency>/scripts/*.json)
 * every deployment loads at start-up: a topic whose text changed gets a new version in both languages; earlier
 * versions stay, so the version recorded on a contact can still be read. Search ignores accents and case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Db, DialectName } from '../platform/db/database.ts';
import type { Actor } from '../platform/actor.ts';
import { actorLabel } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { AuditService } from '../audit/service.ts';
import type { ContactService } from '../contacts/service.ts';
import * as store from './store.ts';
import { checkScriptSources, normalise, queryTerms, SCRIPT_LANGS, type ScriptLang, type ScriptSource } from './checks.ts';
import { scriptDetail, scriptView, type ScriptDetail, type ScriptUse, type ScriptView } from './views.ts';

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
   * Publishes the topics whose text is new or changed (one transaction, one audit entry per new version); the same
   * files loaded again change nothing. A changed topic's version is the file's or one past the last, whichever is higher.
   */
  async load(sources: readonly ScriptSource[], traceId?: string): Promise<{ published: string[] }> {
    const published: string[] = [];
    const now = this.#clock().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await store.latestHashes(trx);
      for (const s of sources) {
        const hash = hashOf(s);
        const had = current.get(s.id);
        if (had?.hash === hash) continue;
        const version = Math.max(s.version, (await store.maxVersion(trx, s.id)) + 1);
        for (const lang of SCRIPT_LANGS) {
          const text = s[lang];
          await store.publish(trx, this.deps.dialect, {
            slug: s.id, language: lang, version, title: text.title, body: text.body, keywords: JSON.stringify(text.keywords),
            legal_advice_boundary: text.legalAdviceBoundary ?? null,
            search_title: normalise(text.title), search_keywords: normalise(text.keywords.join(' ')),
            search_body: normalise(`${text.body} ${text.legalAdviceBoundary ?? ''}`),
            content_hash: hash, published_at: now, latest: 1,
          });
        }
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

  async #find(q: string, lang: ScriptLang) {
    const terms = queryTerms(q, lang);
    if (!terms.length) return store.allLatest(this.deps.db, lang);
    return store.search(this.deps.db, this.deps.dialect, lang, terms);
  }
}
