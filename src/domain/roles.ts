/** Staff roles, what each may do, and the rules that bind a role to an office. Pure data and functions. */

export const ROLES = ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `value` names one of the roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Office staff belong to exactly one office; every other role belongs to none. */
export function roleNeedsOffice(role: Role): boolean {
  return role === 'office';
}

/**
 * Checks a role/office pair against the known office codes.
 * Returns an error message key, or null when the pair is valid.
 */
export function checkRoleOffice(role: Role, office: string | null, officeCodes: readonly string[]): 'office-required' | 'office-not-allowed' | 'office-unknown' | null {
  if (roleNeedsOffice(role)) {
    if (!office) return 'office-required';
    if (!officeCodes.includes(office)) return 'office-unknown';
    return null;
  }
  return office ? 'office-not-allowed' : null;
}
