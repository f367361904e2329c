// Backups, restore, reports and clean-up at the size of a busy installation. Part of `npm run bench`;
// alone: `npx tsx bench/maintenance.ts`.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMaintenanceActivities } from '../activities/maintenance';
import { loadConfig } from '../domain/config';
import { reportWindow } from '../domain/report';
import { restoreBackupFile } from '../ops/backup';
import { findPgTools } from '../ops/pgTools';
import type { Db } from '../store/db';
import { exactRowCounts } from '../store/databaseCare';
import { buildReportContent } from '../store/reports';
import { createLogger } from '../ops/logger';
import { startBenchPostgres, type BenchPostgres } from './benchPostgres';
import { formatTable, mib, msSince, type Measurement } from './measurement';

const SECTION = 'maintenance';
export const MAINTENANCE_SCALE = {
  filings: 5_000,
  transactionsPerFiling: 10,
  users: 100_000,
  notifications: 300_000,
  healthRuns: 50_000,
};

/**
 * A database filled in SQL to the sizes above (filings over the last 30 days, notifications and
 * health results over the last 200), then: the nightly backup (pg_dump, read back), a restore into an
 * empty database, the daily and weekly reports, VACUUM, and the clean-up of what is past retention.
 */
export async function benchMaintenance(pg: BenchPostgres, scale = MAINTENANCE_SCALE): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const { url, db } = await pg.createDatabase('bench_maintenance');
  let t = performance.now();
  await fill(db, scale);
  add('fill the database (SQL)', msSince(t), 'ms');

  const config = loadConfig({ DATABASE_URL: url, BACKUP_DIR: join(pg.dir, 'backups'), LOG_LEVEL: 'error' });
  const m = createMaintenanceActivities({ config, db, logger: createLogger('error') });
  const counts = await exactRowCounts(db);
  add(
    'rows in the database',
    Object.values(counts).reduce((a, b) => a + b, 0),
    'rows',
  );

  t = performance.now();
  const taken = await m.takeBackup({ stamp: new Date().toISOString() });
  add('backup: pg_dump --format=custom', msSince(t), 'ms');
  add('backup: file size', mib(taken.bytes), 'MiB');
  t = performance.now();
  const verified = await m.verifyBackup({ backupId: taken.backupId });
  add('backup: read back (list + every data block)', msSince(t), 'ms');
  if (!verified.verified) throw new Error(`backup not verified: ${verified.reason}`);

  const target = await pg.createEmptyDatabase('bench_restored');
  const tools = await findPgTools(null, 15);
  t = performance.now();
  await restoreBackupFile({
    tools,
    file: join(config.backup.dir, taken.file),
    databaseUrl: target.url,
    clean: false,
  });
  add('restore into an empty database', msSince(t), 'ms');
  const restored = await exactRowCounts(target.db);
  if (JSON.stringify(restored) !== JSON.stringify(await exactRowCounts(db))) {
    throw new Error('restored row counts differ from the source');
  }

  const asOf = new Date();
  for (const period of ['day', 'week'] as const) {
    t = performance.now();
    const report = await buildReportContent(db, reportWindow(period, asOf, 'America/New_York'), asOf);
    add(
      `report of the last ${period} (${report.transactions.total.toLocaleString('en-US')} trades)`,
      msSince(t),
      'ms',
    );
  }

  t = performance.now();
  await m.vacuumBusyTables();
  add('VACUUM (ANALYZE) of the busy tables', msSince(t), 'ms');

  t = performance.now();
  const dry = await m.cleanupDatabase({ kind: 'notification-bodies', dryRun: true });
  add('clean-up dry run: notification bodies counted', msSince(t), 'ms');
  t = performance.now();
  const bodies = await m.cleanupDatabase({ kind: 'notification-bodies' });
  const bodyMs = msSince(t);
  // Rows cross the 90-day line as time passes (one every minute here), so the run may take a few more.
  if (bodies.removed < dry.removed) throw new Error('the clean-up removed less than its dry run counted');
  add('clean-up: notification bodies cleared', bodies.removed, 'rows');
  add('clean-up: notification bodies, rate (batches of 5,000)', bodies.removed / (bodyMs / 1000), 'rows/s');
  t = performance.now();
  const health = await m.cleanupDatabase({ kind: 'health-results' });
  const healthMs = msSince(t);
  add('clean-up: health results deleted', health.removed, 'rows');
  add('clean-up: health results, rate (batches of 5,000)', health.removed / (healthMs / 1000), 'rows/s');
  return rows;
}

async function fill(db: Db, s: typeof MAINTENANCE_SCALE): Promise<void> {
  await db.query(
    `INSERT INTO filings (chamber, source_id, filer_name, state_district, year, filed_date, kind, status, raw_url,
                          first_seen_at, parsed_at, matched_at)
     SELECT CASE WHEN i % 4 = 0 THEN 'senate' ELSE 'house' END, 'B' || i, 'Member ' || (i % 500), 'CA' || (i % 50),
            2025, (now() - make_interval(days => i % 30 + 10))::date, 'electronic', 'parsed', 'https://example.org/' || i,
            now() - make_interval(secs => i::float8 * 30 * 86400 / $1), now() - make_interval(secs => i::float8 * 30 * 86400 / $1), now()
       FROM generate_series(1, $1) i`,
    [s.filings],
  );
  await db.query(
    `INSERT INTO transactions (filing_id, row_key, ordinal, owner, asset_name, ticker, transaction_type,
                               transaction_date, amount_min, amount_max, filing_status, created_at)
     SELECT f.id, 'r' || k, k, 'self', 'Asset ' || ((f.id * 7 + k) % 300), 'T' || ((f.id * 7 + k) % 300),
            (ARRAY['purchase', 'sale', 'sale_partial', 'exchange'])[1 + (f.id + k) % 4],
            f.filed_date - ((f.id + k) % 60)::int, 1001 * (1 + (f.id + k) % 50), 15000 * (1 + (f.id + k) % 50), 'new', f.parsed_at
       FROM filings f, generate_series(1, $1) k`,
    [s.transactionsPerFiling],
  );
  await db.query(
    `INSERT INTO users (email, created_at) SELECT 'user' || i || '@example.org', now() - make_interval(days => i % 365)
       FROM generate_series(1, $1) i`,
    [s.users],
  );
  await db.query(
    `WITH t AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM transactions),
          u AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users)
     INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons, status, created_at, sent_at, message_id)
     SELECT u.id, t.id, '{1,2}', '{"Ticker NVDA","Member Pelosi"}', 'sent', at, at, '<bench.' || i || '@example.org>'
       FROM generate_series(1, $1) i
       JOIN t ON t.n = 1 + (i % (SELECT count(*) FROM transactions))
       JOIN u ON u.n = 1 + (i / (SELECT count(*) FROM transactions)) % (SELECT count(*) FROM users)
       CROSS JOIN LATERAL (SELECT now() - make_interval(secs => i::float8 * 200 * 86400 / $1) AS at) a
     ON CONFLICT DO NOTHING`,
    [s.notifications],
  );
  await db.query(
    `INSERT INTO health_checks (workflow_id, run_id, status, checks, checked_at)
     SELECT 'system-health', 'run-' || i, CASE WHEN i % 97 = 0 THEN 'warn' ELSE 'ok' END,
            jsonb_build_array(jsonb_build_object('name', 'disk', 'status', CASE WHEN i % 97 = 0 THEN 'warn' ELSE 'ok' END,
                                                 'detail', '/: 71% used', 'value', 71, 'unit', 'percent')),
            now() - make_interval(secs => i::float8 * 200 * 86400 / $1)
       FROM generate_series(1, $1) i`,
    [s.healthRuns],
  );
  await db.query('ANALYZE');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const loadBefore = loadavg()[0]!;
  const pg = await startBenchPostgres();
  try {
    const rows = await benchMaintenance(pg);
    console.log(
      [
        `1-min load average: ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
        formatTable(rows),
      ].join('\n'),
    );
  } finally {
    await pg.stop();
  }
}
