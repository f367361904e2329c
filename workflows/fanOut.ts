import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DeliveryMode, NotifyActivities } from '../activities/notify';
import type { FanOutResult } from '../domain/sync';
import { TASK_QUEUES } from '../domain/taskQueues';
import { NotifyUsersBatchWorkflow } from './notifyBatch';
import { mapPool } from './pool';

/** Recipients per child workflow: a few hundred activities per history, far below Temporal's limits. */
export const BATCH_SIZE = 200;
/** Child workflows at once. */
const PARALLEL_BATCHES = 4;

const { planRecipientBatches } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});

/**
 * Per-user deliveries in batches: one child workflow per ~200 recipients, so 10,000+ recipients stay
 * far inside a history's event and pending-activity limits.
 */
export async function fanOutNotifications(syncId: string | null, mode: DeliveryMode): Promise<FanOutResult> {
  const batches = await planRecipientBatches({ syncId, size: BATCH_SIZE, mode });
  const parentId = workflowInfo().workflowId;
  const results = await mapPool(batches, PARALLEL_BATCHES, (b) =>
    executeChild(NotifyUsersBatchWorkflow, {
      workflowId: `${parentId}/notify-${b.fromUserId}-${b.toUserId}`,
      taskQueue: TASK_QUEUES.notifications,
      args: [{ syncId, fromUserId: b.fromUserId, toUserId: b.toUserId, mode }],
    }),
  );
  return sumFanOut(results);
}

export function sumFanOut(results: readonly FanOutResult[]): FanOutResult {
  return results.reduce<FanOutResult>(
    (a, r) => ({
      usersNotified: a.usersNotified + r.usersNotified,
      emailsSent: a.emailsSent + r.emailsSent,
      suppressed: a.suppressed + r.suppressed,
      failed: a.failed + r.failed,
      deferred: a.deferred + r.deferred,
    }),
    { usersNotified: 0, emailsSent: 0, suppressed: 0, failed: 0, deferred: 0 },
  );
}
