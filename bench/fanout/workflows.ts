// The real workflows, and the fan-out designs the benchmark compares them with, built from the same
// activities: one regular activity per user (the design before local sends), with and without eager
// dispatch.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifyActivities } from '../../activities/notify';
import type { FanOutResult, NotifyBatchInput, SendUserAlertResult } from '../../domain/notifications';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { BATCH_SIZE, fanOutNotifications, sumFanOut } from '../../workflows/fanOut';
import { tally } from '../../workflows/notifyBatch';
import { mapPool } from '../../workflows/pool';

export * from '../../workflows';

const options = {
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
};
const { planRecipientBatches, listBatchRecipients } = proxyActivities<NotifyActivities>(options);
const plain = proxyActivities<NotifyActivities>({ ...options, allowEagerDispatch: false });
const eager = proxyActivities<NotifyActivities>({ ...options, allowEagerDispatch: true });

export interface BenchFanOutInput {
  syncId: string;
  design: 'local' | 'activity' | 'activity-eager';
}

/** A sync's fan-out alone (its notifications matched beforehand), in one of the designs. */
export async function BenchFanOutWorkflow(input: BenchFanOutInput): Promise<FanOutResult> {
  if (input.design === 'local') return fanOutNotifications(input.syncId, 'instant');
  const batches = await planRecipientBatches({ syncId: input.syncId, size: BATCH_SIZE, mode: 'instant' });
  const results = await mapPool(batches, 4, (b) =>
    executeChild(ActivityPerUserBatchWorkflow, {
      workflowId: `${workflowInfo().workflowId}/notify-${b.fromUserId}-${b.toUserId}`,
      taskQueue: TASK_QUEUES.notifications,
      args: [
        { syncId: input.syncId, fromUserId: b.fromUserId, toUserId: b.toUserId, mode: 'instant' },
        input.design === 'activity-eager',
      ],
    }),
  );
  return sumFanOut(results);
}

/** One regular activity per user, 20 at once: each scheduled, matched and polled through the server. */
export async function ActivityPerUserBatchWorkflow(
  input: NotifyBatchInput,
  useEager: boolean,
): Promise<FanOutResult> {
  const { sendUserAlert } = useEager ? eager : plain;
  const users = await listBatchRecipients(input);
  const { workflowId, runId } = workflowInfo();
  const results = await mapPool(users, 20, (userId): Promise<SendUserAlertResult> =>
    sendUserAlert({ userId, mode: input.mode, claimToken: `${workflowId}/${runId}/${userId}` }),
  );
  return tally(results);
}
