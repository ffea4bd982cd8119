/**
 * Demo status-change alerts for SEED=demo, made through the real service (its checks, limits, outbox messages and
 * audit entries): three people who signed up and confirmed (by e-mail in English and Spanish, and by text), and one
 * who signed up and never followed the confirmation link, on demo cases. The outbox (/staff/outbox) then holds
 * their confirmation messages, and the next change of those cases through the feed sends the confirmed three an
 * alert each, and the fourth none.
 */
import type { Actor } from '../platform/actor.ts';
import type { AlertService } from './service.ts';

const PUBLIC: Actor = { kind: 'anonymous' };
/** The demo sign-ups come from one documentation address (RFC 5737), as a browser's would. */
const FROM = { clientAddress: '192.0.2.10' };

export interface DemoAlertsResult { confirmed: number; pending: number; receipts: string[] }

export async function seedDemoAlerts(alerts: AlertService, receipts: readonly string[]): Promise<DemoAlertsResult> {
  const [a, b, c, d] = receipts;
  const result: DemoAlertsResult = { confirmed: 0, pending: 0, receipts: [] };
  if (!a || !b || !c || !d) return result;
  const confirmed = [
    { receiptNumber: a, email: 'maria.lopez@example.org', language: 'en' },
    { receiptNumber: b, email: 'jose.garcia@example.org', language: 'es' },
    { receiptNumber: c, phone: '+1 202 555 0148', language: 'es' },
  ];
  for (const input of confirmed) {
    if ((await alerts.subscribeConfirmed(PUBLIC, input, FROM))?.state === 'confirmed') result.confirmed++;
  }
  await alerts.signUp(PUBLIC, { receiptNumber: d, email: 'wei.zhang@example.org', language: 'en' }, FROM);
  result.pending++;
  result.receipts = [a, b, c, d];
  return result;
}
