/**
 * The one question every route and page asks before a side effect: may this actor do this? It reads the
 * capability matrix (src/domain/capabilities.ts) and nothing else, so changing the table changes the system.
 * A denial is a 403 `forbidden` (audited by the error handler) that names the seed's prohibition when one applies.
 */
import type { Actor } from './actor.ts';
import { AppError } from './errors/catalogue.ts';
import { can, prohibitionFor, type Capability, type Prohibition } from '../domain/capabilities.ts';

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

const PROHIBITION_DETAIL: Record<Prohibition, string> = {
  'case-questions-beyond-status-online': 'Tier 1 may not go beyond what Case Status Online shows. Escalate to Tier 2 for case-specific questions.',
  'transfer-to-offices': 'Calls are never transferred to a service center or field office. When an office must act, make a service request.',
  'legal-advice': 'The contact center does not give legal advice.',
  'review-issued-rfes': 'Tier 2 may not review an already-issued Request for Evidence; only the office holding the case reads it.',
  'issue-notices-directly': 'Tier 2 may not issue notices directly. Request a re-issued notice; the office holding the case issues it.',
};

/** The staff member if they hold `capability`; 401 for nobody signed in, 403 for API clients and other roles. */
export function authorize(actor: Actor, capability: Capability): StaffActor {
  if (actor.kind !== 'staff') {
    if (actor.kind === 'client') throw new AppError('forbidden', 'This endpoint is for staff, not API clients.');
    throw new AppError('unauthenticated', 'Sign in first: POST /api/v1/auth/login, then send the token as a bearer token.');
  }
  if (!can(actor.user.role, capability)) throw forbidden(actor, capability);
  return actor;
}

/** The 403 for a staff member lacking `capability`, naming the seed's prohibition when their role has one. */
export function forbidden(actor: StaffActor, capability: Capability): AppError {
  const prohibition = prohibitionFor(actor.user.role, capability);
  return new AppError('forbidden', prohibition ? PROHIBITION_DETAIL[prohibition] : 'Your role may not do this.', {
    extensions: { capability, ...(prohibition ? { prohibition } : {}) },
  });
}

/** A 403 for what no role may ever do (the seed's "may not" lines with no capability behind them). */
export function prohibited(prohibition: Prohibition): AppError {
  return new AppError('forbidden', PROHIBITION_DETAIL[prohibition], { extensions: { prohibition } });
}
