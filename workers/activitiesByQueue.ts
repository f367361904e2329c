import type { ActivityDeps } from '../activities/deps';
import { createHealthActivities } from '../activities/health';
import { TASK_QUEUES, type TaskQueue } from '../domain/taskQueues';

type ActivityMap = Record<string, (...args: never[]) => Promise<unknown>>;

/** Which activities each task queue's worker runs. */
export function activitiesFor(queue: TaskQueue, deps: ActivityDeps): ActivityMap {
  switch (queue) {
    case TASK_QUEUES.healthChecks:
      return { ...createHealthActivities(deps) };
    case TASK_QUEUES.dataIngestion:
    case TASK_QUEUES.notifications:
    case TASK_QUEUES.priceUpdates:
    case TASK_QUEUES.maintenance:
      return {};
  }
}
