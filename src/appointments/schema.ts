/** TypeBox schemas of the appointment API: validation and the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with the office\'s offset' });
const IsoDate = Type.String({ description: 'YYYY-MM-DD, in the office\'s time zone', maxLength: 10 });

export const ReceiptParams = Type.Object({ receiptNumber: Type.String({ maxLength: 40 }) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export const SlotsQuery = Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) });

const Office = Type.Object({
  code: Type.String(), name: Type.Object({ en: Type.String(), es: Type.String() }), timeZone: Type.String(), address: Type.Array(Type.String()),
});

export const Slots = Type.Object({
  receiptNumber: Type.String(), office: Office,
  servedBy: Type.String({ description: 'Which rule chose the office: case-field-office (the case names it), applicant-state (the applicant\'s state), default' }),
  from: Type.String(), to: Type.String(), slotMinutes: Type.Integer(),
  slots: Type.Array(Type.Object({ start: Instant, end: Instant, seatsLeft: Type.Integer({ minimum: 1 }) }), { description: 'Free slots only, earliest first' }),
}, { description: 'Free slots at the field office serving the case' });

export const BookBody = Type.Object({
  slotStart: Type.String({ maxLength: 40, description: 'A slot\'s start as listed by appointment-slots (any offset naming the same instant)' }),
  reason: Type.String({ maxLength: 60, description: 'The matter, one of the reasons of reference/<agency>/appointments.json (e.g. document-review)' }),
  contactId: Type.Optional(Type.String({ maxLength: 100, description: 'The call the appointment was booked on' })),
});

export const Booked = Type.Object({
  id: Type.String(), office: Type.String(), start: Instant, end: Instant, receiptNumber: Type.String(), status: Type.Literal('booked'), confirmationNumber: Type.String(),
}, { description: 'Booked; the notice is queued to the applicant\'s e-mail' });

export const AppointmentView = Type.Object({
  id: Type.String(), confirmationNumber: Type.String(), receiptNumber: Type.String(), office: Office, servedBy: Type.String(),
  start: Instant, end: Instant, reason: Type.String(), status: Type.String({ description: 'booked | cancelled' }), lang: Type.String(), contactId: Nullable(Type.String()),
  bookedAt: Type.String(), bookedBy: Type.String(), cancelledAt: Nullable(Type.String()), cancelReason: Nullable(Type.String()),
  rescheduleReferral: Nullable(Type.String({ description: 'The appointment-reschedule service request the last move answered' })),
  rescheduledAt: Nullable(Type.String()), previousStart: Nullable(Instant),
}, { description: 'The appointment' });

export const CancelBody = Type.Object({ reason: Type.String({ maxLength: 2000 }) });
export const RescheduleBody = Type.Object({
  slotStart: Type.String({ maxLength: 40 }),
  referralNumber: Type.String({ maxLength: 40, description: 'The appointment-reschedule service request of the case this move answers' }),
});
