/** The appointment API (issue 9): short pipelines over AppointmentService. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { AppointmentService } from './service.ts';
import { AppointmentView, BookBody, Booked, CancelBody, IdParams, ReceiptParams, RescheduleBody, Slots, SlotsQuery } from './schema.ts';

const TAG = 'Appointments';
const staff = [{ bearer: [] }];

export function appointmentRoutes(app: App, deps: { appointments: AppointmentService }): void {
  const ap = deps.appointments;

  app.get('/api/v1/cases/:receiptNumber/appointment-slots', {
    schema: {
      tags: [TAG], operationId: 'listAppointmentSlots', security: staff,
      summary: 'Free in-person appointment slots at the field office serving the case (Tier 2; supervisors may read)',
      description: 'The office is the case\'s field office when the case names one, else the one for the applicant\'s state, else the default (`servedBy` says which). '
        + 'Times are in the office\'s zone, with its offset; federal holidays and the office\'s closures have no slots. Default range: today and the next 13 days.',
      params: ReceiptParams, querystring: SlotsQuery,
      response: { 200: Slots, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => ap.slots(await request.actor(), request.params.receiptNumber, request.query, request.id));

  app.post('/api/v1/cases/:receiptNumber/appointments', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'bookAppointment', security: staff,
      summary: 'Book an in-person appointment at the serving field office (Tier 2)',
      description: 'A slot with no seat left answers 409 (`reason: slot-full`); a case with a booked future appointment answers 409 with `existing`. '
        + 'The notice (date, time, address, what to bring, confirmation number, how to reschedule) is queued to the applicant\'s e-mail in the same transaction.',
      params: ReceiptParams, body: BookBody,
      response: { 201: Booked, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    const lang = request.headers['accept-language']?.trim().toLowerCase().startsWith('es') ? 'es' : 'en';
    const answer = await ap.book(actor, { ...request.body, receiptNumber: request.params.receiptNumber }, idempotentRequest(request, actor), { lang, traceId: request.id });
    return sendIdempotentAnswer(reply, answer);
  });

  app.get('/api/v1/appointments/:id', {
    schema: {
      tags: [TAG], operationId: 'getAppointment', security: staff,
      summary: 'One appointment (Tier 2, supervisors, office staff of its field office)',
      params: IdParams, response: { 200: AppointmentView, ...problems(401, 403, 404) },
    },
  }, async (request) => ap.get(await request.actor(), request.params.id, request.id));

  app.post('/api/v1/appointments/:id/cancel', {
    schema: {
      tags: [TAG], operationId: 'cancelAppointment', security: staff,
      summary: 'Cancel a booked appointment, with a reason (Tier 2)',
      params: IdParams, body: CancelBody, response: { 200: AppointmentView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => ap.cancel(await request.actor(), request.params.id, request.body.reason, request.id));

  app.post('/api/v1/appointments/:id/reschedule', {
    schema: {
      tags: [TAG], operationId: 'rescheduleAppointment', security: staff,
      summary: 'Move an appointment, answering an appointment-reschedule service request (office staff of its field office, Tier 2)',
      description: 'The person asks through an `appointment-reschedule` service request (CONTRACT.md section 10); its referral number is recorded on the appointment.',
      params: IdParams, body: RescheduleBody, response: { 200: AppointmentView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => ap.reschedule(await request.actor(), request.params.id, request.body, request.id));
}
