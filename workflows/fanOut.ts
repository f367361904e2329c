import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify';
import type {
  DeliveryMode,
  DeliveryRetryPolicy,
  FanOutResult,
  NotifyBatchInput,
} from '../domain/notifications';
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
 * Everyone with something pending for this sync (or, with no sync, everyone with anything pending),
 * in batches of about 200 recipients, so 10,000+ recipients stay far inside a history's limits.
 */
export async function fanOutNotifications(
  syncId: string | null,
  mode: DeliveryMode,
  retry?: DeliveryRetryPolicy,
): Promise<FanOutResult> {
  const batches = await planRecipientBatches({ syncId, size: BATCH_SIZE, mode });
  return deliverInBatches(
    'notify',
    batches.map((b) => ({
      syncId,
      fromUserId: b.fromUserId,
      toUserId: b.toUserId,
      mode,
      ...(retry ? { retry } : {}),
    })),
  );
}

/** Exactly these digest users (those whose digest is due), in batches of about 200. */
export async function fanOutDigests(userIds: readonly number[]): Promise<FanOutResult> {
  const batches: NotifyBatchInput[] = [];
  for (let i = 0; i < userIds.length; i += BATCH_SIZE) {
    const ids = userIds.slice(i, i + BATCH_SIZE);
    batches.push({ syncId: null, fromUserId: ids[0]!, toUserId: ids.at(-1)!, mode: 'digest', userIds: ids });
  }
  return deliverInBatches('digest', batches);
}

/** One child workflow per batch, a few at once; each child's id names its user range. */
async function deliverInBatches(
  kind: 'notify' | 'digest',
  batches: NotifyBatchInput[],
): Promise<FanOutResult> {
  const parentId = workflowInfo().workflowId;
  const results = await mapPool(batches, PARALLEL_BATCHES, (batch) =>
    executeChild(NotifyUsersBatchWorkflow, {
      workflowId: `${parentId}/${kind}-${batch.fromUserId}-${batch.toUserId}`,
      taskQueue: TASK_QUEUES.notifications,
      args: [batch],
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
