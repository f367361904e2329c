import type { TableStat } from '../domain/maintenance';
import type { DbClient } from './db';

/**
 * Tables written all day (ingestion, matching, delivery, health): the ones whose dead rows and
 * planner statistics are worth a nightly VACUUM (ANALYZE) beyond what autovacuum does. Tables not
 * (yet) in the schema are skipped.
 */
export const BUSY_TABLES = [
  'notifications',
  'transactions',
  'filings',
  'health_checks',
  'users',
  'alert_rules',
  'source_state',
] as const;

/** The busy tables that exist in the current schema. */
export async function existingTables(db: DbClient, names: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY ($1::text[])`,
    [names],
  );
  const present = new Set(rows.map((r) => r.t));
  return names.filter((n) => present.has(n));
}

/** VACUUM (ANALYZE) one table; it cannot run inside a transaction, so it gets a statement of its own. */
export async function vacuumAnalyze(db: DbClient, table: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  await db.query(`VACUUM (ANALYZE) "${table}"`);
}

/** Size (with indexes and TOAST) and live/dead row estimates of every table of the schema, largest first. */
export async function measureTables(db: DbClient): Promise<TableStat[]> {
  const { rows } = await db.query<TableStat>(
    `SELECT s.relname::text AS "table", pg_total_relation_size(s.relid)::bigint AS "totalBytes",
            s.n_live_tup::bigint AS "liveRows", s.n_dead_tup::bigint AS "deadRows",
            CASE WHEN s.n_live_tup + s.n_dead_tup = 0 THEN 0
                 ELSE round(s.n_dead_tup::numeric / (s.n_live_tup + s.n_dead_tup), 4)::float8 END AS "deadRatio"
       FROM pg_stat_user_tables s WHERE s.schemaname = current_schema()
      ORDER BY 2 DESC, 1`,
  );
  return rows;
}

/** Keep one run's measurements; a retried run rewrites its own rows. */
export async function recordTableStats(
  db: DbClient,
  runId: string,
  stats: readonly TableStat[],
): Promise<number> {
  if (stats.length === 0) return 0;
  const r = await db.query(
    `INSERT INTO table_stats (run_id, table_name, total_bytes, live_rows, dead_rows, dead_ratio)
     SELECT $1, s."table", s."totalBytes", s."liveRows", s."deadRows", s."deadRatio"
       FROM jsonb_to_recordset($2::jsonb) AS s("table" text, "totalBytes" bigint, "liveRows" bigint,
                                               "deadRows" bigint, "deadRatio" float8)
     ON CONFLICT (run_id, table_name) DO UPDATE SET recorded_at = now(), total_bytes = EXCLUDED.total_bytes,
       live_rows = EXCLUDED.live_rows, dead_rows = EXCLUDED.dead_rows, dead_ratio = EXCLUDED.dead_ratio`,
    [runId, JSON.stringify(stats)],
  );
  return r.rowCount ?? 0;
}

/** Exact row counts of every table of the schema (a restore check; reads every row). */
export async function exactRowCounts(db: DbClient): Promise<Record<string, number>> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of rows) {
    const r = await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM "${t.replaceAll('"', '""')}"`);
    counts[t] = r.rows[0]!.n;
  }
  return counts;
}
