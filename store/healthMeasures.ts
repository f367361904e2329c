import type { DatabaseMeasures } from '../domain/healthAssessments';
import type { DbClient } from './db';
import { SOURCE_STATE_KEYS } from './sourceState';

export async function measureDatabase(db: DbClient): Promise<DatabaseMeasures> {
  const started = performance.now();
  await db.query('SELECT 1');
  const roundTripMs = performance.now() - started;
  const { rows } = await db.query<{
    connections: number;
    maxConnections: number;
    oldestMs: number | null;
    oldestQuery: string | null;
    sizeBytes: number;
  }>(
    `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
            current_setting('max_connections')::int
              - current_setting('superuser_reserved_connections')::int AS "maxConnections",
            oldest.ms AS "oldestMs", oldest.query AS "oldestQuery",
            pg_database_size(current_database())::float8 AS "sizeBytes"
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT extract(epoch FROM now() - xact_start) * 1000 AS ms, left(query, 200) AS query
           FROM pg_stat_activity
          WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
            AND backend_type = 'client backend'
          ORDER BY xact_start LIMIT 1) oldest ON true`,
  );
  const r = rows[0]!;
  return {
    roundTripMs,
    connections: r.connections,
    maxConnections: r.maxConnections,
    oldestTransactionMs: r.oldestMs === null ? null : Number(r.oldestMs),
    oldestTransactionQuery: r.oldestQuery,
    sizeBytes: r.sizeBytes,
  };
}

export async function lastSuccessfulSyncs(
  db: DbClient,
): Promise<{ source: keyof typeof SOURCE_STATE_KEYS; lastSuccessAt: Date | null }[]> {
  const { rows } = await db.query<{ source: string; lastSuccessAt: Date | null }>(
    `SELECT source, last_success_at AS "lastSuccessAt" FROM source_state WHERE source = ANY ($1::text[])`,
    [Object.values(SOURCE_STATE_KEYS)],
  );
  return (Object.keys(SOURCE_STATE_KEYS) as (keyof typeof SOURCE_STATE_KEYS)[]).map((source) => ({
    source,
    lastSuccessAt: rows.find((r) => r.source === SOURCE_STATE_KEYS[source])?.lastSuccessAt ?? null,
  }));
}

export interface FilingBacklog {
  /** Filings still `discovered` though first seen (or retried) before `olderThan`. */
  stuck: number;
  oldestStuckAt: Date | null;
  failedSince: number;
  failedTotal: number;
}

export async function filingBacklog(
  db: DbClient,
  opts: { olderThan: Date; failedSince: Date },
): Promise<FilingBacklog> {
  const { rows } = await db.query<FilingBacklog>(
    `SELECT count(*) FILTER (WHERE status = 'discovered' AND COALESCE(retried_at, first_seen_at) < $1)::int AS stuck,
            min(COALESCE(retried_at, first_seen_at)) FILTER (WHERE status = 'discovered') AS "oldestStuckAt",
            count(*) FILTER (WHERE status = 'failed' AND failed_at >= $2)::int AS "failedSince",
            count(*) FILTER (WHERE status = 'failed')::int AS "failedTotal"
       FROM filings WHERE status IN ('discovered', 'failed')`,
    [opts.olderThan, opts.failedSince],
  );
  return rows[0]!;
}

export async function failedNotificationsSince(
  db: DbClient,
  since: Date,
): Promise<{ failedSince: number; failedTotal: number; lastError: string | null }> {
  const { rows } = await db.query<{ failedSince: number; failedTotal: number; lastError: string | null }>(
    `SELECT count(*) FILTER (WHERE failed_at >= $1)::int AS "failedSince", count(*)::int AS "failedTotal",
            (SELECT last_error FROM notifications WHERE status = 'failed' AND failed_at >= $1
              ORDER BY failed_at DESC LIMIT 1) AS "lastError"
       FROM notifications WHERE status = 'failed'`,
    [since],
  );
  return rows[0]!;
}
