import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { inject } from 'vitest';
import { startLocalPostgres, type LocalPostgres } from '../../devstack/postgres';
import type { TaskQueue } from '../../domain/taskQueues';
import { cleanUser } from '../../domain/users';
import { freePort } from '../../ops/listen';
import { createDb, type Db } from '../../store/db';
import { migrate } from '../../store/migrate';
import { upsertUsers } from '../../store/users';
import { seedFiling } from './seed';
import { SENATE_ROW, trade } from './trades';
import { waitFor } from './wait';

/**
 * A PostgreSQL server of a fault test's own (the run's shared one must not go down under other
 * files), on a fixed port and data folder, so it can be stopped and started again like a real restart.
 */
export class RestartablePostgres {
  private server: LocalPostgres | null = null;
  private constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {}

  static async start(): Promise<RestartablePostgres & { url: string }> {
    const pg = new RestartablePostgres(
      await mkdtemp(join(tmpdir(), 'capitolscope-fault-pg-')),
      await freePort(),
    );
    await pg.up();
    return pg as RestartablePostgres & { url: string };
  }

  url = '';

  /** (Re)start the server on its data folder: what it stored is still there. */
  async up(): Promise<void> {
    this.server = await startLocalPostgres({
      dataDir: join(this.dir, 'postgres'),
      port: this.port,
      database: 'capitolscope',
    });
    this.url = this.server.url;
  }

  /** A new, migrated database on this server, with `users` users following NVDA and a new NVDA trade. */
  async database(name: string, users: number): Promise<{ url: string; db: Db }> {
    const admin = createDb(this.url, 1);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(this.url);
    u.pathname = `/${name}`;
    return { url: u.toString(), db: await alertEveryone(u.toString(), users) };
  }

  /** Stop the server (a clean shutdown: every connection is ended). */
  async down(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  async destroy(): Promise<void> {
    await this.down().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A migrated database with `users` users following NVDA, and a new Senate filing with one NVDA trade. */
export async function alertEveryone(url: string, users: number): Promise<Db> {
  const db = createDb(url, 4);
  await migrate(db);
  await upsertUsers(
    db,
    Array.from({ length: users }, (_, i) =>
      cleanUser({ email: `fault.user${i}@example.com`, rules: [{ ticker: 'NVDA' }] }),
    ),
  );
  await seedFiling(db, {
    chamber: 'senate',
    filerName: 'Jacklyn S Rosen',
    stateDistrict: null,
    transactions: [trade({ ...SENATE_ROW, assetType: 'Stock' })],
  });
  return db;
}

/**
 * `capitolscope worker --queue ...` as a real process, as deployed. Its output is kept (and printed
 * with DEBUG set), its exits counted: a fault must not make it exit by itself.
 */
export class WorkerProcess {
  child: ChildProcess | null = null;
  readonly logs: string[] = [];
  /** Exits the test did not cause. */
  readonly unexpectedExits: (number | string | null)[] = [];
  private port = 0;

  constructor(
    private readonly queues: TaskQueue[],
    private readonly env: Record<string, string>,
  ) {}

  /** Start it and wait until it answers /healthz (every worker running). */
  async start(): Promise<void> {
    this.port = await freePort();
    const args = [
      'bin/capitolscope.js',
      'worker',
      '--no-migrate',
      ...this.queues.flatMap((q) => ['--queue', q]),
    ];
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        WORKER_HTTP_PORT: String(this.port),
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => this.logs.push(b.toString()));
    child.stderr!.on('data', (b: Buffer) => this.logs.push(b.toString()));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.unexpectedExits.push(code ?? signal);
    });
    this.child = child;
    await waitFor(async () => (await healthz(this.port)) === 200, { timeoutMs: 120_000, intervalMs: 200 });
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown, no finishing of anything in flight. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    if (process.env.DEBUG) console.log(this.logs.join(''));
  }
}

async function healthz(port: number): Promise<number> {
  try {
    const r = await request(`http://127.0.0.1:${port}/healthz`);
    await r.body.dump();
    return r.statusCode;
  } catch {
    return 0;
  }
}

/** Messages per recipient and per Message-ID, as the SMTP server received them. */
export function tallyMail(messages: readonly { to: string[]; messageId: string | null }[]) {
  const byRecipient = new Map<string, Set<string>>();
  const ids = new Set<string>();
  for (const m of messages) {
    const to = m.to[0]!;
    byRecipient.set(to, (byRecipient.get(to) ?? new Set()).add(m.messageId ?? ''));
    ids.add(m.messageId ?? '');
  }
  return {
    messages: messages.length,
    recipients: byRecipient.size,
    messageIds: ids.size,
    /** Copies beyond the first of a message (same Message-ID). */
    duplicates: messages.length - ids.size,
    /** Recipients who got two different emails: never allowed. */
    recipientsWithTwoEmails: [...byRecipient.values()].filter((s) => s.size > 1).length,
  };
}
