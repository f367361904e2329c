import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../domain/config';
import { createDb, type Db } from '../../store/db';
import { withDatabase } from '../globalSetup';

/** A fresh database for one test file, cloned from the run's migrated template (fast, isolated). */
export async function createTestDatabase(): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, 10);
  return {
    url,
    db,
    drop: async () => {
      await db.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Configuration for tests: real local services, each test file in its own Temporal namespace. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    UNSUBSCRIBE_SECRET: 'test-unsubscribe-secret-0123456789',
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_SECONDS: '30',
    // OCR of scanned filings takes seconds a page: only the tests about paper filings turn it on.
    PAPER_OCR: 'false',
    ...env,
  });
}
