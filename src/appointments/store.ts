/**
 * All SQL of appointments. A seat of a slot is taken by inserting (office, slot_start, seat) with ON CONFLICT DO
 * NOTHING for each seat in turn: the primary key decides races between officers and instances, and a slot whose
 * seats are all taken inserts nothing (full). One booked future appointment per case is the unique case_slot.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppointmentTable, Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type AppointmentRow = AppointmentTable;

/** Takes the first free seat of a slot (1…seats) for an appointment; null when every seat is taken. */
export async function takeSeat(db: Executor, office: string, slotStart: string, seats: number, appointmentId: string): Promise<number | null> {
  for (let seat = 1; seat <= seats; seat++) {
    const got = await db.insertInto('appointment_seats').values({ office, slot_start: slotStart, seat, appointment_id: appointmentId })
      .onConflict((oc) => oc.columns(['office', 'slot_start', 'seat']).doNothing())
      .returning('seat').executeTakeFirst();
    if (got) return seat;
  }
  return null;
}

export async function freeSeat(db: Executor, appointmentId: string): Promise<void> {
  await db.deleteFrom('appointment_seats').where('appointment_id', '=', appointmentId).execute();
}

/** Taken seats per slot start of an office between two instants (start inclusive, end exclusive). */
export async function takenSeats(db: Executor, office: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('appointment_seats').select((eb) => ['slot_start', eb.fn.countAll().as('n')])
    .where('office', '=', office).where('slot_start', '>=', from).where('slot_start', '<', to).groupBy('slot_start').execute();
  return new Map(rows.map((r) => [r.slot_start, Number(r.n)]));
}

export async function insertAppointment(db: Executor, row: AppointmentRow): Promise<void> {
  await db.insertInto('appointments').values(row).execute();
}

export const findAppointment = (db: Executor, id: string) =>
  db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();

/** The case's booked appointment holding its case slot, if any. */
export const bookedOfCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('appointments').selectAll().where('case_slot', '=', receiptNumber).executeTakeFirst();

/** Lets go of the case slot of a booked appointment already past (the rule is about future ones). */
export async function releasePastCaseSlot(db: Executor, receiptNumber: string, now: string): Promise<void> {
  await db.updateTable('appointments').set({ case_slot: null }).where('case_slot', '=', receiptNumber).where('slot_end', '<=', now).execute();
}

export const appointmentsOfCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('appointments').selectAll().where('receipt_number', '=', receiptNumber).orderBy('slot_start').execute();

/** Changes a booked appointment only while it is still booked: returns the row after, or undefined. */
export async function updateBooked(db: Executor, id: string, set: Partial<AppointmentRow>): Promise<AppointmentRow | undefined> {
  return db.updateTable('appointments').set(set).where('id', '=', id).where('status', '=', 'booked').returningAll().executeTakeFirst();
}

/** True when the error is the database refusing a second booked appointment for a case (unique case_slot). */
export function isCaseSlotConflict(err: unknown): boolean {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e?.code === '23505') return (e.constraint ?? e.message ?? '').includes('case_slot');
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && (e.message ?? '').includes('case_slot');
}

/** The case the appointment is for: its field office, the applicant (JSON) and status. */
export const caseFor = (db: Executor, receiptNumber: string) =>
  db.selectFrom('cases').select(['receipt_number', 'field_office', 'applicant', 'form_type', 'office', 'status']).where('receipt_number', '=', receiptNumber).executeTakeFirst();

/** A service request's type, case and status (a reschedule must name an appointment-reschedule request of the case). */
export const requestFor = (db: Executor, referralNumber: string) =>
  db.selectFrom('service_requests').select(['referral_number', 'receipt_number', 'type', 'status']).where('referral_number', '=', referralNumber).executeTakeFirst();

export const staffName = (db: Executor, id: string) =>
  db.selectFrom('staff').select(['id', 'name', 'agent_id']).where('id', '=', id).executeTakeFirst();

/** Pending, unprotected cases with a field office and no appointment yet (the demo's bookings), by receipt number. */
export const demoCandidates = (db: Executor, offices: readonly string[], limit: number) =>
  db.selectFrom('cases').select(['receipt_number', 'field_office'])
    .where('field_office', 'in', [...offices]).where('protected_category', 'is', null).where('decided_date', 'is', null)
    .where('receipt_number', 'not in', db.selectFrom('appointments').select('receipt_number'))
    .orderBy('receipt_number').limit(limit).execute();
