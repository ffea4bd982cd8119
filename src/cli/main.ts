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
    usage: 'switchboard user add --email E --name N --role ROLE [--office CODE]  (password on standard input; empty input generates one)',
    summary: 'Create a staff account',
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, office: { type: 'string' } },
    run: async ({ values }, config, io) => {
      for (const k of ['email', 'name', 'role']) if (!str(values[k])) throw new UsageError(`--${k} is required`);
      const password = await readSecretInput(io, 'Password (at least 12 characters; leave empty to generate one): ');
      return withDeps(config, async (deps) => {
        const u = await deps.staff.addUser({ email: str(values.email)!, name: str(values.name)!, role: str(values.role)!, office: str(values.office), password: password || undefined }, CLI);
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
};

function help(): string {
  const lines = ['Usage: switchboard <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`);
  lines.push('  help             Show this list', '', 'Environment: PORT, HOST, DATA_DIR, DATABASE_URL, SEED, LOG_LEVEL, TRUST_PROXY, PUBLIC_RATE_LIMIT, AGENCY', '');
  return lines.join('\n');
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
