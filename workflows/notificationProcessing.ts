import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify';
import type { FanOutResult } from '../domain/sync';
import { TASK_QUEUES } from '../domain/taskQueues';
import { BATCH_SIZE, fanOutNotifications, sumFanOut } from './fanOut';
import { NotifyUsersBatchWorkflow } from './notifyBatch';
import { mapPool } from './pool';

const { findDueDigestUsers, expireStaleNotifications } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10 },
});

export interface NotificationProcessingResult {
  digests: FanOutResult;
  /** Instant alerts sent late: deferred past quiet hours, or left pending by an earlier failure. */
  pending: FanOutResult;
  expired: number;
}

/**
 * Every 30 minutes (schedule `notification-processing`): daily and weekly digests for users whose
 * local digest hour has come, alerts deferred by quiet hours whose time has come, notifications a
 * failure left pending, and stale ones marked failed.
 */
export async function NotificationProcessingWorkflow(): Promise<NotificationProcessingResult> {
  const { expired } = await expireStaleNotifications();
  const digestUsers = await findDueDigestUsers();
  const batches: number[][] = [];
  for (let i = 0; i < digestUsers.length; i += BATCH_SIZE) batches.push(digestUsers.slice(i, i + BATCH_SIZE));
  const parentId = workflowInfo().workflowId;
  const digests = sumFanOut(
    await mapPool(batches, 4, (userIds) =>
      executeChild(NotifyUsersBatchWorkflow, {
        workflowId: `${parentId}/digest-${userIds[0]}-${userIds.at(-1)}`,
        taskQueue: TASK_QUEUES.notifications,
        args: [{ syncId: null, fromUserId: userIds[0]!, toUserId: userIds.at(-1)!, mode: 'digest', userIds }],
      }),
    ),
  );
  const pending = await fanOutNotifications(null, 'instant');
  return { digests, pending, expired };
}
