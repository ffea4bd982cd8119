/**
 * Agent skills: the languages an agent serves in and specialised help (military members and their families).
 * A callback or transfer needs the caller's language and, for a military case, "military"; an officer takes it
 * only when they hold every skill it needs. Pure.
 */
export const SKILLS = ['en', 'es', 'military'] as const;
export type Skill = (typeof SKILLS)[number];

/** What an account has when nobody said: English. */
export const DEFAULT_SKILLS: readonly Skill[] = ['en'];

export const isSkill = (v: unknown): v is Skill => typeof v === 'string' && (SKILLS as readonly string[]).includes(v);

/** Skills in one canonical order without repeats (so a set of skills has one key). */
export function canonicalSkills(skills: Iterable<string>): Skill[] {
  const set = new Set(skills);
  return SKILLS.filter((s) => set.has(s));
}

/** The one string a set of needed skills is stored and matched by, e.g. "es+military". */
export const skillKey = (skills: Iterable<string>): string => canonicalSkills(skills).join('+');

/** Every skill key an officer with `skills` can take: each subset of theirs that names one language. */
export function keysServedBy(skills: Iterable<string>): string[] {
  const held = canonicalSkills(skills);
  const languages = held.filter((s) => s !== 'military');
  const keys: string[] = [];
  for (const l of languages) {
    keys.push(skillKey([l]));
    if (held.includes('military')) keys.push(skillKey([l, 'military']));
  }
  return keys;
}

/** The skills a call needs: its language, and "military" when the case is a military member's or dependent's. */
export function skillsNeeded(language: string, military: boolean): Skill[] {
  return canonicalSkills([language, ...(military ? ['military'] : [])]);
}

/** Reads a stored JSON array of skills; anything unreadable is no skills. */
export function parseSkills(json: string | null | undefined): Skill[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? canonicalSkills(v.filter(isSkill)) : [];
  } catch {
    return [];
  }
}
