/**
 * The contact desk (CONTRACT.md section 8): calls (contacts) and what happens on them, the verification lock,
 * escalations to Tier 2 (a live transfer or a callback) with their attempts, and who of Tier 2 is free now.
 * Staff gain `skills` (JSON array: languages and "military"), which route callbacks and transfers.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 12 digits with a Damm check digit (src/domain/contact-reference.ts): what the caller writes down.
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    // desk (opened by an agent) | platform (loaded from a telephony platform) | callback (a Tier 2 officer calling back)
    .addColumn('source', 'text', (c) => c.notNull())
    // The platform's id of the call (CallSid or its own), unique: a record sent twice is stored once.
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    // E.164, normalised with libphonenumber-js so a search by any spelling of the number finds the call.
    .addColumn('caller_phone', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('tier', 'text') // tier1 | tier2
    .addColumn('agent_staff_id', 'text')
    // The agent's public ID (six digits), what the caller is told and the Ombudsman searches by.
    .addColumn('agent_id', 'text')
    .addColumn('escalated_to', 'text') // staff id of the Tier 2 officer a call was transferred to
    .addColumn('callback_id', 'text') // for a callback contact: the escalation it answers
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('disposition', 'text')
    .addColumn('end_notes', 'text')
    .addColumn('recording_uri', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_phone').on('contacts').columns(['caller_phone', 'started_at']).execute();
  await db.schema.createIndex('contacts_agent').on('contacts').columns(['agent_id', 'started_at']).execute();
  await db.schema.createIndex('contacts_started').on('contacts').columns(['started_at']).execute();
  await db.schema.createIndex('contacts_open_by_staff').on('contacts').columns(['agent_staff_id', 'ended_at', 'started_at']).execute();

  await db.schema.createTable('contact_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // opened | verified | verification-failed | case-linked | note | escalated | transferred | record-sent | ended | script
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'text') // JSON; a note's text is here (it may hold what the caller said)
    .execute();
  await db.schema.createIndex('contact_events_by_contact').on('contact_events').columns(['contact_id', 'at']).execute();

  await db.schema.createTable('contact_cases')
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('receipt_number', 'text', (c) => c.notNull())
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_cases_pk', ['contact_id', 'receipt_number'])
    .execute();
  await db.schema.createIndex('contact_cases_receipt').on('contact_cases').columns(['receipt_number', 'linked_at']).execute();

  // Failed verifications by receipt number, whatever the contact: three within 24 hours lock the number.
  await db.schema.createTable('verification_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receipt_number', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_failures_receipt').on('verification_failures').columns(['receipt_number', 'at']).execute();
  await db.schema.createTable('verification_locks')
    .addColumn('receipt_number', 'text', (c) => c.primaryKey())
    .addColumn('locked_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .execute();

  // An escalation to Tier 2: a live transfer (mode transfer) or a callback (mode callback). Its id is the callback's id.
  await db.schema.createTable('escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull()) // transfer | callback
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull()) // urgent | regular
    .addColumn('receipt_number', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    // JSON array of the skills the officer needs ("es", "military"), and the same as one sorted key for the queue.
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('skill_key', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('call_window', 'text') // JSON: the window the caller chose ({from,to} or a label), as given
    .addColumn('window_start', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    // open | done | missed (callbacks); a transfer is done when it is made
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text')
    .addColumn('to_staff_id', 'text') // the officer a transfer went to, or who reached the caller
    .addColumn('reached_contact_id', 'text')
    .addColumn('notify_channel', 'text') // sms | email
    .addColumn('notify_address', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalations_queue').on('escalations').columns(['mode', 'status', 'due_at', 'id']).execute();
  await db.schema.createIndex('escalations_skill_queue').on('escalations').columns(['mode', 'skill_key', 'status', 'due_at', 'id']).execute();
  await db.schema.createIndex('escalations_contact').on('escalations').columns(['contact_id']).execute();
  await db.schema.createIndex('escalations_receipt').on('escalations').columns(['receipt_number', 'created_at']).execute();

  await db.schema.createTable('callback_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('escalation_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull()) // reached | no-answer | voicemail | wrong-number
    .addUniqueConstraint('callback_attempts_n', ['escalation_id', 'n'])
    .execute();

  // Who of Tier 2 is free to take a live transfer now. One row per officer who has ever set it.
  await db.schema.createTable('staff_presence')
    .addColumn('staff_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull()) // available | busy | away
    .addColumn('contact_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
