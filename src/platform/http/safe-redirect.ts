/**
 * Where a page may send a browser after a form (sign-in's `next`): only a path on this site, as the WHATWG
 * URL parser (the browser's own) reads it. The raw string is never echoed into `Location`; the parsed,
 * percent-encoded pathname and query are. Pure, so every page that takes a return address reuses it.
 */

/** A placeholder origin for resolving: `.invalid` never resolves (RFC 6761), so nothing is ever fetched. */
const BASE = 'http://switchboard.invalid';
const ORIGIN = new URL(BASE).origin;

/** Longer return addresses are refused rather than cut (no page of ours needs one). */
export const MAX_RETURN_PATH_LENGTH = 2048;

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * `next` as a same-origin path plus query (no fragment), or `fallback` when it is missing, not a path, too
 * long, or would leave the site once a browser parsed it (`//host`, `/\host`, `/<TAB>/host`, `/.//host`,
 * `javascript:`, absolute URLs).
 */
export function sameSitePath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_RETURN_PATH_LENGTH) return fallback;
  // Only an absolute path: not a scheme, not a relative path, not one the parser would first strip of
  // leading spaces or control characters.
  if (next[0] !== '/') return fallback;
  // Tabs, newlines and other control characters are silently dropped by the parser (so `/<TAB>/host` is
  // `//host`); no real return address has one, so a path carrying one is refused outright.
  if (CONTROL.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN || url.username || url.password) return fallback;
  // A parsed path that itself starts with two slashes (from `/.//host` or `/%2e//host`) would be read as a
  // host when sent back as `Location`.
  if (url.pathname.startsWith('//')) return fallback;
  const result = url.pathname + url.search;
  return result.length > MAX_RETURN_PATH_LENGTH * 3 ? fallback : result;
}
