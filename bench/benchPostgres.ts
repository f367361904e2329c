import { mkdtemp, rm } from 'node:fs/promises';
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
