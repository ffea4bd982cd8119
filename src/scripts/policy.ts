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
