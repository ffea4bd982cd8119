/**
 * Pure checks of guidance pages, and their small markup. A body is plain text: blocks are separated by a blank line;
 * a block whose lines all start with "- " is a list; a line starting with "## " is a subheading; `[words](/path)`
 * is a link to a page of this site or to an https address. Nothing else has meaning: no HTML ever passes through,
 * the page renders the blocks with auto-escaping.
 */
import type { FieldError } from '../platform/errors/catalogue.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { BODY_MAX, SLUG_MAX, SLUG_PATTERN, TITLE_MAX } from './policy.ts';

export const GUIDANCE_LANGS = ['en', 'es'] as const;
export type GuidanceLang = (typeof GUIDANCE_LANGS)[number];

export type Inline = { text: string } | { text: string; href: string };
export type Block = { kind: 'p'; parts: Inline[] } | { kind: 'h2'; text: string } | { kind: 'ul'; items: Inline[][] };

export interface GuidanceText { title: string; body: string }
export interface GuidanceInput { slug: string; en: GuidanceText; es: GuidanceText }

const LINK = /\[([^\]\n]{1,200})\]\(([^)\s]{1,2048})\)/g;

/** A link's address as the page may use it: a same-site path, or an https address; null when neither. */
export function safeHref(href: string): string | null {
  if (href.startsWith('/')) {
    const path = sameSitePath(href, '\u0000');
    return path === '\u0000' ? null : path;
  }
  try {
    const url = new URL(href);
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

/** A line of text with its links; a link whose address is not safe stays as its words. */
export function inline(text: string): Inline[] {
  const parts: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index! > at) parts.push({ text: text.slice(at, m.index) });
    const href = safeHref(m[2]!);
    parts.push(href ? { text: m[1]!, href } : { text: m[1]! });
    at = m.index! + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** The body's blocks, in order. */
export function parseBody(body: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of body.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
    if (!lines.length) continue;
    let para: string[] = [];
    let list: string[] = [];
    const flush = () => {
      if (para.length) blocks.push({ kind: 'p', parts: inline(para.join(' ')) });
      if (list.length) blocks.push({ kind: 'ul', items: list.map(inline) });
      para = [];
      list = [];
    };
    for (const line of lines) {
      if (line.startsWith('## ')) { flush(); blocks.push({ kind: 'h2', text: line.slice(3).trim() }); }
      else if (/^[-*•] /.test(line)) { if (para.length) { blocks.push({ kind: 'p', parts: inline(para.join(' ')) }); para = []; } list.push(line.slice(2).trim()); }
      else { if (list.length) { blocks.push({ kind: 'ul', items: list.map(inline) }); list = []; } para.push(line); }
    }
    flush();
  }
  return blocks;
}

/** A new version as staff or the reference file give it, or the fields that are wrong (each named). */
export function checkGuidance(input: { slug?: unknown; en?: { title?: unknown; body?: unknown }; es?: { title?: unknown; body?: unknown } }): { ok: GuidanceInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase() : '';
  if (!SLUG_PATTERN.test(slug) || slug.length > SLUG_MAX) {
    errors.push({ field: 'slug', code: 'invalid', detail: `The address: lower-case letters, digits and hyphens, at most ${SLUG_MAX} characters, like contact-center-call.` });
  }
  const text: Partial<Record<GuidanceLang, GuidanceText>> = {};
  for (const lang of GUIDANCE_LANGS) {
    const t = input[lang] ?? {};
    const title = typeof t.title === 'string' ? t.title.replace(/\s+/g, ' ').trim() : '';
    const body = typeof t.body === 'string' ? t.body.replace(/\r\n?/g, '\n').trim() : '';
    if (title === '' || title.length > TITLE_MAX) errors.push({ field: `${lang}.title`, code: title === '' ? 'required' : 'too-long', detail: `A title, at most ${TITLE_MAX} characters.` });
    if (body === '' || body.length > BODY_MAX) errors.push({ field: `${lang}.body`, code: body === '' ? 'required' : 'too-long', detail: `The text, at most ${BODY_MAX} characters.` });
    text[lang] = { title, body };
  }
  if (errors.length) return { errors };
  return { ok: { slug, en: text.en!, es: text.es! } };
}

/** Checks reference/<agency>/guidance/*.json (a list of pages); Error naming the bad entry. */
export function checkGuidanceSources(json: unknown, file: string): GuidanceInput[] {
  if (!Array.isArray(json)) throw new Error(`${file}: a list of guidance pages`);
  return json.map((entry, i) => {
    const checked = checkGuidance({ slug: entry?.id, en: entry?.en, es: entry?.es });
    if ('errors' in checked) throw new Error(`${file}[${i}]: ${checked.errors.map((e) => `${e.field}: ${e.detail}`).join('; ')}`);
    return checked.ok;
  });
}
