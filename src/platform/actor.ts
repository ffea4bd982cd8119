/** Who is acting. Passed explicitly to every service call: there is no global "current user". */
import type { Role } from '../domain/roles.ts';

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  office: string | null;
  agentId: string;
}

export type Actor =
  | { kind: 'staff'; user: StaffUser; sessionId: string }
  | { kind: 'client'; clientId: string; name: string; scopes: string[] }
  | { kind: 'anonymous' }
  | { kind: 'cli' }
  | { kind: 'system' };

/** How an actor is written in the audit trail: an identifier, never a name or e-mail. */
export function actorLabel(a: Actor): string {
  switch (a.kind) {
    case 'staff': return `staff:${a.user.id}`;
    case 'client': return `client:${a.clientId}`;
    default: return a.kind;
  }
}

/** The public view of a staff account, as the API returns it. */
export function publicUser(u: StaffUser) {
  return { id: u.id, name: u.name, role: u.role, office: u.office, agentId: u.agentId };
}
