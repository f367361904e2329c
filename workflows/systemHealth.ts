import { proxyActivities } from '@temporalio/workflow';
import type { HealthActivities } from '../activities/health';
import type { HealthStatus } from '../domain/health';

// Each check is quick; a check that cannot answer in 30 s is itself a finding, so retry only briefly.
const { checkDisk, checkMemory, checkDatabase } = proxyActivities<HealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

const { storeHealthResult } = proxyActivities<HealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, initialInterval: '2 seconds' },
});

export interface SystemHealthResult {
  status: HealthStatus;
  recordId: number;
  checks: Record<string, string>;
}

/** Check disk, memory and the database, and keep the result (schedule `system-health`). */
export async function SystemHealthWorkflow(): Promise<SystemHealthResult> {
  const checks = await Promise.all([checkDisk(), checkMemory(), checkDatabase()]);
  const { id, status } = await storeHealthResult(checks);
  return {
    status,
    recordId: id,
    checks: Object.fromEntries(checks.map((c) => [c.name, `${c.status}: ${c.detail}`])),
  };
}
