import { proxyActivities } from '@temporalio/workflow';
import type { UpstreamHealthActivities } from '../activities/upstreamHealth';
import type { HealthRunResult } from '../domain/health';
import { runChecks } from './healthRun';

// Each probe gives its requests 20 s (the Senate's takes one, the others one); an upstream that fails
// is a finding, not an error, so only a crashed probe is retried, once.
const { checkCongressApi, checkHouseClerk, checkSenateEfd, checkPriceSource } =
  proxyActivities<UpstreamHealthActivities>({
    startToCloseTimeout: '45 seconds',
    retry: { maximumAttempts: 2, initialInterval: '5 seconds' },
  });

/**
 * Whether each upstream answers as the syncs need it to, how fast, and why not (schedule
 * `congress-api-health`). The result is stored and admins are told what changed.
 */
export async function UpstreamHealthWorkflow(): Promise<HealthRunResult> {
  return runChecks({
    'upstream:congress-api': checkCongressApi,
    'upstream:house-clerk': checkHouseClerk,
    'upstream:senate-efd': checkSenateEfd,
    'upstream:prices': checkPriceSource,
  });
}
