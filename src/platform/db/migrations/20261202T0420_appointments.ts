/**
 * In-person appointments at field offices (issue 9). `appointment_seats` holds one row per taken seat of a slot,
 * keyed by (office, slot_start, seat): the primary key is the capacity rule, enforced by the database on SQLite and
 * across PostgreSQL instances alike (a booking inserts seat 1…N with ON CONFLICT DO NOTHING; none left: full).
 * `appointments.case_slot` holds the receipt number while an appointment is booked and in the future, NULL
 * otherwise: its unique index is "one booked future appointment per case".
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('confirmation_number', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_number', 'text', (c) => c.notNull())
    .addColumn('office', 'text', (c) => c.notNull())
    // Why this office: case-field-office | applicant-state | default.
    .addColumn('served_by', 'text', (c) => c.notNull())
    // UTC instants, ISO 8601 with milliseconds and Z (sortable as text).
    .addColumn('slot_start', 'text', (c) => c.notNull())
    .addColumn('slot_end', 'text', (c) => c.notNull())
    .addColumn('seat', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // booked | cancelled
    .addColumn('case_slot', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('booked_by', 'text', (c) => c.notNull())
    .addColumn('booked_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    // The appointment-reschedule service request the last move answered, and the start before it.
    .addColumn('reschedule_referral', 'text')
    .addColumn('rescheduled_by', 'text')
    .addColumn('rescheduled_at', 'text')
    .addColumn('previous_start', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appointments_case_slot').unique().on('appointments').column('case_slot').execute();
  await db.schema.createIndex('appointments_receipt').on('appointments').columns(['receipt_number', 'slot_start']).execute();
  await db.schema.createTable('appointment_seats')
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('slot_start', 'text', (c) => c.notNull())
    .addColumn('seat', 'integer', (c) => c.notNull())
    .addColumn('appointment_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('appointment_seats_pk', ['office', 'slot_start', 'seat'])
    .execute();
  await db.schema.createIndex('appointment_seats_appointment').on('appointment_seats').column('appointment_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
