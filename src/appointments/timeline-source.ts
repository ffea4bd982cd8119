/** A case's appointments as entries of its timeline (CaseDetailsService's `timelineSources`, added in the wiring). */
import type { TimelineEntry, TimelineSource } from '../case-details/views.ts';
import { localDate } from './checks.ts';
import type { AppointmentService } from './service.ts';

/** kind `appointment`, ref the confirmation number, dated by the day it was booked (the agency's zone). */
export function appointmentTimeline(appointments: AppointmentService, timeZone: string): TimelineSource {
  return async (receiptNumber) => (await appointments.ofCase(receiptNumber)).map((a): TimelineEntry => {
    return {
      date: localDate(a.booked_at, timeZone), at: a.booked_at, kind: 'appointment', ref: a.confirmation_number,
      detail: {
        appointmentId: a.id, office: a.office, start: a.slot_start, timeZone: appointments.policy.offices.get(a.office)?.timeZone ?? timeZone,
        status: a.status, rescheduleReferral: a.reschedule_referral,
      },
    };
  });
}
