/** TypeBox schemas of the contact center report (CONTRACT.md section 12). */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const Counts = (description: string) => Type.Record(Type.String(), Count, { description });
const Share = (description: string) => Nullable(Type.Number({ minimum: 0, maximum: 1, description: `${description}; null when there is nothing to divide by` }));

export const ReportQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD in the agency\'s time zone (default: the start of the fiscal year `to` falls in)' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day, included, YYYY-MM-DD (default: today)' })),
  fiscalYear: Type.Optional(Type.String({ maxLength: 4, description: 'A federal fiscal year instead of from/to: 2026 = 2025-10-01 to 2026-09-30' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: '`csv`: text/csv with `metric,dimension,value` rows' })),
});

export const Report = Type.Object({
  period: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
  calls: Type.Object({ total: Count, byTier: Counts('Contacts by tier (tier1, tier2; unknown when a record has none)'), byLanguage: Counts('Contacts by language (en, es)') }),
  escalations: Type.Object({ total: Count, share: Share('Escalations / calls') }),
  callbacks: Type.Object({ made: Count, onTime: Count, late: Count, missed: Count }),
  serviceRequests: Type.Object({
    total: Count, byType: Counts('Service requests by type'), byOffice: Counts('Service requests by the office holding them now'),
    onTimeShare: Share('Answered on or before the due date, among the answered'),
    medianBusinessDaysToAnswer: Nullable(Type.Number({ minimum: 0, description: 'Median business days from creation to answer, in the holding office\'s calendar; null when none answered' })),
    reopenedShare: Share('Reopened at least once, among those created'),
  }),
  repeatCallers: Count,
  ombudsman: Type.Object({ caseAssistance: Count, callReviews: Count }),
  feedback: Type.Object({ helpful: Count, notHelpful: Count, comments: Count }),
  alerts: Type.Object({ signups: Count, confirmed: Count, unsubscribed: Count, confirmationMessages: Count, alertMessages: Count }),
}, { additionalProperties: false });

export const REPORT_DESCRIPTION = [
  'The contact center report for a period of days in the agency\'s time zone (America/New_York), `to` included. Without `from`/`to` or `fiscalYear`: the current federal fiscal year to date. Definitions:',
  '- `calls`: contacts started in the period, from every source (desk, telephony platform records, callbacks that reached the caller), by tier and language.',
  '- `escalations`: escalations to Tier 2 asked for in the period (live transfers and callbacks); `share` = escalations / calls.',
  '- `callbacks`: `made` = callbacks asked for in the period; `onTime` = done with the reaching attempt at or before `dueAt`; `late` = done after `dueAt`, or still open past `dueAt` now; `missed` = closed as missed (two failed attempts).',
  '- `serviceRequests`: created in the period; `byOffice` by the office holding each now; `onTimeShare` = answered on or before the due date (in the holding office\'s time zone) among the answered (answered or closed; a reopened one counts again when answered again); `medianBusinessDaysToAnswer` = the median of the business days after the creation date up to the answer date, in the holding office\'s calendar (weekends and federal holidays excluded; answered the day it was made = 0); `reopenedShare` = reopened at least once, among those created.',
  '- `repeatCallers`: caller phone numbers with more than one call in the period linked to the same case.',
  '- `ombudsman`: case assistance requests (DHS Form 7001) and call reviews made in the period.',
  '- `feedback`: "Was this page helpful?" answers in the period: `helpful` = yes, `notHelpful` = no, `comments` = answers with a non-empty comment.',
  '- `alerts`: status-change alerts (CONTRACT.md section 6a): `signups` = subscriptions made in the period (a repeated sign-up counts once), `confirmed` and `unsubscribed` = confirmations and unsubscriptions in the period, `confirmationMessages` and `alertMessages` = messages queued in the period (e-mail and text; texts are queued, not delivered).',
  'Shares are fractions from 0 to 1 with 4 decimals, null when there is nothing to divide by. `?format=csv` answers the same figures as `text/csv` rows `metric,dimension,value` (RFC 4180; a cell that could start a spreadsheet formula is prefixed with a single quote).',
].join('\n');
