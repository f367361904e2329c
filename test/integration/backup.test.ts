import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMaintenanceActivities } from '../../activities/maintenance';
import { backupFileName, type DailyMaintenanceResult } from '../../domain/maintenance';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { listBackupFiles, verifyBackupFile } from '../../ops/backup';
import { findPgTools } from '../../ops/pgTools';
import { createDb, type Db } from '../../store/db';
import { exactRowCounts } from '../../store/databaseCare';
import { latestHealthChecks, recordHealthCheck } from '../../store/healthChecks';
import { schemaTables } from '../../store/backups';
import { createLogger } from '../../ops/logger';
import { withDatabase } from '../globalSetup';
import { runCli } from '../support/cli';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Backups against the run's real PostgreSQL with the machine's real pg_dump and pg_restore: written,
 * read back, restored into a new database; damage detected; retention; the nightly workflow and its
 * health result.
 */
let sys: TestSystem;
let backupDir: string;
let work: string;
const extraDbs: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capitolscope-backup-'));
  backupDir = join(work, 'backups');
  await writeFile(
    join(work, 'capitolscope.env'),
    'DATABASE_URL=postgres://capitolscope:pg-password-1@db:5432/capitolscope\nUNSUBSCRIBE_SECRET=unsubscribe-secret-0123456789\nLOG_LEVEL=info\n',
  );
  sys = await startTestSystem({
    BACKUP_DIR: backupDir,
    BACKUP_CONFIG_PATHS: `${join(work, 'capitolscope.env')},${join(work, 'missing.env')}`,
    BACKUP_MIN_KEEP: '2',
  });
  // Something in every kind of table: filings and trades, users and rules, alerts, health results.
  const filingId = await seedFiling(sys.db, {
    transactions: [trade(), trade({ ticker: 'AAPL', transactionType: 'sale' })],
  });
  const userId = await seedUser(sys.db, 'backup@example.com', [{ ticker: 'NVDA' }]);
  const { rows } = await sys.db.query('SELECT id FROM transactions WHERE filing_id = $1 ORDER BY id', [
    filingId,
  ]);
  await sys.db.query(
    `INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons, status, sent_at)
     VALUES ($1, $2, '{1}', '{"Ticker NVDA"}', 'sent', now())`,
    [userId, rows[0].id],
  );
  await recordHealthCheck(sys.db, {
    workflowId: 'h',
    runId: 'r',
    workflowType: null,
    status: 'ok',
    checks: [],
  });
});

afterAll(async () => {
  await sys?.stop();
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await admin.connect();
  for (const name of extraDbs) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await rm(work, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<{ url: string; db: Db }> {
  const name = `restore_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  extraDbs.push(name);
  const url = withDatabase(inject('postgresAdminUrl'), name);
  return { url, db: createDb(url, 2) };
}

const activities = () =>
  createMaintenanceActivities({ config: sys.config, db: sys.db, logger: createLogger('error') });

describe('backup and restore', () => {
  it('a backup is written, verified, and restored into a new database with equal row counts in every table', async () => {
    const m = activities();
    const taken = await m.takeBackup({ stamp: '2025-01-17T07:00:00Z' });
    expect(taken.file).toBe('capitolscope-20250117T070000Z.dump');
    expect(taken.bytes).toBe((await stat(join(backupDir, taken.file))).size);
    expect(taken.pgDumpVersion).toMatch(/^15\./);
    const v = await m.verifyBackup({ backupId: taken.backupId });
    const { tables } = await schemaTables(sys.db);
    expect(v).toMatchObject({
      verified: true,
      tablesExpected: tables.length,
      tablesListed: tables.length,
      missing: [],
    });
    const { rows } = await sys.db.query('SELECT status, bytes, duration_ms FROM backups WHERE id = $1', [
      taken.backupId,
    ]);
    expect(rows[0]).toEqual({ status: 'verified', bytes: taken.bytes, duration_ms: taken.durationMs });

    const target = await emptyDatabase();
    try {
      const restored = await runCli(['restore', join(backupDir, taken.file), '-o', 'json'], {
        DATABASE_URL: target.url,
      });
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      const source = await exactRowCounts(sys.db);
      // The backup's own row says "running" in the copy: it was taken while the dump ran.
      expect(await exactRowCounts(target.db)).toEqual(source);
      expect(JSON.parse(restored.stdout).tables).toEqual(source);
      expect(source.transactions).toBe(2);
      expect(source.notifications).toBe(1);

      // A second restore into the now non-empty database is refused, and --force replaces it.
      const refused = await runCli(['restore', taken.file], {
        DATABASE_URL: target.url,
        BACKUP_DIR: backupDir,
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /is not empty \(\d+ tables\); restore into a new, empty database, or pass --force/,
      );
      await target.db.query('DELETE FROM users');
      const forced = await runCli(['restore', taken.file, '--force'], {
        DATABASE_URL: target.url,
        BACKUP_DIR: backupDir,
      });
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/^Restored\s+\//m);
      expect(await exactRowCounts(target.db)).toEqual(source);
    } finally {
      await target.db.end();
    }
  });

  it('copies the configured files beside the backup with their secrets masked', async () => {
    const m = activities();
    const taken = await m.takeBackup({ stamp: '2025-01-18T07:00:00Z' });
    const copied = await m.copyBackupConfig({ backupId: taken.backupId });
    expect(copied).toMatchObject({ copied: 1, masked: 2, missing: [join(work, 'missing.env')] });
    const folder = join(backupDir, 'capitolscope-20250118T070000Z.config');
    const [name] = await readdir(folder);
    const text = await readFile(join(folder, name!), 'utf8');
    expect(text).not.toContain('pg-password-1');
    expect(text).not.toContain('unsubscribe-secret-0123456789');
    expect(text).toContain('LOG_LEVEL=info');
    expect((await stat(folder)).mode & 0o077).toBe(0);
  });

  it('a damaged backup file is detected: truncated, or not a backup at all', async () => {
    const tools = await findPgTools(null, 15);
    const { schema, tables } = await schemaTables(sys.db);
    const good = join(backupDir, (await activities().takeBackup({ stamp: '2025-01-19T07:00:00Z' })).file);
    const truncated = join(work, 'truncated.dump');
    await copyFile(good, truncated);
    await truncate(truncated, Math.floor((await stat(good)).size * 0.6));
    const cut = await verifyBackupFile({ tools, file: truncated, schema, expectedTables: tables });
    expect(cut.verified).toBe(false);
    expect(cut.reason).toMatch(/pg_restore failed: .*(end of file|could not read|unexpected)/i);

    const garbage = join(work, 'garbage.dump');
    await writeFile(garbage, 'PGDMP this is not really a dump at all'.repeat(20));
    const bad = await verifyBackupFile({ tools, file: garbage, schema, expectedTables: tables });
    expect(bad).toMatchObject({ verified: false, tablesListed: 0 });
    expect(bad.reason).toMatch(/pg_restore failed/);

    const refused = await runCli(['restore', garbage], { DATABASE_URL: sys.config.databaseUrl! });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not a readable backup/);
  });

  it('retention keeps the newest N however old, and removes the rest past the retention days', async () => {
    const dir = join(work, 'retention');
    await mkdir(dir);
    const now = new Date();
    const stamps = [0, 1, 40, 41, 42].map((d) => new Date(now.getTime() - d * 86_400_000).toISOString());
    for (const s of stamps) await writeFile(join(dir, backupFileName(s)), 'x');
    await mkdir(join(dir, backupFileName(stamps[4]!).replace('.dump', '.config')));
    const m = createMaintenanceActivities({
      config: { ...sys.config, backup: { ...sys.config.backup, dir, retentionDays: 30, minKeep: 3 } },
      db: sys.db,
      logger: createLogger('error'),
    });
    const dry = await m.pruneBackups({ dryRun: true });
    expect(dry.removed).toEqual([backupFileName(stamps[3]!), backupFileName(stamps[4]!)]);
    expect((await listBackupFiles(dir)).length).toBe(5);
    await m.pruneBackups({});
    // The newest three stay, the one 40 days old among them; the config copy went with its backup.
    expect((await readdir(dir)).sort()).toEqual(stamps.slice(0, 3).map(backupFileName).sort());
  });
});

describe('DailyMaintenanceWorkflow', () => {
  it('backs up, verifies, cares for the database and stores an ok backup health result', async () => {
    const handle = await sys.client.workflow.start('DailyMaintenanceWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'daily-maintenance-test-ok',
    });
    const result = (await handle.result()) as DailyMaintenanceResult;
    expect(result.backup).toMatchObject({ status: 'verified' });
    expect(result.configFiles).toEqual({ copied: 1, masked: 2, missing: [join(work, 'missing.env')] });
    expect(result.vacuumed).toEqual([
      'notifications',
      'transactions',
      'filings',
      'health_checks',
      'users',
      'alert_rules',
      'source_state',
    ]);
    expect(result.tableStats.recorded).toBeGreaterThan(10);
    const [latest] = await latestHealthChecks(sys.db);
    expect(latest!.id).toBe(result.healthRecordId);
    expect(latest!.status).toBe('ok');
    expect(latest!.checks).toEqual([expect.objectContaining({ name: 'backup', status: 'ok' })]);
    const { rows } = await sys.db.query(`SELECT count(*)::int AS n FROM table_stats WHERE run_id = $1`, [
      (await handle.describe()).runId,
    ]);
    expect(rows[0].n).toBe(result.tableStats.recorded);
  });

  it('a pg_dump older than the server is refused with a clear message, stored as a critical backup result', async () => {
    // A stand-in for PostgreSQL 14's client tools (this machine has only 15's): they answer --version.
    const oldBin = join(work, 'pg14');
    await mkdir(oldBin);
    for (const tool of ['pg_dump', 'pg_restore']) {
      await writeFile(join(oldBin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) 14.12"\n`);
      await chmod(join(oldBin, tool), 0o755);
    }
    const old = await startTestSystem({ BACKUP_DIR: join(work, 'old'), PG_BIN_DIR: oldBin });
    try {
      const handle = await old.client.workflow.start('DailyMaintenanceWorkflow', {
        taskQueue: TASK_QUEUES.maintenance,
        workflowId: 'daily-maintenance-test-old-pg-dump',
      });
      const err = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause?.message).toMatch(
        /backup failed: pg_dump 14\.12 .* is older than the database server \(PostgreSQL 15\) and cannot back it up; install the PostgreSQL 15 client tools/,
      );
      const [latest] = await latestHealthChecks(old.db);
      expect(latest!.status).toBe('critical');
      expect(latest!.checks).toEqual([
        expect.objectContaining({
          name: 'backup',
          status: 'critical',
          detail: expect.stringMatching(/^backup failed: pg_dump 14\.12/),
        }),
      ]);
      // The database was still cared for.
      const { rows } = await old.db.query('SELECT count(*)::int AS n FROM table_stats');
      expect(rows[0].n).toBeGreaterThan(0);
      expect(await readdir(join(work, 'old'))).toEqual([]);
    } finally {
      await old.stop();
    }
  });

  it('capitolscope backup takes one now and says so', async () => {
    const r = await runCli(['backup'], {
      DATABASE_URL: sys.config.databaseUrl!,
      BACKUP_DIR: backupDir,
      BACKUP_MIN_KEEP: '50',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^File\s+.*capitolscope-\d{8}T\d{6}Z\.dump$/m);
    expect(r.stdout).toMatch(/^Verified\s+yes, all \d+ tables listed and readable$/m);
    const json = await runCli(['backup', '-o', 'json'], {
      DATABASE_URL: sys.config.databaseUrl!,
      BACKUP_DIR: backupDir,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ verification: { verified: true } });
  });
});
