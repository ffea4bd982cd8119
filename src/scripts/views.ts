/** The shapes scripts answer with (CONTRACT.md section 8), built from rows. Pure. */
import type { ScriptRow } from './store.ts';

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
