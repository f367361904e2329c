import { proxyActivities } from '@temporalio/workflow';
import type { HealthReportActivities, RelayHealthReport } from '../domain/notifications';

// Storing a result is a few rows (and the admin emails of a change); a database hiccup is retried.
const { storeHealthResult } = proxyActivities<HealthReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});

/**
 * Store a check that another workflow found (a notification batch's `smtp-relay`), on the
 * health-checks queue: one run per report, so each is its own stored result, and the workflow that
 * found it never waits for the health worker.
 */
export async function ReportHealthCheckWorkflow(checks: RelayHealthReport[]): Promise<void> {
  await storeHealthResult(checks);
}
