import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../devstack/postgres';
import { SmtpSink } from '../devstack/smtpSink';
import { startLocalTemporal } from '../devstack/temporalServer';
import { createDb } from '../store/db';
import { migrate } from '../store/migrate';
import { freePort } from '../ops/listen';
import { startSmtpControl } from './support/smtpControl';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL; each test file makes its own database from the template. */
    postgresAdminUrl: string;
    templateDatabase: string;
    temporalAddress: string;
    /** The run's SMTP server; each test file reads its own sender's mail through the control API. */
    smtpUrl: string;
    smtpControlUrl: string;
  }
}

export const TEMPLATE_DB = 'capitolscope_template';

/** One real PostgreSQL, Temporal dev server and SMTP server for the whole run (starting them per file is too slow). */
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

  const sink = new SmtpSink({ folder: join(dir, 'mail') });
  const { url: smtpUrl } = await sink.start();
  stops.push(() => sink.stop());
  const control = await startSmtpControl(sink);
  stops.push(control.stop);

  project.provide('postgresAdminUrl', postgresUrl);
  project.provide('templateDatabase', TEMPLATE_DB);
  project.provide('temporalAddress', temporal.address);
  project.provide('smtpUrl', smtpUrl);
  project.provide('smtpControlUrl', control.url);

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
