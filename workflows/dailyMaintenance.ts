import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { HealthResultActivities } from '../activities/healthResults';
import type { MaintenanceActivities } from '../activities/maintenance';
import type { HealthCheckResult } from '../domain/health';
import type { DailyMaintenanceInput, DailyMaintenanceResult } from '../domain/maintenance';
import { TASK_QUEUES } from '../domain/taskQueues';

// A dump of a large database takes minutes to an hour. It heartbeats while pg_dump runs, so a hung
// dump is told apart from a long one. pg_dump failing (connection lost, disk full) is tried twice
// more; missing or too old client tools wait for an operator.
const { takeBackup } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '90 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '1 minute',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['PgToolsError', 'ConfigError'],
  },
});

// Reading the dump back costs about as much as writing it. An unreadable file is a result
// (verified: false), not an error: only the database or the tools being unavailable are retried.
const { verifyBackup } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '60 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '30 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['PgToolsError', 'BackupNotFound'],
  },
});

// Small file work: quick, and safe to repeat (each rewrites its own result).
const { copyBackupConfig, pruneBackups } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 5 },
});

// VACUUM of a busy table can take a while on a large database; it heartbeats meanwhile.
const { vacuumBusyTables } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '60 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 minute', maximumAttempts: 3 },
});

const { recordTableStatistics } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 5 },
});

// The backup's health result must land (it is how a failed backup reaches the administrators):
// retried for several minutes, on the health-checks queue that owns the health record.
const { storeHealthResult } = proxyActivities<HealthResultActivities>({
  taskQueue: TASK_QUEUES.healthChecks,
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

/**
 * Back up the database and read the backup back, copy the configuration beside it, apply backup
 * retention, then VACUUM (ANALYZE) the busy tables and record table sizes (schedule
 * `daily-maintenance`). A failed or unverifiable backup is stored as a critical `backup` health
 * result, and fails the run once the database care is done.
 */
export async function DailyMaintenanceWorkflow(
  input: DailyMaintenanceInput = {},
): Promise<DailyMaintenanceResult> {
  let backup: DailyMaintenanceResult['backup'] = { status: 'skipped' };
  let configFiles: DailyMaintenanceResult['configFiles'] = null;
  let backupsRemoved = 0;
  let healthRecordId: number | null = null;

  if (!input.skipBackup) {
    const { result, backupId } = await backUp(workflowInfo().startTime.toISOString());
    backup = result;
    if (backupId !== null) {
      const copied = await copyBackupConfig({ backupId });
      configFiles = { copied: copied.copied, masked: copied.masked, missing: copied.missing };
    }
    // Old backups go only once a new one is known good.
    if (backup.status === 'verified') backupsRemoved = (await pruneBackups({})).removed.length;
    healthRecordId = (await storeHealthResult([backupCheck(backup)])).id;
  }

  const vacuum = await vacuumBusyTables();
  const tableStats = await recordTableStatistics();
  const result: DailyMaintenanceResult = {
    backup,
    configFiles,
    backupsRemoved,
    vacuumed: vacuum.tables,
    tableStats,
    healthRecordId,
  };
  if (backup.status === 'failed' || backup.status === 'unverified') {
    throw ApplicationFailure.create({
      message: `backup ${backup.status}: ${backup.reason}`,
      type: 'BackupFailed',
      nonRetryable: true,
      details: [result],
    });
  }
  return result;
}

async function backUp(
  stamp: string,
): Promise<{ result: DailyMaintenanceResult['backup']; backupId: number | null }> {
  let taken;
  try {
    taken = await takeBackup({ stamp });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { result: { status: 'failed', file: null, reason: failureMessage(err) }, backupId: null };
  }
  const v = await verifyBackup({ backupId: taken.backupId });
  if (!v.verified) {
    return {
      result: { status: 'unverified', file: taken.file, reason: v.reason ?? 'unknown' },
      backupId: taken.backupId,
    };
  }
  return {
    result: {
      status: 'verified',
      file: taken.file,
      bytes: taken.bytes,
      durationMs: taken.durationMs,
      tables: v.tablesListed,
    },
    backupId: taken.backupId,
  };
}

const BACKUP_ACTION =
  'take one by hand with `capitolscope backup` and read its error (disk space in BACKUP_DIR, pg_dump ' +
  'version, database access); the deployment guide, "Backups", lists the causes';

function backupCheck(b: DailyMaintenanceResult['backup']): HealthCheckResult {
  switch (b.status) {
    case 'verified':
      return {
        name: 'backup',
        status: 'ok',
        value: b.bytes,
        unit: 'bytes',
        detail: `${b.file}: ${(b.bytes / 2 ** 20).toFixed(1)} MiB in ${(b.durationMs / 1000).toFixed(1)} s, ${b.tables} tables verified`,
      };
    case 'unverified':
      return {
        name: 'backup',
        status: 'critical',
        value: null,
        unit: 'bytes',
        detail: `backup ${b.file} could not be verified: ${b.reason}`,
        action: BACKUP_ACTION,
      };
    default:
      return {
        name: 'backup',
        status: 'critical',
        value: null,
        unit: 'bytes',
        detail: `backup failed: ${b.status === 'failed' ? b.reason : 'not taken'}`,
        action: BACKUP_ACTION,
      };
  }
}

/** The activity's own message (pg_dump's words), not Temporal's wrapper. */
function failureMessage(err: ActivityFailure): string {
  return err.cause?.message ?? err.message;
}
