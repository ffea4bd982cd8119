/** The shapes scripts answer with (CONTRACT.md section 8) and the admin pages show, built from rows. Pure. */
import type { ScriptText } from './checks.ts';
import { draftActions, type DraftAction, type DraftStatus } from './policy.ts';
import type { DraftRow, ScriptRow } from './store.ts';

export interface ScriptView {
  id: string;
  title: string;
  version: number;
  language: string;
  body: string;
}

/** A script as the desk and the Ask page show it: the contract's shape and its keywords and legal-advice boundary. */
export interface ScriptDetail extends ScriptView {
  keywords: string[];
  legalAdviceBoundary: string | null;
}

export const scriptView = (r: ScriptRow): ScriptView => ({ id: r.slug, title: r.title, version: Number(r.version), language: r.language, body: r.body });

export const scriptDetail = (r: ScriptRow): ScriptDetail => ({
  ...scriptView(r), keywords: JSON.parse(r.keywords) as string[], legalAdviceBoundary: r.legal_advice_boundary,
});

export interface ScriptUse {
  scriptId: string;
  version: number;
  language: string;
  at: string;
}

// ── the admin pages' shapes ──────────────────────────────────────────────────────────────────────────────────


const textOf = (r: ScriptRow): ScriptText => ({
  title: r.title, body: r.body, keywords: JSON.parse(r.keywords) as string[], ...(r.legal_advice_boundary ? { legalAdviceBoundary: r.legal_advice_boundary } : {}),
});

/** A draft as the admin pages show it, with what the reader may do with it now. */
export interface DraftView {
  id: string;
  slug: string;
  /** The version it was written from; null for a new script. */
  baseVersion: number | null;
  status: DraftStatus;
  en: ScriptText;
  es: ScriptText;
  author: { id: string; name: string };
  createdAt: string;
  reviewer: { id: string; name: string } | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  publishedVersion: number | null;
  publishedAt: string | null;
  /** What the reader may do now (policy.ts draftActions: the page's buttons and the service's checks agree). */
  actions: Record<DraftAction, boolean>;
  /** The reader wrote it. */
  mine: boolean;
}

export const draftView = (d: DraftRow, readerId: string): DraftView => {
  const texts = JSON.parse(d.texts) as { en: ScriptText; es: ScriptText };
  return {
    id: d.id, slug: d.slug, baseVersion: d.base_version === null ? null : Number(d.base_version), status: d.status as DraftStatus, en: texts.en, es: texts.es,
    author: { id: d.author_id, name: d.author_name }, createdAt: d.created_at,
    reviewer: d.reviewer_id ? { id: d.reviewer_id, name: d.reviewer_name ?? '' } : null, reviewedAt: d.reviewed_at, reviewNote: d.review_note,
    publishedVersion: d.published_version === null ? null : Number(d.published_version), publishedAt: d.published_at,
    actions: draftActions({ status: d.status, authorId: d.author_id }, readerId), mine: d.author_id === readerId,
  };
};

/** One topic in the admin list: its newest version and whether it is published, retired or has a draft waiting. */
export interface TopicSummary {
  id: string;
  title: string;
  version: number;
  status: 'published' | 'retired';
  /** When the newest version was published, or when the topic was retired. */
  at: string;
  fromReference: boolean;
  openDraft: { id: string; status: DraftStatus } | null;
}

export const topicSummary = (r: ScriptRow, open: DraftRow | undefined): TopicSummary => ({
  id: r.slug, title: r.title, version: Number(r.version), status: r.retired_at ? 'retired' : 'published', at: r.retired_at ?? r.published_at,
  fromReference: r.source_hash !== null, openDraft: open ? { id: open.id, status: open.status as DraftStatus } : null,
});

/** One topic for the admin: its state, its versions, the newest text (a new draft starts from it), its drafts. */
export interface TopicDetail {
  id: string;
  status: 'published' | 'retired';
  retiredAt: string | null;
  version: number;
  current: { en: ScriptText; es: ScriptText };
  versions: Array<{ version: number; titleEn: string; titleEs: string; publishedAt: string; latest: boolean; fromReference: boolean }>;
  drafts: DraftView[];
  openDraft: DraftView | null;
}

/** Builds a topic's detail from its rows in each language, newest first. */
export const topicDetail = (en: ScriptRow[], es: ScriptRow[], drafts: DraftView[]): TopicDetail => {
  const titleEs = new Map(es.map((r) => [Number(r.version), r.title]));
  const top = en[0]!;
  return {
    id: top.slug, status: top.retired_at ? 'retired' : 'published', retiredAt: top.retired_at, version: Number(top.version),
    current: { en: textOf(top), es: textOf(es[0]!) },
    versions: en.map((r) => ({ version: Number(r.version), titleEn: r.title, titleEs: titleEs.get(Number(r.version)) ?? '', publishedAt: r.published_at, latest: r.latest === 1, fromReference: r.source_hash !== null })),
    drafts, openDraft: drafts.find((d) => d.status === 'review' || d.status === 'approved') ?? null,
  };
};
