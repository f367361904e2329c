import { proxyActivities } from '@temporalio/workflow';
import type { HealthResultActivities, ReportedCheck } from '../../../activities/healthResults';
import type { StoredHealthResult } from '../../../domain/health';

export { SystemHealthWorkflow } from '../../../workflows/systemHealth';

const { storeHealthResult } = proxyActivities<HealthResultActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/** How any workflow reports checks of its own (a backup, a relay): through storeHealthResult. */
export async function ReportChecksWorkflow(checks: ReportedCheck[]): Promise<StoredHealthResult> {
  return storeHealthResult(checks);
}
