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

/** The page language: `?lang=` (remembered in a cookie), else the cookie, else English. */
export function resolveLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    if (request.cookies[LANG_COOKIE] !== asked) reply.setCookie(LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86400, sameSite: 'lax', httpOnly: true });
    return asked;
  }
  const remembered = request.cookies[LANG_COOKIE];
  return isLang(remembered) ? remembered : 'en';
}

/** The same address with `lang` switched, keeping the rest of the query. */
export function langSwitchHref(url: string, to: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', to);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

export { translator };
