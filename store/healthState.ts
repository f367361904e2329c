import type { CheckState } from '../domain/adminAlerts';
import { normalizeCheck, type HealthCheckResult, type HealthStatus } from '../domain/health';
import type { DbClient } from './db';

/** Any number, unique to health-state evaluation, for PostgreSQL's advisory lock. */
const EVALUATION_LOCK = 0x4845414c; // "HEAL"

/**
 * Serialise alert evaluations until the transaction ends. Results arrive every few minutes, so one
 * lock for all of them costs nothing, and two runs reporting the same check never both announce it.
 */
export async function lockHealthEvaluation(tx: DbClient): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [EVALUATION_LOCK]);
}

export async function readCheckStates(
  db: DbClient,
  names: readonly string[],
): Promise<Map<string, CheckState>> {
  const { rows } = await db.query<CheckState>(
    `SELECT name, status, since, problem_since AS "problemSince", last_announced_at AS "lastAnnouncedAt",
            recent_changes AS "recentChanges", flapping
       FROM health_check_state WHERE name = ANY ($1::text[])`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, r]));
}

export async function saveCheckStates(
  tx: DbClient,
  states: readonly CheckState[],
  results: readonly HealthCheckResult[],
  at: Date,
  healthCheckId: number,
): Promise<void> {
  if (states.length === 0) return;
  const resultByName = new Map(results.map((r) => [r.name, r]));
  await tx.query(
    `INSERT INTO health_check_state
            (name, status, since, problem_since, last_announced_at, recent_changes, flapping,
             last_result, last_checked_at, last_health_check_id)
     SELECT s.name, s.status, s.since, s.problem_since, s.last_announced_at, s.recent_changes, s.flapping,
            s.last_result, $2, $3
       FROM jsonb_to_recordset($1::jsonb) AS s(name text, status text, since timestamptz, problem_since timestamptz,
                                               last_announced_at timestamptz, recent_changes timestamptz[],
                                               flapping boolean, last_result jsonb)
     ON CONFLICT (name) DO UPDATE SET
       status = EXCLUDED.status, since = EXCLUDED.since, problem_since = EXCLUDED.problem_since,
       last_announced_at = EXCLUDED.last_announced_at, recent_changes = EXCLUDED.recent_changes,
       flapping = EXCLUDED.flapping, last_result = EXCLUDED.last_result,
       last_checked_at = EXCLUDED.last_checked_at, last_health_check_id = EXCLUDED.last_health_check_id`,
    [
      JSON.stringify(
        states.map((s) => ({
          name: s.name,
          status: s.status,
          since: s.since,
          problem_since: s.problemSince,
          last_announced_at: s.lastAnnouncedAt,
          // A PostgreSQL array literal, which jsonb_to_recordset reads into timestamptz[].
          recent_changes: `{${s.recentChanges.map((t) => `"${t.toISOString()}"`).join(',')}}`,
          flapping: s.flapping,
          last_result: resultByName.get(s.name) ?? null,
        })),
      ),
      at,
      healthCheckId,
    ],
  );
}

export interface CheckStateRow extends CheckState {
  lastResult: HealthCheckResult;
  lastCheckedAt: Date;
}

/** The latest state of every check, or of the named ones; worst first. */
export async function listCheckStates(db: DbClient, names?: readonly string[]): Promise<CheckStateRow[]> {
  const { rows } = await db.query<CheckStateRow>(
    `SELECT name, status, since, problem_since AS "problemSince", last_announced_at AS "lastAnnouncedAt",
            recent_changes AS "recentChanges", flapping,
            last_result AS "lastResult", last_checked_at AS "lastCheckedAt"
       FROM health_check_state
      WHERE $1::text[] IS NULL OR name = ANY ($1::text[])
      ORDER BY CASE status WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, name`,
    [names ?? null],
  );
  return rows.map((r) => ({ ...r, lastResult: normalizeCheck(r.lastResult) }));
}

/** Statuses of the named checks as last stored (absent: never seen). */
export async function lastCheckStatuses(
  db: DbClient,
  names: readonly string[],
): Promise<Map<string, HealthStatus>> {
  const { rows } = await db.query<{ name: string; status: HealthStatus }>(
    'SELECT name, status FROM health_check_state WHERE name = ANY ($1::text[])',
    [names],
  );
  return new Map(rows.map((r) => [r.name, r.status]));
}

// ---- admin emails ------------------------------------------------------------------------------

export interface AdminEmail {
  recipient: string;
  subject: string;
  text: string;
  html: string;
}

export async function insertAdminEmails(
  tx: DbClient,
  healthCheckId: number,
  emails: readonly AdminEmail[],
  at: Date,
): Promise<void> {
  for (const e of emails) {
    await tx.query(
      `INSERT INTO admin_alert_emails (health_check_id, recipient, subject, text_body, html_body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (health_check_id, recipient) DO NOTHING`,
      [healthCheckId, e.recipient, e.subject, e.text, e.html, at],
    );
  }
}

export interface PendingAdminEmail extends AdminEmail {
  id: number;
  healthCheckId: number;
  attempts: number;
  createdAt: Date;
}

/**
 * Take up to `limit` pending emails for sending, oldest first, holding each for `leaseMs`: a
 * concurrent sender skips them, and one that died leaves them to the next sender afterwards.
 */
export async function claimPendingAdminEmails(
  db: DbClient,
  at: Date,
  leaseMs: number,
  limit = 20,
): Promise<PendingAdminEmail[]> {
  const { rows } = await db.query<PendingAdminEmail>(
    `UPDATE admin_alert_emails e
        SET claimed_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000),
            attempts = e.attempts + 1
      WHERE e.id IN (SELECT id FROM admin_alert_emails
                      WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < $1)
                      ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING e.id, e.health_check_id AS "healthCheckId", e.recipient, e.subject, e.text_body AS text,
                e.html_body AS html, e.attempts, e.created_at AS "createdAt"`,
    [at, leaseMs, limit],
  );
  return rows.sort((a, b) => a.id - b.id);
}

export async function markAdminEmailSent(db: DbClient, id: number, at: Date): Promise<void> {
  await db.query(
    `UPDATE admin_alert_emails SET status = 'sent', sent_at = $2, last_error = NULL, claimed_until = NULL
      WHERE id = $1`,
    [id, at],
  );
}

/** A failed send: back to pending for the next sender, or given up (`failed`). */
export async function recordAdminEmailFailure(
  db: DbClient,
  id: number,
  error: string,
  giveUp: boolean,
): Promise<void> {
  await db.query(
    `UPDATE admin_alert_emails SET last_error = $2, claimed_until = NULL,
            status = CASE WHEN $3 THEN 'failed' ELSE status END
      WHERE id = $1`,
    [id, error, giveUp],
  );
}

export async function countPendingAdminEmails(db: DbClient): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM admin_alert_emails WHERE status = 'pending'`,
  );
  return rows[0]!.n;
}
