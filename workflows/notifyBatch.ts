import { proxyActivities } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify';
import type { FanOutResult, NotifyBatchInput, SendUserAlertResult } from '../domain/notifications';
import { TASK_QUEUES } from '../domain/taskQueues';
import { mapPool } from './pool';

const { listBatchRecipients } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});

// One email per call. SMTP trouble is retried with growing pauses for about an hour; a permanent
// rejection is not an error (the address is suppressed) and a config problem is not retried.
const { sendUserAlert } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['ConfigError'],
  },
});

/** Deliver to one batch of recipients (a few hundred at most, well inside history limits). */
export async function NotifyUsersBatchWorkflow(input: NotifyBatchInput): Promise<FanOutResult> {
  const users =
    input.userIds ??
    (await listBatchRecipients({
      syncId: input.syncId,
      fromUserId: input.fromUserId,
      toUserId: input.toUserId,
      mode: input.mode,
    }));
  const results = await mapPool(users, input.concurrency ?? 20, async (userId) => {
    try {
      return await sendUserAlert({ userId, mode: input.mode });
    } catch {
      return { userId, status: 'failed', notifications: 0 } as const;
    }
  });
  return tally(results);
}

export function tally(results: readonly (SendUserAlertResult | { status: 'failed' })[]): FanOutResult {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return {
    usersNotified: count('sent'),
    emailsSent: count('sent'),
    suppressed: count('suppressed'),
    failed: count('failed'),
    deferred: count('deferred'),
  };
}
