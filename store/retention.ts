import type { DatabaseCleanupKind } from '../domain/maintenance';
import type { DbClient } from './db';

/**
 * Retention of what the database keeps. Each kind is one table and one condition; rows past it are
 * deleted (or, for notification bodies, their bulky columns cleared) a batch at a time, each batch
 * its own short statement, so no lock is held for long and the writers of the day never wait.
 */
interface RetentionRule {
  table: string;
  /** SQL over the table's row `x`, with `$1` = retention in days. */
  expired: string;
  /** The indexed order a batch is taken in, so each batch reads only the rows it takes. */
  order: string;
  /** `delete` the rows, or run this `SET` on them. */
  action: 'delete' | { set: string };
}

const RULES: Record<DatabaseCleanupKind, RetentionRule> = {
  'health-results': {
    table: 'health_checks',
    expired: `x.checked_at < now() - make_interval(days => $1)`,
    order: 'x.checked_at',
    action: 'delete',
  },
  'table-stats': {
    table: 'table_stats',
    expired: `x.recorded_at < now() - make_interval(days => $1)`,
    order: 'x.recorded_at',
    action: 'delete',
  },
  reports: {
    table: 'reports',
    expired: `x.period_to < (now() - make_interval(days => $1))::date`,
    order: 'x.id',
    action: 'delete',
  },
  // The email's content lives in the columns cleared here; the row itself, unique per (user,
  // transaction), is what stops a re-run or an amendment from alerting the user a second time.
  'notification-bodies': {
    table: 'notifications',
    expired: `x.body_cleared_at IS NULL AND x.status IN ('sent', 'suppressed')
              AND COALESCE(x.sent_at, x.created_at) < now() - make_interval(days => $1)`,
    order: 'COALESCE(x.sent_at, x.created_at)',
    action: { set: `reasons = '{}', rule_ids = '{}', last_error = NULL, body_cleared_at = now()` },
  },
  // Only when NOTIFICATION_LEDGER_RETENTION_DAYS is set: rows of trades filed so long ago that their
  // filing is no longer amended. Pending rows (still to be delivered) are never taken.
  'notification-ledger': {
    table: 'notifications',
    expired: `x.status <> 'pending' AND COALESCE(x.sent_at, x.created_at) < now() - make_interval(days => $1)
              AND EXISTS (SELECT 1 FROM transactions t JOIN filings f ON f.id = t.filing_id
                           WHERE t.id = x.transaction_id
                             AND COALESCE(f.filed_date, f.first_seen_at::date) < (now() - make_interval(days => $1))::date)`,
    order: 'x.id',
    action: 'delete',
  },
};

/** How many rows `kind` would remove now. */
export async function countExpired(db: DbClient, kind: DatabaseCleanupKind, days: number): Promise<number> {
  const rule = RULES[kind];
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${rule.table} x WHERE ${rule.expired}`,
    [days],
  );
  return rows[0]!.n;
}

/**
 * Remove what `kind` keeps no longer, `batchSize` rows per statement, until none is left; `onBatch`
 * hears the running total (for heartbeats). Safe to repeat: a second run finds nothing.
 */
export async function removeExpired(
  db: DbClient,
  kind: DatabaseCleanupKind,
  days: number,
  batchSize: number,
  onBatch?: (removedSoFar: number) => void,
): Promise<number> {
  const rule = RULES[kind];
  const batch = `SELECT x.id FROM ${rule.table} x WHERE ${rule.expired} ORDER BY ${rule.order} LIMIT $2`;
  const statement =
    rule.action === 'delete'
      ? `DELETE FROM ${rule.table} WHERE id IN (${batch})`
      : `UPDATE ${rule.table} SET ${rule.action.set} WHERE id IN (${batch})`;
  let removed = 0;
  for (;;) {
    const r = await db.query(statement, [days, batchSize]);
    const n = r.rowCount ?? 0;
    removed += n;
    onBatch?.(removed);
    if (n < batchSize) return removed;
  }
}
