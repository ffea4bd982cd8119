/** `switchboard serve` (what `npm start` runs): migrate, load the demo on an empty database, listen, stop cleanly. */
import type { Config } from './platform/config.ts';
import { createDeps, type Deps } from './wiring.ts';
import { buildApp } from './app.ts';
import { DEMO_PASSWORD, seedDemoStaff, seedDemoCases } from './demo.ts';
import { formatRate, formatSamples } from './cases/seed/run.ts';
import { seedDemoProcessingTimes } from './processing-times/seed.ts';
import { seedDemoBulletins } from './visa-bulletin/seed.ts';
import { withDatabaseLock } from './platform/db/lock.ts';
import { SWEEP_INTERVAL_MS } from './service-requests/policy.ts';
import { PURGE_INTERVAL_MS } from './retention/policy.ts';
import { ROLLUP_REFRESH_MS } from './reports/policy.ts';
import { seedDemoServiceRequests, type DemoActors } from './service-requests/seed.ts';
import { seedDemoContacts } from './contacts/seed.ts';
import { seedDemoTelephony } from './telephony/seed.ts';
import { seedDemoScriptUse } from './scripts/seed.ts';
import { seedDemoAppointments } from './appointments/seed.ts';
import { seedDemoCaseAssistance } from './ombudsman/seed.ts';
import { seedDemoCallReviews } from './call-reviews/seed.ts';
import { seedDemoFeedback } from './feedback/seed.ts';
import { seedDemoAlerts } from './alerts/seed.ts';
import type { Sample } from './cases/seed/samples.ts';
import type { StaffUser } from './platform/actor.ts';

export async function serve(config: Config, out: NodeJS.WritableStream = process.stdout): Promise<() => Promise<void>> {
  const deps = await createDeps(config);
  // Instances started together on one empty PostgreSQL database load the demo once: the first takes the
  // lock and loads it; the others wait, then find the database no longer empty.
  if (config.seed === 'demo') await withDatabaseLock(deps.database, 'demo', () => loadDemo(deps, out));
  const app = await buildApp(deps);
  const address = await app.listen({ port: config.port, host: config.host });
  out.write(`Switchboard is serving ${address.replace('127.0.0.1', 'localhost')} (database: ${deps.database.location})\n`);
  out.write(`Sign in at ${address.replace('127.0.0.1', 'localhost')}/sign-in\n`);

  // Housekeeping: expired sessions, tokens, old sign-in failures, rate-limit windows and idempotency keys, every ten minutes on each instance.
  const prune = () => Promise.all([deps.staff.pruneExpired(), deps.clients.pruneExpired(), deps.limiter.prune(), deps.idempotency.prune()]).catch((err: Error) => app.log.warn({ errName: err.name }, 'housekeeping failed'));
  void prune();
  const timer = setInterval(prune, 10 * 60_000).unref();

  // Outgoing mail: every instance delivers due outbox messages (a claim in the database decides who sends which).
  // Without SMTP_URL there is no worker and mail stays pending, readable by admins at /staff/outbox.
  const mailer = deps.outboxWorker?.withLog(app.log) ?? null;
  mailer?.start();
  // Webhooks out: every instance posts due webhook deliveries of the outbox (same claims); they need no configuration.
  const hooks = deps.webhookWorker.withLog(app.log);
  hooks.start();

  // Service-request deadlines: every instance sweeps each minute; the database decides which sweep marks each
  // overdue request (a conditional UPDATE), so each is marked once however many instances run (ADR 0011).
  const sweepTimer = periodically(app.log, 'service-request sweep', SWEEP_INTERVAL_MS, async () => {
    const r = await deps.serviceRequests.sweep();
    if (r.overdue || r.closed) app.log.info(r, 'service-request deadlines swept');
  });

  // Retention: every instance purges daily; each batch is a conditional DELETE only one instance wins, so each
  // record is removed and audited once however many instances run (ADR 0013). Records under a hold stay.
  const purgeTimer = periodically(app.log, 'retention purge', PURGE_INTERVAL_MS, async () => {
    const r = await deps.retention.purge();
    const removed = Object.fromEntries(r.kinds.filter((k) => k.removed).map((k) => [k.kind, k.removed]));
    if (Object.keys(removed).length) app.log.info({ removed }, 'retention purge');
  });

  // Report rollups: every instance sums the hours marked changed each minute, so a report rarely has any left to
  // sum itself; the sums are serialised by a lock in the database (ADR 0014).
  const rollupTimer = periodically(app.log, 'report rollup refresh', ROLLUP_REFRESH_MS, async () => { await deps.reports.refresh(); }, { now: false });

  const stop = async () => {
    clearInterval(rollupTimer);
    clearInterval(timer);
    clearInterval(sweepTimer);
    clearInterval(purgeTimer);
    await mailer?.stop();
    await hooks.stop();
    await app.close();
    await deps.database.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
  return stop;
}

/**
 * Runs `job` on this instance now (unless `now: false`) and every `ms` after, never two runs at once; a failure is
 * logged with its name and the next run tries again. The timer does not keep the process alive.
 */
function periodically(log: { warn(o: object, msg: string): void }, name: string, ms: number, job: () => Promise<void>, options: { now?: boolean } = {}): NodeJS.Timeout {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    job().catch((err: Error) => log.warn({ errName: err.name }, `${name} failed`)).finally(() => { running = false; });
  };
  if (options.now !== false) run();
  return setInterval(run, ms).unref();
}

/** The demo (SEED=demo): staff of every role, then cases and reference data, each only on an empty database. */
async function loadDemo(deps: Deps, out: NodeJS.WritableStream): Promise<void> {
  const created = await seedDemoStaff(deps.staff);
  if (created.length) {
    out.write(`\nDemo staff accounts (password for each: ${DEMO_PASSWORD}):\n`);
    for (const u of created) out.write(`  ${u.role.padEnd(10)} ${u.email.padEnd(36)} agent ID ${u.agentId}${u.office ? `  office ${u.office}` : ''}\n`);
    out.write('\n');
  }
  const cases = await seedDemoCases(deps.feed, deps.database.db, deps.agency.timeZone, (m) => out.write(m));
  if (cases) {
    // Reference data to go with the demo cases: a few published processing times and two visa bulletins. Loaded
    // before the receipt numbers are printed, so what the list says is what the pages will say.
    const published = await seedDemoProcessingTimes(deps.processingTimes);
    const bulletins = await seedDemoBulletins(deps.visaBulletins);
    out.write(`Demo cases loaded: ${formatRate(cases.accepted, cases.seconds)}. Receipt numbers to try:\n`);
    out.write(`${formatSamples(await withTodaysFigures(deps, cases.samples), deps.agency.statuses).join('\n')}\n\n`);
    out.write(`Demo reference data: ${published} published processing times; visa bulletins ${bulletins.join(' and ') || 'already published'}.\n\n`);
  }
  const actors = demoActors(created);
  if (cases && actors) {
    const r = await seedDemoServiceRequests(deps.database.db, deps.serviceRequests, actors);
    out.write(`Demo service requests: ${r.created} in ${r.offices} offices (${r.claimed} claimed, ${r.answered} answered, ${r.reopened} reopened, ${r.overdue} overdue, ${r.closed} closed).\n`);
    out.write('  Office queue: sign in as office@demo.switchboard.test (VSC) and open /staff/queue; overdue work: supervisor@demo.switchboard.test at /staff/overdue.\n\n');
    const byEmail = (email: string) => created.find((u) => u.email === email);
    const tier2es = byEmail('tier2.es@demo.switchboard.test');
    if (tier2es) {
      const c = await seedDemoContacts(deps.database.db, deps, { tier1: actors.tier1, tier1b: byEmail('tier1.es@demo.switchboard.test'), tier2: actors.tier2, tier2es });
      out.write(`Demo calls: ${c.calls} (${c.byTier.tier1} at Tier 1, ${c.byTier.tier2} at Tier 2; ${c.open} open now, ${c.transfers} transferred live), ${c.serviceRequests} service requests made on calls; callbacks ${c.callbacks.due} due, ${c.callbacks.overdue} overdue, ${c.callbacks.missed} missed, ${c.callbacks.done} done.\n`);
      out.write('  Live view: supervisor@demo.switchboard.test at /supervisor; callbacks: tier2@demo.switchboard.test (English) or tier2.es@demo.switchboard.test (Spanish, military).\n\n');
      const phone = await seedDemoTelephony(deps.database.db, deps.telephony);
      out.write(`Demo calls through the phone menu: ${phone.recorded} contact records from the platform. Play one at /staff/call-simulator (signed in as staff)${deps.config.twilioAuthToken ? '' : '; the voice webhooks are off without TWILIO_AUTH_TOKEN, so the simulator runs the menu in practice mode'}.\n\n`);
      const scriptUse = await seedDemoScriptUse(deps, [actors.tier1, byEmail('tier1.es@demo.switchboard.test')]);
      out.write(`Demo scripts: ${scriptUse.used} used on open calls; search them on any call's screen, or publicly at /ask.\n\n`);
      const ombudsman = byEmail('ombudsman@demo.switchboard.test');
      const vsc = actors.offices.VSC;
      if (ombudsman && vsc) {
        const ca = await seedDemoCaseAssistance(deps.database.db, { caseAssistance: deps.caseAssistance, ombudsmanAgency: deps.ombudsmanAgency, timeZone: deps.agency.timeZone }, { analyst: ombudsman, office: vsc });
        const reviews = await seedDemoCallReviews(deps.callReviews, ombudsman, { tier1: actors.tier1, tier2: actors.tier2 });
        out.write(`Demo Ombudsman work: ${ca.created} case assistance requests (${ca.byStatus.received} received, ${ca.byStatus['in-review']} in review, ${ca.byStatus['agency-asked']} agency asked, ${ca.byStatus.answered} answered, ${ca.byStatus.closed} closed); ${reviews.open + reviews.closed} call reviews (${reviews.open} open, ${reviews.closed} closed).\n`);
        out.write('  Desk: ombudsman@demo.switchboard.test at /ombudsman/desk; the office\'s questions: office@demo.switchboard.test at /office/ombudsman-requests.\n\n');
      }
    }
    const feedback = await seedDemoFeedback(deps.feedback);
    out.write(`Demo feedback: ${feedback.answers} answers (${feedback.helpful} helpful, ${feedback.notHelpful} not, ${feedback.contactCenterComments} comments about the Contact Center) at /staff/feedback; the report: /reports/contact-center.\n\n`);
    const subscribed = await seedDemoAlerts(deps.alerts, cases.samples.map((x) => x.receiptNumber));
    out.write(`Demo status alerts: ${subscribed.confirmed} confirmed and ${subscribed.pending} not confirmed, on ${subscribed.receipts.join(', ')}; their confirmation messages are at /staff/outbox (admin@demo.switchboard.test).\n\n`);
    const booked = await seedDemoAppointments(deps.database.db, deps.appointments, actors.tier2);
    out.write(`Demo appointments: ${booked.booked} booked at ${booked.offices} field offices (tier2@demo.switchboard.test opens them from a verified case on a call).\n\n`);
  }
}

/** The demo accounts the request seed acts as, from the accounts just created (null when they already existed). */
function demoActors(created: ReadonlyArray<StaffUser>): DemoActors | null {
  const byRole = (role: string) => created.find((u) => u.role === role);
  const tier1 = byRole('tier1');
  const tier2 = byRole('tier2');
  const supervisor = byRole('supervisor');
  if (!tier1 || !tier2 || !supervisor) return null;
  const offices = Object.fromEntries(created.filter((u) => u.role === 'office' && u.office).map((u) => [u.office!, u]));
  return { tier1, tier2, supervisor, offices };
}

/**
 * The start-up list's "outside normal processing time" line, worked out again now that the demo's published
 * times are loaded: the seed computed it from the cases alone, and a published figure takes precedence.
 */
async function withTodaysFigures(deps: Deps, samples: readonly Sample[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const s of samples) {
    if (!s.why.startsWith('outside')) {
      out.push(s);
      continue;
    }
    const inquiry = await deps.processingTimes.inquiryByReceipt(s.receiptNumber);
    const days = Math.round((Date.parse(`${deps.processingTimes.today()}T00:00:00Z`) - Date.parse(`${inquiry.receivedDate}T00:00:00Z`)) / 86_400_000);
    const figure = `80% decided within ${inquiry.processingTime.months80} months, ${inquiry.processingTime.basis}`;
    out.push({ ...s, why: inquiry.outsideNormalProcessingTime ? `outside normal processing time (${days} days; ${figure})` : `within normal processing time (${days} days; ${figure})` });
  }
  return out;
}
