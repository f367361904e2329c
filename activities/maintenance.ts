import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  backupFileName,
  backupsToRemove,
  configFolderName,
  type BackupPruneResult,
  type BackupTaken,
  type BackupVerification,
  type CleanupKindResult,
  type ConfigCopyResult,
  type DatabaseCleanupKind,
  type TableStatsResult,
  type VacuumResult,
} from '../domain/maintenance';
import {
  BackupError,
  dumpDatabase,
  ensureBackupDir,
  listBackupFiles,
  removeBackupFile,
  verifyBackupFile,
} from '../ops/backup';
import { copyConfigFiles } from '../ops/configCopy';
import { pruneOldLogFiles } from '../ops/logFiles';
import { findPgTools, PgToolsError, serverMajor, type PgTools } from '../ops/pgTools';
import {
  getBackup,
  recordBackupFailed,
  recordBackupsRemoved,
  recordBackupVerification,
  recordBackupWritten,
  schemaTables,
  serverVersion,
  startBackupRecord,
} from '../store/backups';
import {
  BUSY_TABLES,
  existingTables,
  measureTables,
  recordTableStats,
  vacuumAnalyze,
} from '../store/databaseCare';
import { countExpired, removeExpired } from '../store/retention';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';

/**
 * Backups, database care and retention, for DailyMaintenanceWorkflow, WeeklyCleanupWorkflow and the
 * `backup` and `cleanup` commands (which call these same functions in-process, with `onProgress`
 * showing what a heartbeat would carry).
 */
export function createMaintenanceActivities(
  { config, db, logger }: ActivityDeps,
  opts: { onProgress?: (note: string) => void; now?: () => Date } = {},
) {
  const now = opts.now ?? (() => new Date());
  const progress = (note: string) => {
    opts.onProgress?.(note);
    inActivity()?.heartbeat(note);
  };
  /** Long steps heartbeat every few seconds (a large table can take minutes with no progress line). */
  const beating = <T>(fn: () => Promise<T>): Promise<T> => (inActivity() ? heartbeating(fn) : fn());
  const dir = config.backup.dir;
  const databaseUrl = () => {
    if (!config.databaseUrl) throw ApplicationFailure.nonRetryable('DATABASE_URL is not set', 'ConfigError');
    return config.databaseUrl;
  };
  const tools = async (): Promise<{ tools: PgTools; server: string }> => {
    const server = await serverVersion(db);
    try {
      return {
        tools: await findPgTools(config.backup.pgBinDir, serverMajor(server.versionNum)),
        server: server.version,
      };
    } catch (err) {
      // Missing or too old tools need an operator, not another attempt.
      if (err instanceof PgToolsError) throw ApplicationFailure.nonRetryable(err.message, 'PgToolsError');
      throw err;
    }
  };

  /** Delete backups past BACKUP_RETENTION_DAYS, keeping the newest BACKUP_MIN_KEEP however old. */
  async function pruneBackups(input: { dryRun?: boolean } = {}): Promise<BackupPruneResult> {
    const files = await listBackupFiles(dir);
    const expired = backupsToRemove(files, now(), config.backup);
    if (!input.dryRun) {
      for (const f of expired) await removeBackupFile(dir, f.name);
      await recordBackupsRemoved(
        db,
        expired.map((f) => f.name),
      );
    }
    return {
      removed: expired.map((f) => f.name),
      kept: files.length - expired.length,
      bytesFreed: expired.reduce((n, f) => n + f.bytes, 0),
    };
  }

  return {
    /** pg_dump the database into BACKUP_DIR, named for the run's start (a retry rewrites the same file). */
    takeBackup: (input: { stamp: string }): Promise<BackupTaken> =>
      beating(async () => {
        const file = backupFileName(input.stamp);
        await ensureBackupDir(dir);
        const { tools: t, server } = await tools();
        const backupId = await startBackupRecord(db, { file, directory: dir, workflowId: workflowId() });
        try {
          const { bytes, durationMs } = await dumpDatabase({
            tools: t,
            databaseUrl: databaseUrl(),
            file: join(dir, file),
            onProgress: (table) => progress(`dumping ${table}`),
            signal: inActivity()?.cancellationSignal,
          });
          const taken = { bytes, durationMs, pgDumpVersion: t.version, serverVersion: server };
          await recordBackupWritten(db, backupId, taken);
          activityLog(logger).info('backup written', { file, ...taken });
          return { backupId, file, ...taken };
        } catch (err) {
          await recordBackupFailed(db, backupId, (err as Error).message);
          if (err instanceof BackupError) {
            // pg_dump's own failure (connection lost, disk full): worth another try or two.
            throw ApplicationFailure.retryable(err.message, 'BackupError');
          }
          throw err;
        }
      }),

    /** Read the backup back: every table of the schema listed, every data block readable. */
    verifyBackup: (input: { backupId: number }): Promise<BackupVerification> =>
      beating(async () => {
        const backup = await getBackup(db, input.backupId);
        if (!backup) throw ApplicationFailure.nonRetryable(`no backup ${input.backupId}`, 'BackupNotFound');
        const { tools: t } = await tools();
        const { schema, tables } = await schemaTables(db);
        const v = await verifyBackupFile({
          tools: t,
          file: join(backup.directory, backup.file),
          schema,
          expectedTables: tables,
          onProgress: (table) => progress(`reading ${table}`),
          signal: inActivity()?.cancellationSignal,
        });
        await recordBackupVerification(db, input.backupId, { ...v, tablesExpected: tables.length });
        const result = { backupId: input.backupId, file: backup.file, tablesExpected: tables.length, ...v };
        if (v.verified)
          activityLog(logger).info('backup verified', { file: backup.file, tables: tables.length });
        else
          activityLog(logger).error('backup could not be verified', { file: backup.file, reason: v.reason });
        return result;
      }),

    /** Copy BACKUP_CONFIG_PATHS beside the backup, secrets masked. */
    async copyBackupConfig(input: { backupId: number }): Promise<ConfigCopyResult> {
      const backup = await getBackup(db, input.backupId);
      if (!backup) throw ApplicationFailure.nonRetryable(`no backup ${input.backupId}`, 'BackupNotFound');
      if (config.backup.configPaths.length === 0) return { folder: null, copied: 0, masked: 0, missing: [] };
      const result = await copyConfigFiles(
        config.backup.configPaths,
        join(backup.directory, configFolderName(backup.file)),
      );
      if (result.missing.length)
        activityLog(logger).warn('configuration files not found', { missing: result.missing });
      return result;
    },

    pruneBackups,

    /** Backups past retention, as one kind of the weekly clean-up. */
    async cleanupBackups(input: { dryRun?: boolean } = {}): Promise<CleanupKindResult> {
      const r = await pruneBackups(input);
      const { retentionDays, minKeep } = config.backup;
      return {
        kind: 'backups',
        removed: r.removed.length,
        rule: `older than ${retentionDays} days, the newest ${minKeep} always kept`,
        bytesFreed: r.bytesFreed,
      };
    },

    /** VACUUM (ANALYZE) the busy tables, one statement each (no long transaction). */
    vacuumBusyTables: (): Promise<VacuumResult> =>
      beating(async () => {
        const started = Date.now();
        const tables = await existingTables(db, BUSY_TABLES);
        for (const table of tables) {
          progress(`vacuuming ${table}`);
          await vacuumAnalyze(db, table);
        }
        return { tables, durationMs: Date.now() - started };
      }),

    /** Table sizes and dead-row ratios, kept in `table_stats`. */
    async recordTableStatistics(): Promise<TableStatsResult> {
      const stats = await measureTables(db);
      const recorded = await recordTableStats(db, runId(), stats);
      const worst = [...stats].sort((a, b) => b.deadRatio - a.deadRatio)[0];
      return {
        recorded,
        totalBytes: stats.reduce((n, s) => n + s.totalBytes, 0),
        largest: stats.slice(0, 3).map((s) => ({ table: s.table, bytes: s.totalBytes })),
        mostDead: worst && worst.deadRatio > 0 ? { table: worst.table, deadRatio: worst.deadRatio } : null,
      };
    },

    /** One kind of database retention: delete (or count, for a dry run) what is past it, in batches. */
    async cleanupDatabase(input: {
      kind: DatabaseCleanupKind;
      dryRun?: boolean;
    }): Promise<CleanupKindResult> {
      const days = retentionDays(config.retention, input.kind);
      if (days === 0) return { kind: input.kind, removed: 0, rule: 'kept forever' };
      const rule = `older than ${days} days`;
      const removed = input.dryRun
        ? await countExpired(db, input.kind, days)
        : await removeExpired(db, input.kind, days, config.retention.batchSize, (n) =>
            progress(`${input.kind}: ${n} removed`),
          );
      return { kind: input.kind, removed, rule };
    },

    /** Log files in LOG_DIR past LOG_RETENTION_DAYS (the newest of each stream always stays). */
    async cleanupLogFiles(input: { dryRun?: boolean } = {}): Promise<CleanupKindResult> {
      const { dir: logDir, retentionDays: days } = config.logFiles;
      if (!logDir) return { kind: 'log-files', removed: 0, rule: 'LOG_DIR is not set' };
      const r = await pruneOldLogFiles(logDir, days, now(), Boolean(input.dryRun));
      return {
        kind: 'log-files',
        removed: r.removed.length,
        rule: `older than ${days} days`,
        bytesFreed: r.bytesFreed,
      };
    },
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;

function retentionDays(r: ActivityDeps['config']['retention'], kind: DatabaseCleanupKind): number {
  switch (kind) {
    case 'health-results':
    case 'table-stats':
      return r.healthDays;
    case 'notification-bodies':
      return r.notificationBodyDays;
    case 'notification-ledger':
      return r.notificationLedgerDays;
    case 'reports':
      return r.reportDays;
  }
}

function inActivity(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

function workflowId(): string | null {
  return inActivity()?.info.workflowExecution?.workflowId ?? null;
}

/** Names one run's measurements: the workflow run, or the moment a command ran. */
function runId(): string {
  return inActivity()?.info.workflowExecution?.runId ?? `manual-${new Date().toISOString()}`;
}
