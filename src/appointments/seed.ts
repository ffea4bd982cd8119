/**
 * The demo's appointments (SEED=demo): capacity is reference data (reference/<agency>/appointments.json); a few
 * cases with a field office get a booked appointment in the coming days, made through the service by the demo's
 * Tier 2 officer (so each has its audit entry and its notice in the outbox), one or two per field office.
 */
import type { Db } from '../platform/db/database.ts';
import type { StaffUser } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { AppointmentService } from './service.ts';
import { demoCandidates } from './store.ts';

/** Appointments the demo books per field office. */
export const DEMO_PER_OFFICE = 2;
const REASONS = ['document-review', 'proof-of-status', 'identity-correction'];

export async function seedDemoAppointments(db: Db, appointments: AppointmentService, tier2: StaffUser): Promise<{ booked: number; offices: number }> {
  const actor = { kind: 'staff' as const, user: tier2, sessionId: 'demo-seed' };
  const offices = [...appointments.policy.offices.keys()];
  const candidates = await demoCandidates(db, offices, offices.length * 20);
  let booked = 0;
  const used = new Set<string>();
  for (const [i, code] of offices.entries()) {
    const mine = candidates.filter((c) => c.field_office === code).slice(0, DEMO_PER_OFFICE);
    for (const [j, c] of mine.entries()) {
      const free = (await appointments.slots(actor, c.receipt_number, {})).slots;
      // Spread over the two weeks: the second of an office a few days after the first.
      const slot = free[Math.min(free.length - 1, j * 17 + i * 3)];
      if (!slot) continue;
      try {
        await appointments.book(actor, { receiptNumber: c.receipt_number, slotStart: slot.start, reason: REASONS[(i + j) % REASONS.length]! }, { key: null, scope: 'demo', requestHash: '' }, { lang: j % 2 ? 'es' : 'en' });
        booked++;
        used.add(code);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'conflict')) throw e;
      }
    }
  }
  return { booked, offices: used.size };
}
