/** Answer shapes of guidance pages. */
import { parseBody, type Block, type GuidanceLang } from './checks.ts';
import type { GuidanceRow } from './store.ts';

export interface GuidancePage {
  slug: string;
  version: number;
  lang: GuidanceLang;
  title: string;
  body: string;
  blocks: Block[];
  publishedAt: string;
}

export const guidancePage = (r: GuidanceRow, lang: GuidanceLang): GuidancePage => {
  const body = lang === 'es' ? r.body_es : r.body_en;
  return { slug: r.slug, version: Number(r.version), lang, title: lang === 'es' ? r.title_es : r.title_en, body, blocks: parseBody(body), publishedAt: r.published_at };
};

export interface GuidanceVersionSummary { slug: string; version: number; titleEn: string; titleEs: string; publishedAt: string; fromReference: boolean }

export const versionSummary = (r: Pick<GuidanceRow, 'slug' | 'version' | 'title_en' | 'title_es' | 'published_at' | 'source_hash'>): GuidanceVersionSummary => ({
  slug: r.slug, version: Number(r.version), titleEn: r.title_en, titleEs: r.title_es, publishedAt: r.published_at, fromReference: r.source_hash !== null,
});
