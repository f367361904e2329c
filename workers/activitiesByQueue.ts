import type { ActivityDeps } from '../activities/deps';
import type { Mailer } from '../mail/mailer';
import { createHealthActivities } from '../activities/health';
import { createIngestActivities } from '../activities/ingest';
import { createMatchActivities } from '../activities/match';
import { createMemberActivities } from '../activities/members';
import { createNotifyActivities } from '../activities/notify';
import { TASK_QUEUES, type TaskQueue } from '../domain/taskQueues';

type ActivityMap = Record<string, (...args: never[]) => Promise<unknown>>;

/** Which activities each task queue's worker runs. */
export function activitiesFor(
  queue: TaskQueue,
  deps: ActivityDeps,
  resources: { mailer: Mailer },
): ActivityMap {
  switch (queue) {
    case TASK_QUEUES.healthChecks:
      return { ...createHealthActivities(deps) };
    case TASK_QUEUES.dataIngestion:
      return {
        ...createIngestActivities(deps),
        ...createMatchActivities(deps),
        ...createMemberActivities(deps),
      };
    case TASK_QUEUES.notifications:
      return { ...createNotifyActivities(deps, { mailer: resources.mailer }) };
    case TASK_QUEUES.priceUpdates:
    case TASK_QUEUES.maintenance:
      return {};
  }
}
