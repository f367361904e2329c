import { proxyActivities } from '@temporalio/workflow';
import type { HealthResultActivities } from '../activities/healthResults';
import type { HealthCheckResult } from '../domain/health';

// Storing a result is a few rows (and the admin emails of a change); a database hiccup is retried.
const { storeHealthResult } = proxyActivities<HealthResultActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});

/**
 * Store checks that another workflow found (a notification batch's `smtp-relay`), on the
 * health-checks queue: one run per report, so each is a stored result of its own (results are kept
 * per run), and the workflow that found it never waits for the health worker.
 */
export async function ReportHealthCheckWorkflow(checks: HealthCheckResult[]): Promise<void> {
  await storeHealthResult(checks);
}
