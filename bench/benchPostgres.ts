import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { freePort } from '../ops/listen';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startLocalPostgres } from '../devstack/postgres';
import { createDb, type Db } from '../store/db';
import { migrate } from '../store/migrate';

export interface BenchPostgres {
  /** A temporary folder for the run's files; removed by `stop()`. */
  dir: string;
  serverVersion: string;
  /** Create a fresh, migrated database and open a pool on it. */
  createDatabase(name: string): Promise<{ url: string; db: Db }>;
  /** The same without migrating (a restore target). */
  createEmptyDatabase(name: string): Promise<{ url: string; db: Db }>;
  stop(): Promise<void>;
}

/** A real embedded PostgreSQL of its own, in a temporary folder on a free port. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'capitolscope-bench-'));
  const server = await startLocalPostgres({
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    database: 'postgres',
  });
  const pools: Db[] = [];
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const serverVersion = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
    .rows[0]!.v;
  async function createEmptyDatabase(name: string): Promise<{ url: string; db: Db }> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name "${name}"`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(server.url);
    u.pathname = `/${name}`;
    const db = createDb(u.toString(), 4);
    pools.push(db);
    return { url: u.toString(), db };
  }
  return {
    dir,
    serverVersion,
    createEmptyDatabase,
    async createDatabase(name) {
      const created = await createEmptyDatabase(name);
      await migrate(created.db);
      return created;
    },
    async stop() {
      for (const db of pools) await db.end().catch(() => undefined);
      await admin.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * CPU time the server processes serving `db`'s database have used, per process: take one snapshot
 * before and one after, and `cpuSecondsBetween` tells what the work in between cost PostgreSQL, however
 * many connections it used. Reads /proc (Linux, the server on this machine, as the bench's is).
 */
export async function postgresCpu(db: Db): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    // Fields after "(comm)": state is the 3rd field of the line, utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/** Seconds of CPU between two `postgresCpu` snapshots (a process new since the first counts in full). */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  // USER_HZ is 100 on every Linux architecture Node runs on.
  return ticks / 100;
}
