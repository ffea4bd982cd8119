/**
 * Guidance pages (issue 10 item 5), like the seed itself ("Getting the most out of your call"): written and
 * published by staff in English and Spanish, versioned (every version stays; the newest is the page), each showing
 * its last published date. Pages every deployment has are reference data (reference/<agency>/guidance/*.json),
 * published at start-up once per change of the file: a version staff published later is not overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { sha256 } from '../platform/ids.ts';
import { checkGuidance, checkGuidanceSources, type GuidanceInput, type GuidanceLang } from './checks.ts';
import { HISTORY_MAX, LIST_MAX } from './policy.ts';
import * as store from './store.ts';
import { guidancePage, versionSummary, type GuidancePage, type GuidanceVersionSummary } from './views.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Reads and checks reference/<agency>/guidance/*.json; Error naming a bad entry or a repeated id. */
export function loadGuidanceSources(agency: string, dir = path.join(ROOT, 'reference', agency, 'guidance')): GuidanceInput[] {
  if (!fs.existsSync(dir)) return [];
  const all: GuidanceInput[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    all.push(...checkGuidanceSources(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), `guidance/${file}`));
  }
  const seen = new Set<string>();
  for (const g of all) {
    if (seen.has(g.slug)) throw new Error(`guidance: the id "${g.slug}" is used twice`);
    seen.add(g.slug);
  }
  return all;
}

const hashOf = (g: GuidanceInput) => sha256(JSON.stringify([g.en, g.es]));
const langOf = (v: unknown): GuidanceLang => (v === 'es' ? 'es' : 'en');

export interface GuidanceDeps {
  db: Db;
  audit: AuditService;
  clock?: () => Date;
}

export class GuidanceService {
  readonly #clock: () => Date;
  constructor(private readonly deps: GuidanceDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  withClock(clock: () => Date): GuidanceService {
    return new GuidanceService({ ...this.deps, clock });
  }

  /** Publishes each reference page whose text has never been published; loading the same files again changes nothing. */
  async load(sources: readonly GuidanceInput[], traceId?: string): Promise<{ published: string[] }> {
    const published: string[] = [];
    await this.deps.db.transaction().execute(async (trx) => {
      for (const g of sources) {
        const hash = hashOf(g);
        if (await store.hasSource(trx, g.slug, hash)) continue;
        const version = (await store.maxVersion(trx, g.slug)) + 1;
        await store.insertVersion(trx, {
          slug: g.slug, version, title_en: g.en.title, body_en: g.en.body, title_es: g.es.title, body_es: g.es.body,
          source_hash: hash, published_at: this.#clock().toISOString(), published_by: actorLabel({ kind: 'system' }),
        });
        await this.deps.audit.record(trx, { actor: 'system', action: 'guidance.publish', subject: `guidance:${g.slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { version, reference: true } });
        published.push(`${g.slug}@${version}`);
      }
    });
    return { published };
  }

  /** Staff who publish reference data publish a new version (both languages); earlier versions stay. */
  async publish(actor: Actor, input: Parameters<typeof checkGuidance>[0], traceId?: string): Promise<GuidanceVersionSummary> {
    const staff = authorize(actor, 'publish-reference-data');
    const checked = checkGuidance(input);
    if ('errors' in checked) throw validationError(checked.errors);
    const g = checked.ok;
    let tried = 0;
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const version = (await store.maxVersion(trx, g.slug)) + 1;
        tried = version;
        const row: store.GuidanceRow = {
          slug: g.slug, version, title_en: g.en.title, body_en: g.en.body, title_es: g.es.title, body_es: g.es.body,
          source_hash: null, published_at: this.#clock().toISOString(), published_by: actorLabel(staff),
        };
        await store.insertVersion(trx, row);
        await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'guidance.publish', subject: `guidance:${g.slug}`, outcome: 'allowed', traceId: traceId ?? null, detail: { version } });
        return versionSummary(row);
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Two publishers at once took the same version number: the second is told to look again.
      if (tried && (await store.version(this.deps.db, g.slug, tried))) {
        throw new AppError('conflict', 'Someone published a version of this page at the same moment. Look at the page again and publish your text if it is still needed.');
      }
      throw err;
    }
  }

  /** The public page: its newest version in a language; 404 when there is no such page. */
  async page(slug: string, lang: unknown): Promise<GuidancePage> {
    const row = typeof slug === 'string' && slug.length <= 100 ? await store.latest(this.deps.db, slug) : undefined;
    if (!row) throw new AppError('not-found', 'There is no guidance page at this address.');
    return guidancePage(row, langOf(lang));
  }

  /** One version (staff: earlier versions stay readable). */
  async version(actor: Actor, slug: string, n: number, lang: unknown): Promise<GuidancePage> {
    authorize(actor, 'publish-reference-data');
    const row = await store.version(this.deps.db, slug, n);
    if (!row) throw new AppError('not-found', 'There is no such version of this page.');
    return guidancePage(row, langOf(lang));
  }

  /** The staff list: every page's newest version. */
  async list(actor: Actor): Promise<GuidanceVersionSummary[]> {
    authorize(actor, 'publish-reference-data');
    return (await store.allLatest(this.deps.db, LIST_MAX)).map(versionSummary);
  }

  /** A page's versions, newest first, for staff. */
  async history(actor: Actor, slug: string): Promise<GuidanceVersionSummary[]> {
    authorize(actor, 'publish-reference-data');
    return (await store.history(this.deps.db, slug, HISTORY_MAX)).map(versionSummary);
  }

  /** The newest version with both languages' text, for the staff form (to start a new version from). */
  async latestText(actor: Actor, slug: string): Promise<GuidanceInput | null> {
    authorize(actor, 'publish-reference-data');
    const row = await store.latest(this.deps.db, slug);
    return row ? { slug: row.slug, en: { title: row.title_en, body: row.body_en }, es: { title: row.title_es, body: row.body_es } } : null;
  }
}
