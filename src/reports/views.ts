/** The contact center report's answer shape (CONTRACT.md section 12) and its rows for CSV. */

export interface ContactCenterReport {
  period: { from: string; to: string };
  calls: { total: number; byTier: Record<string, number>; byLanguage: Record<string, number> };
  escalations: { total: number; share: number | null };
  callbacks: { made: number; onTime: number; late: number; missed: number };
  serviceRequests: {
    total: number; byType: Record<string, number>; byOffice: Record<string, number>;
    onTimeShare: number | null; medianBusinessDaysToAnswer: number | null; reopenedShare: number | null;
  };
  repeatCallers: number;
  ombudsman: { caseAssistance: number; callReviews: number };
  feedback: { helpful: number; notHelpful: number; comments: number };
  alerts: { signups: number; confirmed: number; unsubscribed: number; confirmationMessages: number; alertMessages: number };
}

export type CsvRow = [metric: string, dimension: string, value: number | null];

/** The report as `metric,dimension,value` rows: one per figure, one per dimension of a breakdown. */
export function csvRows(r: ContactCenterReport): CsvRow[] {
  const rows: CsvRow[] = [['period.from', r.period.from, null], ['period.to', r.period.to, null]];
  const flat = (metric: string, value: number | null) => rows.push([metric, '', value]);
  const split = (metric: string, by: Record<string, number>) => { for (const [k, v] of Object.entries(by)) rows.push([metric, k, v]); };
  flat('calls.total', r.calls.total);
  split('calls.byTier', r.calls.byTier);
  split('calls.byLanguage', r.calls.byLanguage);
  flat('escalations.total', r.escalations.total);
  flat('escalations.share', r.escalations.share);
  for (const k of ['made', 'onTime', 'late', 'missed'] as const) flat(`callbacks.${k}`, r.callbacks[k]);
  flat('serviceRequests.total', r.serviceRequests.total);
  split('serviceRequests.byType', r.serviceRequests.byType);
  split('serviceRequests.byOffice', r.serviceRequests.byOffice);
  flat('serviceRequests.onTimeShare', r.serviceRequests.onTimeShare);
  flat('serviceRequests.medianBusinessDaysToAnswer', r.serviceRequests.medianBusinessDaysToAnswer);
  flat('serviceRequests.reopenedShare', r.serviceRequests.reopenedShare);
  flat('repeatCallers', r.repeatCallers);
  flat('ombudsman.caseAssistance', r.ombudsman.caseAssistance);
  flat('ombudsman.callReviews', r.ombudsman.callReviews);
  for (const k of ['helpful', 'notHelpful', 'comments'] as const) flat(`feedback.${k}`, r.feedback[k]);
  for (const k of ['signups', 'confirmed', 'unsubscribed', 'confirmationMessages', 'alertMessages'] as const) flat(`alerts.${k}`, r.alerts[k]);
  return rows;
}
