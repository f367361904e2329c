import { proxyActivities } from '@temporalio/workflow';
import type { RoundTripActivities } from '../activities/roundTrip';
import type { RoundTripResult } from '../domain/health';

// On the workflow's own queue. No retry: `capitolscope test` measures one honest round trip, and the
// command gives up on a queue nobody polls by itself.
const { roundTrip } = proxyActivities<RoundTripActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** `capitolscope test`: a workflow task and an activity task on one queue, there and back. */
export async function RoundTripWorkflow(): Promise<RoundTripResult> {
  return roundTrip();
}
