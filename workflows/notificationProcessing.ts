import { proxyActivities } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify';
import type { NotificationProcessingResult } from '../domain/notifications';
import { TASK_QUEUES } from '../domain/taskQueues';
import { fanOutDigests, fanOutNotifications } from './fanOut';

const { findDueDigestUsers, expireStaleNotifications } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10 },
});

/**
 * Every 30 minutes (schedule `notification-processing`): daily and weekly digests for users whose
 * local digest hour has come, alerts deferred by quiet hours whose time has come, notifications a
 * failure left pending, and stale ones marked failed.
 */
export async function NotificationProcessingWorkflow(): Promise<NotificationProcessingResult> {
  const { expired } = await expireStaleNotifications();
  const digests = await fanOutDigests(await findDueDigestUsers());
  const pending = await fanOutNotifications(null, 'instant');
  return { digests, pending, expired };
}
