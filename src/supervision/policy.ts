/**
 * The supervisor's tools, as data: whose work a supervisor oversees, which capability opens each tool, how much a
 * page shows. Supervisors belong to no office (src/domain/roles.ts), so "their staff" is the contact center's
 * agents and the offices' workers; an administrator reads every staff member's denials.
 */
import type { Capability } from '../domain/capabilities.ts';

/** The roles whose work a supervisor reassigns, whose day they read and whose denied access they review. */
export const SUPERVISED_ROLES = ['tier1', 'tier2', 'office'] as const;

/** Who may move work and read an agent's day (the agent's calls are read with find-contacts). */
export const REASSIGN_CAPABILITY: Capability = 'reassign-work';
export const AGENT_DAY_CAPABILITIES: readonly Capability[] = ['watch-queues', 'find-contacts'];

/** Denied access: the first capability the reader holds decides whose entries they see. */
export const DENIED_ACCESS_SCOPES: ReadonlyArray<{ capability: Capability; scope: 'all-staff' | 'supervised' }> = [
  { capability: 'read-audit-trail', scope: 'all-staff' },
  { capability: 'watch-queues', scope: 'supervised' },
];

/** Denied-access entries a page shows, and the most a count reads (beyond it the page says "more than"). */
export const DENIED_PAGE_SIZE = 25;
export const DENIED_COUNT_CAP = 10_000;

/** The most of each kind an agent's day lists (a busy agent takes about 100 calls a day); beyond it the page says so. */
export const DAY_ROWS_MAX = 500;

/** The most open items of one agent the reassignment page lists and "move all" moves at once. */
export const OPEN_ITEMS_MAX = 200;
