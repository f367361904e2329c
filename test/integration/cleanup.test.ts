import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaintenanceActivities } from '../../activities/maintenance';
import { backupFileName, type WeeklyCleanupResult } from '../../domain/maintenance';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { recordHealthCheck } from '../../store/healthChecks';
import { createLogger } from '../../ops/logger';
import { runCli } from '../support/cli';
import { seedUser } from '../support/seed';
import {
  FIXTURE_FILINGS,
  houseIndexXml,
  serveHouseIndex,
  startTestSystem,
  type TestSystem,
} from '../support/system';

/**
 * The weekly clean-up against real alert history: a real sync alerts a user, the history is aged,
 * and the clean-up must take exactly what is past retention, in batches, while the ledger rows that
 * stop a second alert stay.
 */
let sys: TestSystem;
let work: string;
let logDir: string;
let backupDir: string;
const DAY = 86_400_000;
const env = () => ({
  LOG_DIR: logDir,
  BACKUP_DIR: backupDir,
  BACKUP_MIN_KEEP: '2',
  HEALTH_RETENTION_DAYS: '30',
  NOTIFICATION_BODY_RETENTION_DAYS: '90',
  REPORT_RETENTION_DAYS: '400',
  LOG_RETENTION_DAYS: '14',
  // Small batches, so several statements are needed, as on a large database.
  CLEANUP_BATCH_SIZE: '2',
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capitolscope-cleanup-'));
  logDir = join(work, 'logs');
  backupDir = join(work, 'backups');
  sys = await startTestSystem(env());

  // A real alert: a baseline sync, a user following NVDA, then Pelosi's filing with three NVDA trades.
  serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
  await sys.sync(['house']);
  const userId = await seedUser(sys.db, 'follower@example.com', [{ ticker: 'NVDA' }]);
  serveHouseIndex(sys.sites, houseIndexXml());
  const synced = await sys.sync(['house']);
  expect(synced.emailsSent).toBe(1);
  await sys.smtp.waitFor(1);

  // History: the alert was sent 100 days ago; another user's alert was suppressed 95 days ago and a
  // third one sent 10 days ago.
  await sys.db.query(
    `UPDATE notifications SET created_at = now() - interval '100 days', sent_at = now() - interval '100 days'`,
  );
  const other = await seedUser(sys.db, 'other@example.com', []);
  const { rows: tx } = await sys.db.query<{ id: number }>(
    `SELECT t.id FROM transactions t JOIN filings f ON f.id = t.filing_id WHERE f.source_id = $1 ORDER BY t.ordinal`,
    [FIXTURE_FILINGS.cohen],
  );
  await sys.db.query(
    `INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons, status, last_error, created_at)
     VALUES ($1, $2, '{9}', '{"Member Cohen"}', 'suppressed', '550 5.1.1 no such user', now() - interval '95 days'),
            ($3, $2, '{8}', '{"Ticker EBS"}', 'sent', NULL, now() - interval '10 days')`,
    [other, tx[0]!.id, userId],
  );
  await sys.db.query(
    `UPDATE notifications SET sent_at = created_at WHERE status = 'sent' AND sent_at IS NULL`,
  );

  // Health results: three past retention, two within.
  for (const [i, age] of [40, 35, 31, 20, 1].entries()) {
    const { id } = await recordHealthCheck(sys.db, {
      workflowId: `h${i}`,
      runId: `r${i}`,
      workflowType: null,
      status: 'ok',
      checks: [],
    });
    await sys.db.query(
      `UPDATE health_checks SET checked_at = now() - make_interval(days => $2) WHERE id = $1`,
      [id, age],
    );
  }
  await sys.db.query(
    `INSERT INTO table_stats (run_id, table_name, total_bytes, live_rows, dead_rows, dead_ratio, recorded_at)
     VALUES ('old', 'filings', 1, 1, 0, 0, now() - interval '45 days'), ('new', 'filings', 1, 1, 0, 0, now())`,
  );
  await sys.db.query(
    `INSERT INTO reports (period, period_from, period_to, timezone, content)
     VALUES ('day', current_date - 500, current_date - 500, 'UTC', '{}'), ('day', current_date - 1, current_date - 1, 'UTC', '{}')`,
  );

  // Log files: two rolled files past 14 days, the newest of each stream kept whatever its age.
  await mkdir(logDir);
  const file = async (dir: string, name: string, ageDays: number) => {
    await writeFile(join(dir, name), 'x'.repeat(100));
    const at = new Date(Date.now() - ageDays * DAY);
    await utimes(join(dir, name), at, at);
  };
  await file(logDir, 'worker-all.2025-01-01.1.log', 30);
  await file(logDir, 'worker-all.2025-01-02.2.log', 20);
  await file(logDir, 'worker-all.2025-01-03.3.log', 1);
  await file(logDir, 'worker-error.2025-01-01.1.log', 60);

  // Backups: four, two past 30 days; with two always kept, the two old ones go.
  await mkdir(backupDir);
  for (const age of [1, 2, 31, 32]) {
    await file(backupDir, backupFileName(new Date(Date.now() - age * DAY).toISOString()), age);
  }
});

afterAll(async () => {
  await sys?.stop();
  await rm(work, { recursive: true, force: true });
});

const EXPECTED = [
  { kind: 'health-results', removed: 3, rule: 'older than 30 days' },
  { kind: 'table-stats', removed: 1, rule: 'older than 30 days' },
  // Pelosi's three NVDA alerts (100 days) and the suppressed one (95 days); not the one of 10 days.
  { kind: 'notification-bodies', removed: 4, rule: 'older than 90 days' },
  { kind: 'notification-ledger', removed: 0, rule: 'kept forever' },
  { kind: 'reports', removed: 1, rule: 'older than 400 days' },
  { kind: 'log-files', removed: 2, rule: 'older than 14 days', bytesFreed: 200 },
  { kind: 'backups', removed: 2, rule: 'older than 30 days, the newest 2 always kept', bytesFreed: 200 },
];

async function counts() {
  const { rows } = await sys.db.query(
    `SELECT (SELECT count(*) FROM health_checks)::int AS health, (SELECT count(*) FROM table_stats)::int AS stats,
            (SELECT count(*) FROM notifications)::int AS notifications,
            (SELECT count(*) FROM notifications WHERE body_cleared_at IS NOT NULL)::int AS cleared,
            (SELECT count(*) FROM reports)::int AS reports`,
  );
  return { ...rows[0], logs: (await readdir(logDir)).length, backups: (await readdir(backupDir)).length };
}

describe('weekly clean-up', () => {
  it('cleanup --dry-run prints what a run would remove, per kind, and removes nothing', async () => {
    const before = await counts();
    const json = await runCli(['cleanup', '--dry-run', '-o', 'json'], {
      DATABASE_URL: sys.config.databaseUrl!,
      ...env(),
    });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ dryRun: true, kinds: EXPECTED, removed: 13 });
    const table = await runCli(['cleanup', '--dry-run'], { DATABASE_URL: sys.config.databaseUrl!, ...env() });
    expect(table.stdout.split('\n')[0]).toMatch(/^KIND\s+WOULD REMOVE\s+MB\s+RETENTION$/);
    expect(table.stdout).toMatch(/^notification-bodies\s+4\s+older than 90 days$/m);
    expect(await counts()).toEqual(before);
  });

  it('WeeklyCleanupWorkflow removes exactly what is past retention and reports it per kind', async () => {
    const before = await counts();
    const handle = await sys.client.workflow.start('WeeklyCleanupWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'weekly-cleanup-test',
    });
    const result = (await handle.result()) as WeeklyCleanupResult;
    expect(result).toEqual({ dryRun: false, kinds: EXPECTED, removed: 13 });
    expect(await counts()).toEqual({
      health: before.health - 3,
      stats: before.stats - 1,
      // Every (user, transaction) row stays: only the bodies went.
      notifications: before.notifications,
      cleared: 4,
      reports: before.reports - 1,
      logs: 2,
      backups: 2,
    });
    const { rows } = await sys.db.query(
      `SELECT status, reasons, rule_ids, last_error, message_id IS NOT NULL AS has_message_id
         FROM notifications WHERE body_cleared_at IS NOT NULL ORDER BY id`,
    );
    expect(rows).toEqual([
      ...Array(3).fill({ status: 'sent', reasons: [], rule_ids: [], last_error: null, has_message_id: true }),
      { status: 'suppressed', reasons: [], rule_ids: [], last_error: null, has_message_id: false },
    ]);
    const { rows: kept } = await sys.db.query(
      `SELECT reasons FROM notifications WHERE body_cleared_at IS NULL AND status = 'sent'`,
    );
    expect(kept).toEqual([{ reasons: ['Ticker EBS'] }]);
    expect((await readdir(logDir)).sort()).toEqual([
      'worker-all.2025-01-03.3.log',
      'worker-error.2025-01-01.1.log',
    ]);

    // A second run finds nothing left.
    const again = await sys.client.workflow.execute('WeeklyCleanupWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'weekly-cleanup-test-again',
    });
    expect((again as WeeklyCleanupResult).removed).toBe(0);
  });

  it('an alert is still not repeated after a clean-up: the filing matched again alerts nobody', async () => {
    const { rows: before } = await sys.db.query(`SELECT count(*)::int AS n FROM notifications`);
    // As if a crashed sync had left the filing unmatched: the next sync matches it once more.
    await sys.db.query(`UPDATE filings SET matched_at = NULL WHERE source_id = $1`, [FIXTURE_FILINGS.pelosi]);
    const summary = await sys.sync(['house']);
    expect(summary).toMatchObject({ notifications: 0, corrections: 0, emailsSent: 0 });
    const { rows: after } = await sys.db.query(`SELECT count(*)::int AS n FROM notifications`);
    expect(after[0].n).toBe(before[0].n);
    expect(await sys.smtp.messages()).toHaveLength(1);
  });

  it('with a ledger retention, only rows of old filings delivered long ago go; recent deliveries stay', async () => {
    // Pelosi's filing dates from 2025, but its alerts were sent 100 days ago: still needed. The
    // suppressed alert is made 400 days old and goes.
    await sys.db.query(
      `UPDATE notifications SET created_at = now() - interval '400 days' WHERE status = 'suppressed'`,
    );
    const m = createMaintenanceActivities({
      config: { ...sys.config, retention: { ...sys.config.retention, notificationLedgerDays: 365 } },
      db: sys.db,
      logger: createLogger('error'),
    });
    expect(await m.cleanupDatabase({ kind: 'notification-ledger', dryRun: true })).toEqual({
      kind: 'notification-ledger',
      removed: 1,
      rule: 'older than 365 days',
    });
    expect((await m.cleanupDatabase({ kind: 'notification-ledger' })).removed).toBe(1);
    const { rows } = await sys.db.query(
      `SELECT status, count(*)::int AS n FROM notifications GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'sent', n: 4 }]);
  });
});
