import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../cli/dev/postgres';
import { startLocalTemporal } from '../cli/dev/temporalServer';
import { createDb } from '../store/db';
import { migrate } from '../store/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL; each test file makes its own database from the template. */
    postgresAdminUrl: string;
    templateDatabase: string;
    temporalAddress: string;
  }
}

export const TEMPLATE_DB = 'capitolscope_template';

/** One real PostgreSQL and one real Temporal dev server for the whole run (starting them per file is too slow). */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'capitolscope-test-'));
  const stops: (() => Promise<void>)[] = [];
  let postgresUrl = process.env.TEST_DATABASE_URL;
  if (!postgresUrl) {
    const local = await startLocalPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      database: 'postgres',
    });
    stops.push(local.stop);
    postgresUrl = local.url;
  }
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const template = createDb(withDatabase(postgresUrl, TEMPLATE_DB), 2);
  await migrate(template);
  await template.end();

  const temporal = await startLocalTemporal({
    port: await freePort(),
    uiPort: null,
    startTimeoutMs: 120_000,
  });
  stops.push(temporal.stop);

  project.provide('postgresAdminUrl', postgresUrl);
  project.provide('templateDatabase', TEMPLATE_DB);
  project.provide('temporalAddress', temporal.address);

  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}
