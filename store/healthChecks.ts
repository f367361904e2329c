import type { HealthCheckResult, HealthStatus } from '../domain/health';
import type { DbClient } from './db';

/** Idempotent per workflow run: a retried activity returns the row it already wrote. */
export async function recordHealthCheck(
  db: DbClient,
  r: { workflowId: string; runId: string; status: HealthStatus; checks: HealthCheckResult[] },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO health_checks (workflow_id, run_id, status, checks) VALUES ($1, $2, $3, $4)
     ON CONFLICT (workflow_id, run_id) DO UPDATE SET status = EXCLUDED.status, checks = EXCLUDED.checks
     RETURNING id`,
    [r.workflowId, r.runId, r.status, JSON.stringify(r.checks)],
  );
  return rows[0]!.id;
}

export interface StoredHealthCheck {
  id: number;
  checkedAt: Date;
  workflowId: string | null;
  status: HealthStatus;
  checks: HealthCheckResult[];
}

export async function latestHealthChecks(db: DbClient, limit = 1): Promise<StoredHealthCheck[]> {
  const { rows } = await db.query(
    `SELECT id, checked_at AS "checkedAt", workflow_id AS "workflowId", status, checks
       FROM health_checks ORDER BY checked_at DESC LIMIT $1`,
    [limit],
  );
  return rows as StoredHealthCheck[];
}
