/**
 * The `switchboard` command line (CONTRACT.md section 2). Exit codes: 0 done, 1 failed, 2 bad arguments.
 * Every command honours DATA_DIR and DATABASE_URL.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { createDeps, type Deps } from '../wiring.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { serve } from '../server.ts';
import { readSecretInput } from './input.ts';
import fs from 'node:fs';
import { isIsoDate, todayIn } from '../domain/calendar.ts';
import { byteLimit, ndjsonRecords } from '../cases/feed-stream.ts';
import { DEFAULT_RANDOM_SEED, MAX_SEED_CASES, formatRate, formatSamples, seedCases } from '../cases/seed/run.ts';
import { bulkSeedCases } from '../cases/seed/bulk.ts';
import { regenerateFacts, type CaseFacts } from '../cases/seed/bulk-rows.ts';
import { seedContactYear } from '../cases/seed/contacts.ts';
import { feedVocabulary } from '../cases/feed-record.ts';
import { countCases } from '../cases/store.ts';
import { loadServiceRequestRules } from '../service-requests/policy.ts';
import { DEMO_CASES } from '../demo.ts';
import { progressBar } from './progress.ts';
import type { PurgeReport } from '../retention/service.ts';

export class UsageError extends Error {}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

interface Command {
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, config: Config, io: Io): Promise<number>;
}

const CLI = { kind: 'cli' } as const;

async function withDeps<T>(config: Config, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = await createDeps(config);
  try {
    return await fn(deps);
  } finally {
    await deps.database.close();
  }
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function wholeNumber(name: string, v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) throw new UsageError(`--${name} must be a whole number (0 means unlimited)`);
  return Number(v);
}

const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'switchboard serve', summary: 'Serve the web application (what npm start runs)',
    run: async (_a, config) => {
      await serve(config);
      return new Promise<number>(() => {}); // runs until a signal stops it
    },
  },
  migrate: {
    usage: 'switchboard migrate', summary: 'Apply pending database migrations and exit',
    run: async (_a, config, io) => {
      const handle = openDatabase(config);
      try {
        const applied = await migrateToLatest(handle);
        io.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date.\n');
      } finally {
        await handle.close();
      }
      return 0;
    },
  },
  'user add': {
    usage: 'switchboard user add --email E --name N --role ROLE [--office CODE] [--skills en,es,military]  (password on standard input; empty input generates one)',
    summary: 'Create a staff account',
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, office: { type: 'string' }, skills: { type: 'string' } },
    run: async ({ values }, config, io) => {
      for (const k of ['email', 'name', 'role']) if (!str(values[k])) throw new UsageError(`--${k} is required`);
      const skills = values.skills === undefined ? undefined : skillList(values.skills);
      const password = await readSecretInput(io, 'Password (at least 12 characters; leave empty to generate one): ');
      return withDeps(config, async (deps) => {
        const u = await deps.staff.addUser({ email: str(values.email)!, name: str(values.name)!, role: str(values.role)!, office: str(values.office), password: password || undefined, skills }, CLI);
        const out: Record<string, unknown> = { id: u.id, email: u.email, role: u.role, office: u.office, agentId: u.agentId };
        if (u.password) out.password = u.password;
        io.stdout.write(`${JSON.stringify(out)}\n`);
        return 0;
      });
    },
  },
  'user disable': {
    usage: 'switchboard user disable EMAIL', summary: 'Disable a staff account (takes effect on its next request)',
    run: async ({ positionals }, config, io) => {
      if (positionals.length !== 1) throw new UsageError('give exactly one e-mail address');
      return withDeps(config, async (deps) => {
        const u = await deps.staff.disableUser(positionals[0]!, CLI);
        io.stdout.write(`${JSON.stringify({ id: u.id, email: u.email, disabled: true })}\n`);
        return 0;
      });
    },
  },
  'user set-role': {
    usage: 'switchboard user set-role EMAIL ROLE [--office CODE]', summary: "Change a staff account's role (takes effect on its next request)",
    options: { office: { type: 'string' } },
    run: async ({ values, positionals }, config, io) => {
      if (positionals.length !== 2) throw new UsageError('give an e-mail address and a role');
      return withDeps(config, async (deps) => {
        const u = await deps.staff.setRole(positionals[0]!, positionals[1]!, str(values.office), CLI);
        io.stdout.write(`${JSON.stringify({ id: u.id, email: u.email, role: u.role, office: u.office, agentId: u.agentId })}\n`);
        return 0;
      });
    },
  },
  'user set-skills': {
    usage: 'switchboard user set-skills EMAIL SKILLS  (SKILLS: a comma-separated list of en, es, military, e.g. en,es,military)',
    summary: "Set a staff account's skills: the languages and military help a Tier 2 officer takes callbacks and transfers for",
    run: async ({ positionals }, config, io) => {
      if (positionals.length !== 2) throw new UsageError('give an e-mail address and the skills');
      const skills = skillList(positionals[1]);
      return withDeps(config, async (deps) => {
        const u = await deps.staff.setSkills(positionals[0]!, skills, CLI);
        io.stdout.write(`${JSON.stringify({ id: u.id, email: u.email, role: u.role, agentId: u.agentId, skills: u.skills })}\n`);
        return 0;
      });
    },
  },
  'client add': {
    usage: 'switchboard client add --name N --scopes S[,S] [--per-second N] [--per-day N]',
    summary: 'Create an API client (OAuth 2.0 client credentials); prints its secret once',
    options: { name: { type: 'string' }, scopes: { type: 'string' }, 'per-second': { type: 'string' }, 'per-day': { type: 'string' } },
    run: async ({ values }, config, io) => {
      if (!str(values.name)) throw new UsageError('--name is required');
      if (!str(values.scopes)) throw new UsageError('--scopes is required (case-status, case-feed, contact-feed, reference-data)');
      const perSecond = wholeNumber('per-second', values['per-second']);
      const perDay = wholeNumber('per-day', values['per-day']);
      return withDeps(config, async (deps) => {
        const c = await deps.clients.addClient({ name: str(values.name)!, scopes: str(values.scopes)!.split(','), perSecond, perDay }, CLI);
        io.stdout.write(`${JSON.stringify(c)}\n`);
        return 0;
      });
    },
  },
  'audit verify': {
    usage: 'switchboard audit verify', summary: 'Check the audit trail end to end; names the first bad entry',
    run: async (_a, config, io) => withDeps(config, async (deps) => {
      const r = await deps.audit.verify();
      if (r.ok) {
        io.stdout.write(`Audit trail intact: ${r.entries} entries checked.\n`);
        return 0;
      }
      io.stderr.write(`Audit trail broken at ${r.fault.message}\n(${r.entries} entries before it checked out)\n`);
      return 1;
    }),
  },
  purge: {
    usage: 'switchboard purge [--dry-run]  (--dry-run: show what would be removed, by kind, and remove nothing)',
    summary: 'Remove the records past their retention rule (admins change them at /admin/retention; defaults: reference/<agency>/retention.json); held records stay',
    options: { 'dry-run': { type: 'boolean' } },
    run: async ({ values, positionals }, config, io) => {
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return withDeps(config, async (deps) => {
        const dryRun = values['dry-run'] === true;
        const report = dryRun ? await deps.retention.plan() : await deps.retention.purge();
        io.stdout.write(`${purgeTable(report, config.agency).join('\n')}\n`);
        return 0;
      });
    },
  },
  'status-documents rerender': {
    usage: 'switchboard status-documents rerender  (after a change of the status vocabulary, form titles or office names in the agency reference data)',
    summary: "Render every case's prepared public status document again with the current reference data, writing those that change",
    run: async ({ positionals }, config, io) => {
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return withDeps(config, async (deps) => {
        const started = performance.now();
        let bar: ReturnType<typeof progressBar> | undefined;
        const r = await deps.caseStatus.rerender(CLI, (done, total) => {
          bar ??= progressBar(io.stderr, { label: 'Rendering status documents', total, unit: 'records' });
          bar.update(done);
        }).finally(() => bar?.stop());
        io.stdout.write(`Read ${r.read.toLocaleString('en-US')} cases, rewrote ${r.rewritten.toLocaleString('en-US')} status documents (version ${deps.caseStatus.version}) in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
        return 0;
      });
    },
  },
  'reports rebuild': {
    usage: 'switchboard reports rebuild  (after a bulk load, or to repair: sums every hour again)',
    summary: "Rebuild the contact center report's hourly rollups from the rows themselves",
    run: async ({ positionals }, config, io) => {
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return withDeps(config, async (deps) => {
        const started = performance.now();
        let bar: ReturnType<typeof progressBar> | undefined;
        const hours = await deps.reports.rebuild((done, total) => {
          bar ??= progressBar(io.stderr, { label: 'Summing hours', total, unit: 'records' });
          bar.update(done);
        }).finally(() => bar?.stop());
        io.stdout.write(`Summed ${hours.toLocaleString('en-US')} hours in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
        return 0;
      });
    },
  },
  seed: {
    usage: `switchboard seed [--cases N] [--contacts N] [--bulk] [--random-seed S] [--today YYYY-MM-DD]  (N up to ${MAX_SEED_CASES.toLocaleString('en-US')}, default ${DEMO_CASES.toLocaleString('en-US')}; S a whole number, default ${DEFAULT_RANDOM_SEED}; into a database with no cases, or with --bulk, rows are built directly)`,
    summary: 'Load deterministic synthetic cases, and with --contacts a year of contact center activity (the same seed and day give the same data)',
    options: { cases: { type: 'string' }, contacts: { type: 'string' }, bulk: { type: 'boolean' }, 'random-seed': { type: 'string' }, today: { type: 'string' } },
    run: async ({ values, positionals }, config, io) => {
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const cases = countOption('cases', values.cases, MAX_SEED_CASES) ?? DEMO_CASES;
      const contacts = countOption('contacts', values.contacts, Number.MAX_SAFE_INTEGER);
      const randomSeed = countOption('random-seed', values['random-seed'], 0xffff_ffff) ?? DEFAULT_RANDOM_SEED;
      const today = str(values.today);
      if (values.today !== undefined && (!today || !isIsoDate(today))) throw new UsageError('--today must be a date (YYYY-MM-DD)');
      return withDeps(config, async (deps) => {
        const day = today ?? todayIn(deps.agency.timeZone);
        const offices = deps.agency.offices.map((o) => o.code);
        const bulk = values.bulk === true || (await countCases(deps.database.db)) === 0;
        let facts: CaseFacts | null = null;
        const bar = progressBar(io.stderr, { label: bulk ? 'Seeding cases (bulk)' : 'Seeding cases', total: cases, unit: 'records' });
        if (bulk) {
          const r = await bulkSeedCases(deps.database, deps.audit, feedVocabulary(deps.agency), offices, { cases, randomSeed, today: day, onProgress: (n) => bar.update(n) }, CLI).finally(() => bar.stop());
          if (r.rejected.length) {
            for (const x of r.rejected.slice(0, 20)) io.stderr.write(`record ${x.line}: ${x.code}: ${x.detail}\n`);
            io.stderr.write('Nothing was loaded: the generator and the feed disagree (a defect).\n');
            return 1;
          }
          io.stdout.write(`Seeded ${formatRate(r.accepted, r.seconds)}; ${r.accepted.toLocaleString('en-US')} new or changed (random seed ${randomSeed}, today ${day}); built directly, indexes re-created after the load: ${r.indexes.join(', ') || 'none'} (${r.indexSeconds.toFixed(1)} s).\n`);
          for (const n of r.notes) io.stdout.write(`${n}\n`);
          if (r.samples.length) io.stdout.write(`Receipt numbers to try:\n${formatSamples(r.samples, deps.agency.statuses).join('\n')}\n`);
          facts = r.facts;
        } else {
          const r = await seedCases(deps.feed, { cases, randomSeed, today: day, onProgress: (n) => bar.update(n) }, CLI).finally(() => bar.stop());
          io.stdout.write(`Seeded ${formatRate(r.accepted, r.seconds)}; ${r.changed.toLocaleString('en-US')} new or changed (random seed ${randomSeed}, today ${day}).\n`);
          if (r.rejected.length) {
            // The generator and the feed disagree: a defect, not bad input.
            for (const x of r.rejected.slice(0, 20)) io.stderr.write(`record ${x.line}: ${x.code}: ${x.detail}\n`);
            return 1;
          }
          if (r.samples.length) io.stdout.write(`Receipt numbers to try:\n${formatSamples(r.samples, deps.agency.statuses).join('\n')}\n`);
        }
        if (contacts !== undefined) {
          // The i-th case's receipt number, office and phone come from the generator, never from the database.
          facts ??= regenerateFacts(randomSeed, day, cases, offices);
          const cbar = progressBar(io.stderr, { label: 'Seeding contacts', total: contacts, unit: 'records' });
          const c = await seedContactYear(deps.database, deps.audit, loadServiceRequestRules(config.agency, deps.agency), facts,
            { contacts, randomSeed, today: day, timeZone: deps.agency.timeZone, onProgress: (n) => cbar.update(n) }, CLI).finally(() => cbar.stop());
          const total = Object.values(c.tables).reduce((x, y) => x + y, 0);
          io.stdout.write(`Seeded a year of contact center activity to ${day} in ${c.seconds.toFixed(1)} s (${Math.round(total / Math.max(c.seconds, 0.001)).toLocaleString('en-US')} rows a second):\n`);
          for (const [table, n] of Object.entries(c.tables)) io.stdout.write(`  ${table.padEnd(26)} ${n.toLocaleString('en-US').padStart(12)}\n`);
          io.stdout.write(`Indexes re-created after the load: ${c.indexes.length}; triggers re-created: ${c.triggers.length}.\n`);
          for (const n of c.notes) io.stdout.write(`${n}\n`);
          // The load dropped the report's triggers: sum every hour of the contact center report once now (ADR 0014).
          const rstarted = performance.now();
          let rbar: ReturnType<typeof progressBar> | undefined;
          const hours = await deps.reports.rebuild((done, all) => {
            rbar ??= progressBar(io.stderr, { label: 'Summing the report', total: all, unit: 'records' });
            rbar.update(done);
          }).finally(() => rbar?.stop());
          io.stdout.write(`The contact center report's rollups: ${hours.toLocaleString('en-US')} hours summed in ${((performance.now() - rstarted) / 1000).toFixed(1)} s.\n`);
        }
        return 0;
      });
    },
  },
  'import cases': {
    usage: 'switchboard import cases FILE  (NDJSON: one case record a line, CONTRACT.md section 5)',
    summary: 'Load a case feed file; names each rejected line; exits 3 when some were rejected',
    run: async ({ positionals }, config, io) => {
      if (positionals.length !== 1) throw new UsageError('give exactly one file');
      const file = positionals[0]!;
      let handle: fs.promises.FileHandle;
      let size: number;
      try {
        handle = await fs.promises.open(file, 'r');
        const stat = await handle.stat();
        if (stat.isDirectory()) {
          await handle.close();
          throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
        }
        // A pipe (`<(gunzip -c feed.ndjson.gz)`) works too; its size is unknown, so it gets no bar.
        size = stat.isFile() ? stat.size : 0;
      } catch (err) {
        io.stderr.write(`switchboard import cases: cannot read ${file}: ${readError(err)}\n`);
        return 1;
      }
      return withDeps(config, async (deps) => {
        const started = performance.now();
        const input = handle.createReadStream(); // closes the file when it ends or is destroyed
        const bar = progressBar(io.stderr, { label: 'Importing cases', total: size, unit: 'bytes' });
        // The file is read as a stream, line by line: a feed of any size needs only a batch in memory.
        const counted = input.pipe(byteLimit(Number.POSITIVE_INFINITY, (n) => bar.update(n)));
        input.on('error', (e) => counted.destroy(e));
        let r: Awaited<ReturnType<typeof deps.feed.import>>;
        try {
          r = await deps.feed.import(ndjsonRecords(counted), CLI, { batchSize: 2000 });
        } catch (err) {
          if (!(err as { code?: string }).code?.startsWith('E')) throw err;
          bar.stop();
          io.stderr.write(`switchboard import cases: reading ${file} failed part way (${readError(err)}); the lines before it were loaded\n`);
          return 1;
        } finally {
          bar.stop();
          input.destroy();
        }
        for (const x of r.rejected) io.stderr.write(`line ${x.line}: ${x.code}: ${x.detail}${x.receiptNumber ? ` (${x.receiptNumber})` : ''}\n`);
        const unlisted = r.rejectedTotal - r.rejected.length;
        if (unlisted > 0) io.stderr.write(`… and ${unlisted.toLocaleString('en-US')} more rejected lines not listed (only the first ${r.rejected.length.toLocaleString('en-US')} are)\n`);
        const seconds = (performance.now() - started) / 1000;
        io.stdout.write(`Imported ${file}: accepted ${r.accepted}, changed ${r.changed}, rejected ${r.rejectedTotal} (${seconds.toFixed(1)} s)\n`);
        return r.rejectedTotal > 0 ? 3 : 0;
      }).finally(() => handle.close().catch(() => {}));
    },
  },
};

/** A purge's (or a dry run's) report as a table by kind, numbers right-aligned. */
function purgeTable(report: PurgeReport, agency: string): string[] {
  const head = report.dryRun
    ? `Retention purge, dry run at ${report.at}: nothing was removed (rules: /admin/retention; defaults: reference/${agency}/retention.json)`
    : `Retention purge at ${report.at} (rules: /admin/retention; defaults: reference/${agency}/retention.json)`;
  const n = (v: number | null) => (v === null ? '-' : v.toLocaleString('en-US'));
  const rows = report.kinds.map((k) => [k.kind, k.rule, k.skipped ? '-' : n(k.removed), n(k.held), ...(report.dryRun ? [] : [k.skipped ? '-' : n(k.batches)]), k.skipped ?? '']);
  const header = ['kind', 'rule', report.dryRun ? 'would remove' : 'removed', 'held', ...(report.dryRun ? [] : ['batches']), ''];
  const all = [header, ...rows];
  const width = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const numeric = (i: number) => i >= 2 && i < header.length - 1;
  const line = (r: string[]) => r.map((c, i) => (numeric(i) ? c.padStart(width[i]!) : i === r.length - 1 ? c : c.padEnd(width[i]!))).join('  ').trimEnd();
  const removed = report.kinds.reduce((sum, k) => sum + k.removed, 0);
  const held = report.kinds.reduce((sum, k) => sum + (k.held ?? 0), 0);
  const foot = report.dryRun
    ? `${removed.toLocaleString('en-US')} record(s) would be removed; ${held.toLocaleString('en-US')} past their rule are kept by a hold (a call under review).`
    : `${removed.toLocaleString('en-US')} record(s) removed, each batch written to the audit trail as system:retention; ${held.toLocaleString('en-US')} past their rule are kept by a hold (a call under review).`;
  return [head, '', line(header), ...rows.map(line), '', foot];
}

/** A whole-number option from 0 to max, or undefined when not given. */
function countOption(name: string, v: string | boolean | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v) || Number(v) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max.toLocaleString('en-US')}`);
  return Number(v);
}

/** Why a file could not be read, in words (never a stack). */
function readError(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
}

function help(): string {
  const lines = ['Usage: switchboard <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`);
  lines.push('  help             Show this list', '', 'Environment: PORT, HOST, DATA_DIR, DATABASE_URL, SEED, LOG_LEVEL, TRUST_PROXY, PUBLIC_RATE_LIMIT, AGENCY', '');
  return lines.join('\n');
}

/** A comma-separated list of skills ("en,es,military"): trimmed, lower-cased, blanks dropped; the service checks the names. */
function skillList(v: unknown): string[] {
  const list = typeof v === 'string' ? v.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean) : [];
  if (!list.length) throw new UsageError('give the skills as a comma-separated list, e.g. en,es,military');
  return list;
}

/** Runs one command line; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [first, second, ...rest] = argv;
  if (!first || first === 'help' || first === '--help' || first === '-h') {
    io.stdout.write(help());
    return first ? 0 : 2;
  }
  const twoWord = second !== undefined ? `${first} ${second}` : '';
  const name = COMMANDS[twoWord] ? twoWord : first;
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`switchboard: unknown command "${[first, second].filter(Boolean).join(' ')}"\n\n${help()}`);
    return 2;
  }
  const args = name === twoWord ? rest : [second, ...rest].filter((a): a is string => a !== undefined);
  try {
    const parsed = parseArgs({ args, options: command.options ?? {}, allowPositionals: true, strict: true });
    const config = loadConfig(io.env);
    return await command.run(parsed as never, config, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`switchboard ${name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`switchboard: ${err.message}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      const fields = (err.extensions.errors as Array<{ field: string; detail: string }> | undefined) ?? [];
      io.stderr.write(`switchboard ${name}: ${err.detail}\n${fields.map((f) => `  ${f.field}: ${f.detail}\n`).join('')}`);
      return err.code === 'invalid-request' ? 2 : 1;
    }
    io.stderr.write(`switchboard ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
