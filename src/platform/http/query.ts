/** Reading query strings of page forms. */

/** A query-string value as one trimmed string ('' when absent or repeated oddly). */
export function queryValue(query: unknown, name: string): string {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, 200) : '';
}
