import { normalizeCheck, normalizeStatus, type HealthCheckResult, type HealthStatus } from '../domain/health';
import type { DbClient } from './db';

/**
 * Store one run's result. Idempotent per workflow run: a retried activity gets the row it already
 * wrote, with `created: false`, so what was evaluated for it is not evaluated again.
 */
export async function recordHealthCheck(
  db: DbClient,
  r: {
    workflowId: string;
    runId: string;
    workflowType: string | null;
    status: HealthStatus;
    checks: HealthCheckResult[];
    checkedAt?: Date;
  },
): Promise<{ id: number; created: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO health_checks (workflow_id, run_id, workflow_type, status, checks, checked_at)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()))
     ON CONFLICT (workflow_id, run_id) DO NOTHING
     RETURNING id`,
    [r.workflowId, r.runId, r.workflowType, r.status, JSON.stringify(r.checks), r.checkedAt ?? null],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
  const existing = await db.query<{ id: number }>(
    'SELECT id FROM health_checks WHERE workflow_id = $1 AND run_id = $2',
    [r.workflowId, r.runId],
  );
  return { id: existing.rows[0]!.id, created: false };
}

export interface StoredHealthCheck {
  id: number;
  checkedAt: Date;
  workflowId: string | null;
  workflowType: string | null;
  status: HealthStatus;
  checks: HealthCheckResult[];
}

/** The latest results, newest first; of one workflow type when given (`SystemHealthWorkflow`). */
export async function latestHealthChecks(
  db: DbClient,
  limit = 1,
  workflowType?: string,
): Promise<StoredHealthCheck[]> {
  const { rows } = await db.query<StoredHealthCheck>(
    `SELECT id, checked_at AS "checkedAt", workflow_id AS "workflowId", workflow_type AS "workflowType",
            status, checks
       FROM health_checks
      WHERE $2::text IS NULL OR workflow_type = $2
      ORDER BY checked_at DESC, id DESC LIMIT $1`,
    [limit, workflowType ?? null],
  );
  return rows.map((r) => ({
    ...r,
    status: normalizeStatus(r.status),
    checks: r.checks.map(normalizeCheck),
  }));
}

/** Stored results by id (the `recordId` a health workflow returns). */
export async function healthChecksById(db: DbClient, ids: readonly number[]): Promise<StoredHealthCheck[]> {
  const { rows } = await db.query<StoredHealthCheck>(
    `SELECT id, checked_at AS "checkedAt", workflow_id AS "workflowId", workflow_type AS "workflowType",
            status, checks
       FROM health_checks WHERE id = ANY ($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return rows.map((r) => ({ ...r, status: normalizeStatus(r.status), checks: r.checks.map(normalizeCheck) }));
}
