/**
 * Server-rendered pages: Nunjucks templates with auto-escaping, one layout, copy from the i18n catalogues.
 * Templates are named by their path under src/ (e.g. "portal/views/home.njk").
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLang, translator, type Lang } from '../i18n/i18n.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Views {
  render(template: string, context: Record<string, unknown>): string;
}

/** A Nunjucks environment rooted at src/, auto-escaping everything; `throwOnUndefined` catches template typos in tests. */
export function createViews(options: { strict?: boolean } = {}): Views {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(SRC, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: options.strict ?? false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return { render: (template, context) => env.render(template, context) };
}

export const LANG_COOKIE = 'sb_lang';

/**
 * The languages the browser asks for, best first: `Accept-Language` with its q-values (RFC 9110 section 12.5.4),
 * reduced to the ones we have; a language with q=0 is refused, `*` and unknown tags are skipped.
 */
export function acceptedLangs(header: string | undefined): Lang[] {
  if (!header) return [];
  const ranked: Array<{ lang: Lang; q: number; i: number }> = [];
  header.split(',').slice(0, 32).forEach((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    const qParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (isLang(primary) && Number.isFinite(q) && q > 0 && q <= 1) ranked.push({ lang: primary, q, i });
  });
  ranked.sort((a, b) => b.q - a.q || a.i - b.i);
  return [...new Set(ranked.map((r) => r.lang))];
}

/**
 * The page language: `?lang=` (remembered in a cookie), else the cookie, else the browser's `Accept-Language`,
 * else English. Pages answer `Vary: Accept-Language` (see reply.page) since the same address differs by it.
 * The cookie is `Secure` when the app runs with COOKIE_SECURE (request.secureCookies, set in pages.ts).
 */
/** Requests whose language cookie is already being set (resolveLang runs more than once per page). */
const remembering = new WeakSet<FastifyRequest>();

export function resolveLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    if (request.cookies[LANG_COOKIE] !== asked && !remembering.has(request)) {
      remembering.add(request);
      reply.setCookie(LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86400, sameSite: 'lax', httpOnly: true, secure: request.secureCookies === true });
    }
    return asked;
  }
  const remembered = request.cookies[LANG_COOKIE];
  if (isLang(remembered)) return remembered;
  return acceptedLangs(request.headers['accept-language'])[0] ?? 'en';
}

/** The same address with `lang` switched, keeping the rest of the query. */
export function langSwitchHref(url: string, to: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', to);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

export { translator };
