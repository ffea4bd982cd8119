/** Pure checks of scripts: the reference files, the normalised search text and the words of a search. */
import type { FieldError } from '../platform/errors/catalogue.ts';
import {
  BODY_MAX, BODY_MIN, BOUNDARY_MAX, KEYWORD_MAX, KEYWORDS_MAX, MAX_QUERY_CHARS, MAX_QUERY_TERMS, MIN_TERM_LENGTH, RESERVED_SLUGS, SLUG_MAX, STOPWORDS, TITLE_MAX, TITLE_MIN,
} from './policy.ts';

export type ScriptLang = 'en' | 'es';
export const SCRIPT_LANGS: readonly ScriptLang[] = ['en', 'es'];

/** One language of one topic, as the reference file writes it. */
export interface ScriptText {
  title: string;
  body: string;
  keywords: string[];
  legalAdviceBoundary?: string;
}

/** One topic of the reference files: a stable id (its slug), the version the file claims, both languages. */
export interface ScriptSource {
  id: string;
  version: number;
  en: ScriptText;
  es: ScriptText;
}

/**
 * Text as the search index holds it: decomposed (NFKD), combining marks removed, lower case, form numbers joined
 * ("I-90" → "i90", "N-400" → "n400"), anything but letters and digits a space. "Información" → "informacion".
 */
export function normalise(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/\b([a-z]{1,2})-(\d)/g, '$1$2')
    .replace(/[^a-z0-9]+/g, ' ').trim();
}

/** A light stem for a search word: a plural's "s" and an English "-ing" go (the search then matches as a prefix). */
function stem(word: string): string {
  if (word.length >= 6 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length >= 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * The words a search looks for: normalised, without the language's filler words (unless nothing else is left),
 * stemmed lightly, no repeats, at most MAX_QUERY_TERMS. Only [a-z0-9] remain, safe in FTS5 and tsquery syntax.
 */
export function queryTerms(q: string, lang: ScriptLang): string[] {
  const words = normalise(q.slice(0, MAX_QUERY_CHARS)).split(' ').filter((w) => w.length >= MIN_TERM_LENGTH || /\d/.test(w));
  const stop = STOPWORDS[lang];
  const other = STOPWORDS[lang === 'en' ? 'es' : 'en'];
  let kept = words.filter((w) => !stop.has(w) && !other.has(w));
  if (!kept.length) kept = words;
  return [...new Set(kept.map(stem))].slice(0, MAX_QUERY_TERMS);
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkText(raw: unknown, where: string): ScriptText {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o.title !== 'string' || o.title.trim().length < 3) throw new Error(`${where}.title must be a text`);
  if (typeof o.body !== 'string' || o.body.trim().length < 40) throw new Error(`${where}.body must be a text of at least 40 characters`);
  if (!Array.isArray(o.keywords) || !o.keywords.every((k) => typeof k === 'string')) throw new Error(`${where}.keywords must be a list of words`);
  if (o.legalAdviceBoundary !== undefined && typeof o.legalAdviceBoundary !== 'string') throw new Error(`${where}.legalAdviceBoundary must be a text`);
  return {
    title: o.title.trim(), body: o.body.trim(), keywords: o.keywords as string[],
    ...(typeof o.legalAdviceBoundary === 'string' ? { legalAdviceBoundary: o.legalAdviceBoundary.trim() } : {}),
  };
}

/** Checks the topics of the reference files; Error naming the bad entry (a bad file stops the start). */
export function checkScriptSources(raw: unknown, file: string): ScriptSource[] {
  if (!Array.isArray(raw)) throw new Error(`${file}: must be a list of scripts`);
  return raw.map((entry, i) => {
    const o = (entry ?? {}) as Record<string, unknown>;
    const where = `${file}[${i}]`;
    if (typeof o.id !== 'string' || !SLUG.test(o.id)) throw new Error(`${where}.id must be a kebab-case slug`);
    if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) throw new Error(`${where}.version must be a whole number from 1`);
    return { id: o.id, version: o.version, en: checkText(o.en, `${where}.en`), es: checkText(o.es, `${where}.es`) };
  });
}

// ── a script as staff write it ───────────────────────────────────────────────────────────────────────────────

/** The form's text of one language: keywords as typed (one per line or separated by commas). */
export interface DraftTextInput { title?: unknown; body?: unknown; keywords?: unknown; legalAdviceBoundary?: unknown }

/** Keywords as typed: split at commas and line ends, trimmed, empty ones and repeats dropped. */
export const keywordList = (typed: string): string[] => [...new Set(typed.split(/[,\n]/).map((k) => k.replace(/\s+/g, ' ').trim()).filter(Boolean))];

/**
 * A draft's slug (a new topic only) and both languages' text, or the fields that are wrong, each named
 * (`slug`, `en.title`, `es.keywords`, …) with a code the page words: required, too-short, too-long, invalid, reserved.
 */
export function checkScriptDraft(input: { slug?: unknown; en?: DraftTextInput; es?: DraftTextInput }, newTopic: boolean): { ok: { slug: string; en: ScriptText; es: ScriptText } } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase() : '';
  if (newTopic) {
    if (slug === '') errors.push({ field: 'slug', code: 'required', detail: 'Give the script an id.' });
    else if (slug.length > SLUG_MAX || !SLUG.test(slug)) errors.push({ field: 'slug', code: 'invalid', detail: `Lower-case letters, digits and single hyphens, at most ${SLUG_MAX} characters.` });
    else if (RESERVED_SLUGS.has(slug)) errors.push({ field: 'slug', code: 'reserved', detail: 'This word is kept for a page address.' });
  }
  const out: Partial<Record<ScriptLang, ScriptText>> = {};
  for (const lang of SCRIPT_LANGS) {
    const raw = input[lang] ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : '');
    const title = str(raw.title).replace(/\s+/g, ' ');
    const body = str(raw.body);
    const boundary = str(raw.legalAdviceBoundary);
    const keywords = keywordList(str(raw.keywords));
    const length = (field: string, value: string, min: number, max: number) => {
      if (value === '') errors.push({ field: `${lang}.${field}`, code: 'required', detail: `The ${field} is missing.` });
      else if (value.length < min) errors.push({ field: `${lang}.${field}`, code: 'too-short', detail: `At least ${min} characters.` });
      else if (value.length > max) errors.push({ field: `${lang}.${field}`, code: 'too-long', detail: `At most ${max} characters.` });
    };
    length('title', title, TITLE_MIN, TITLE_MAX);
    length('body', body, BODY_MIN, BODY_MAX);
    if (keywords.length > KEYWORDS_MAX || keywords.some((k) => k.length > KEYWORD_MAX)) {
      errors.push({ field: `${lang}.keywords`, code: 'too-long', detail: `At most ${KEYWORDS_MAX} keywords of at most ${KEYWORD_MAX} characters each.` });
    }
    if (boundary.length > BOUNDARY_MAX) errors.push({ field: `${lang}.legalAdviceBoundary`, code: 'too-long', detail: `At most ${BOUNDARY_MAX} characters.` });
    out[lang] = { title, body, keywords, ...(boundary ? { legalAdviceBoundary: boundary } : {}) };
  }
  if (errors.length) return { errors };
  return { ok: { slug, en: out.en!, es: out.es! } };
}
