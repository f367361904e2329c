import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance';
import {
  CLEANUP_KINDS,
  type CleanupKindResult,
  type WeeklyCleanupInput,
  type WeeklyCleanupResult,
} from '../domain/maintenance';

// Each kind deletes in batches of short statements and heartbeats after each, so a large backlog
// takes long without being stuck; a retry continues where the last attempt stopped (what was
// deleted stays deleted).
const { cleanupDatabase, cleanupLogFiles, cleanupBackups } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * Remove what is past its retention, one kind after the other (schedule `weekly-cleanup`): old
 * health results and table statistics, the bodies of old delivered notifications (their ledger row
 * stays), old reports, log files and backups. The result says how much of each went.
 */
export async function WeeklyCleanupWorkflow(input: WeeklyCleanupInput = {}): Promise<WeeklyCleanupResult> {
  const dryRun = Boolean(input.dryRun);
  const kinds: CleanupKindResult[] = [];
  for (const kind of CLEANUP_KINDS) {
    if (kind === 'log-files') kinds.push(await cleanupLogFiles({ dryRun }));
    else if (kind === 'backups') kinds.push(await cleanupBackups({ dryRun }));
    else kinds.push(await cleanupDatabase({ kind, dryRun }));
  }
  return { dryRun, kinds, removed: kinds.reduce((n, k) => n + k.removed, 0) };
}
