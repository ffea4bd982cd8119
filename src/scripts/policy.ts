/** Numbers and word lists of scripts and the Ask page (ours, not the agency's: the scripts themselves are reference data). */

/** A search uses at most this many words of what was typed. */
export const MAX_QUERY_TERMS = 12;
/** What is typed into a search box is cut at this many characters. */
export const MAX_QUERY_CHARS = 200;
/** The Ask page shows the best answer and at most this many others. */
export const ASK_OTHER_ANSWERS = 4;
/** The desk's scripts panel lists at most this many matches. */
export const DESK_PANEL_RESULTS = 6;
/** A search word shorter than this is ignored (unless it is a form number such as "i90"). */
export const MIN_TERM_LENGTH = 2;

/** Words that carry no topic, dropped from a question ("how do I change my address?" → change, address). Normalised (no accents). */
export const STOPWORDS: Readonly<Record<'en' | 'es', ReadonlySet<string>>> = {
  en: new Set(('a an and are as at be been but by can could do does did for from get got has have how i if in into is it its me my '
    + 'no not of on or our should so that the their them there they this to was we were what when where which who why will with would you your '
    + 'am want need please tell about any some much many'
  ).split(' ')),
  es: new Set(('a al algo como con cual cuando cuanto de del donde el ella en es esta estan este esto hay la las le lo los me mi mis '
    + 'muy no o para pero por porque que se si sin su sus tengo tiene un una uno unos y ya yo puedo debo quiero necesito hacer favor'
  ).split(' ')),
};

// ── writing and reviewing scripts in the browser (/admin/scripts) ───────────────────────────────────────────

/** Limits of a script's text as staff write it (the reference files are checked against the same minimums). */
export const TITLE_MIN = 3;
export const TITLE_MAX = 200;
export const BODY_MIN = 40;
export const BODY_MAX = 6000;
export const BOUNDARY_MAX = 1000;
export const KEYWORDS_MAX = 30;
export const KEYWORD_MAX = 80;
export const SLUG_MAX = 80;
/** A reviewer's note when sending a draft back, and the reason a script is retired. */
export const NOTE_MAX = 1000;
/** Addresses under /admin/scripts that are pages, never a script's id. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['new', 'drafts']);

/** What becomes of a draft: the statuses each action takes it from, and the one it leaves it in. */
export const DRAFT_ACTIONS = {
  approve: { from: ['review'], to: 'approved' },
  reject: { from: ['review', 'approved'], to: 'rejected' },
  publish: { from: ['approved'], to: 'published' },
} as const;
export type DraftAction = keyof typeof DRAFT_ACTIONS;
export type DraftStatus = 'review' | 'approved' | 'published' | 'rejected';
/** Statuses in which a draft still holds its topic's one open slot. */
export const OPEN_STATUSES: readonly DraftStatus[] = ['review', 'approved'];

/**
 * Four eyes: a second admin approves what one wrote. The author may send their own draft back (withdraw it) and
 * publish it once someone else approved it, but never approve it.
 */
export const AUTHOR_MAY: Readonly<Record<DraftAction, boolean>> = { approve: false, reject: true, publish: true };

/** The actions `staffId` may take on a draft now (what the page offers and the service allows: one rule). */
export function draftActions(draft: { status: string; authorId: string }, staffId: string): Record<DraftAction, boolean> {
  const may = (a: DraftAction) => (DRAFT_ACTIONS[a].from as readonly string[]).includes(draft.status) && (draft.authorId !== staffId || AUTHOR_MAY[a]);
  return { approve: may('approve'), reject: may('reject'), publish: may('publish') };
}
/** A topic's page lists at most this many of its drafts, newest first. */
export const DRAFT_HISTORY_MAX = 20;
