/** Copy as data: one catalogue per language; `t(key, vars)` looks a string up and fills `{name}` slots. */
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };

export const LANGUAGES = ['en', 'es'] as const;
export type Lang = (typeof LANGUAGES)[number];

type Catalogue = { [key: string]: string | Catalogue };
const CATALOGUES: Record<Lang, Catalogue> = { en, es };

export const isLang = (v: unknown): v is Lang => v === 'en' || v === 'es';

/** Every dotted key of a catalogue, for the test that keeps the languages in step. */
export function keysOf(c: Catalogue = CATALOGUES.en, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`)));
}

export function catalogue(lang: Lang): Catalogue {
  return CATALOGUES[lang];
}

function lookup(c: Catalogue, key: string): string | undefined {
  let node: string | Catalogue | undefined = c;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A translator for one language; a missing key falls back to English, then to the key itself. */
export function translator(lang: Lang): Translate {
  return (key, vars) => {
    const text = lookup(CATALOGUES[lang], key) ?? lookup(CATALOGUES.en, key) ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
