import type { DbClient } from './db';

/** The record of a backup being taken; a retried run takes over the row of its own file. */
export async function startBackupRecord(
  db: DbClient,
  b: { file: string; directory: string; workflowId: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO backups (file, directory, workflow_id) VALUES ($1, $2, $3)
     ON CONFLICT (file) DO UPDATE SET directory = EXCLUDED.directory, workflow_id = EXCLUDED.workflow_id,
       status = 'running', started_at = now(), finished_at = NULL, error = NULL, verified_at = NULL
     RETURNING id`,
    [b.file, b.directory, b.workflowId],
  );
  return rows[0]!.id;
}

export async function recordBackupWritten(
  db: DbClient,
  id: number,
  b: { bytes: number; durationMs: number; pgDumpVersion: string; serverVersion: string },
): Promise<void> {
  await db.query(
    `UPDATE backups SET status = 'written', finished_at = now(), bytes = $2, duration_ms = $3,
            pg_dump_version = $4, server_version = $5 WHERE id = $1`,
    [id, b.bytes, b.durationMs, b.pgDumpVersion, b.serverVersion],
  );
}

export async function recordBackupFailed(db: DbClient, id: number, error: string): Promise<void> {
  await db.query(`UPDATE backups SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [
    id,
    error,
  ]);
}

export async function recordBackupVerification(
  db: DbClient,
  id: number,
  v: { verified: boolean; tablesExpected: number; tablesListed: number; reason: string | null },
): Promise<void> {
  await db.query(
    `UPDATE backups SET status = $2, tables_expected = $3, tables_listed = $4, error = $5,
            verified_at = CASE WHEN $2 = 'verified' THEN now() END
      WHERE id = $1`,
    [id, v.verified ? 'verified' : 'unverified', v.tablesExpected, v.tablesListed, v.reason],
  );
}

export async function recordBackupsRemoved(db: DbClient, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  await db.query(
    `UPDATE backups SET removed_at = now() WHERE file = ANY ($1::text[]) AND removed_at IS NULL`,
    [files],
  );
}

export async function getBackup(
  db: DbClient,
  id: number,
): Promise<{ file: string; directory: string } | null> {
  const { rows } = await db.query<{ file: string; directory: string }>(
    'SELECT file, directory FROM backups WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** The tables of the schema the application uses, which every backup must hold. */
export async function schemaTables(db: DbClient): Promise<{ schema: string; tables: string[] }> {
  const { rows } = await db.query<{ schema: string; tables: string[] | null }>(
    `SELECT current_schema() AS schema,
            (SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()) AS tables`,
  );
  return { schema: rows[0]!.schema, tables: rows[0]!.tables ?? [] };
}

/** Whether the database holds any table of its own (a restore target must not, unless forced). */
export async function userTableCount(db: DbClient): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  );
  return rows[0]!.n;
}

export async function serverVersion(db: DbClient): Promise<{ version: string; versionNum: number }> {
  const { rows } = await db.query<{ version: string; num: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`,
  );
  return { version: rows[0]!.version.split(' ')[0]!, versionNum: Number(rows[0]!.num) };
}
