import type { ActivityDeps } from '../activities/deps';
import { createDiscoveryActivities } from '../activities/discovery';
import { createHealthActivities } from '../activities/health';
import { createIngestionActivities } from '../activities/ingestion';
import { createMatchActivities } from '../activities/match';
import { createMemberActivities } from '../activities/members';
import { createNotifyActivities } from '../activities/notify';
import { createPriceActivities } from '../activities/prices';
import { TASK_QUEUES, type TaskQueue } from '../domain/taskQueues';
import type { Mailer } from '../mail/mailer';
import type { EfdClient } from '../sources/senate/efdClient';

type ActivityMap = Record<string, (...args: never[]) => Promise<unknown>>;

/** What a worker process holds once and shares between its queues' activities. */
export interface WorkerResources {
  /** The pooled SMTP transport. */
  mailer: Mailer;
  /** One Senate eFD session, shared by discovery and page fetches. */
  efd: EfdClient;
}

/** Which activities each task queue's worker runs. */
export function activitiesFor(queue: TaskQueue, deps: ActivityDeps, resources: WorkerResources): ActivityMap {
  switch (queue) {
    case TASK_QUEUES.healthChecks:
      return { ...createHealthActivities(deps) };
    case TASK_QUEUES.dataIngestion:
      return {
        ...createDiscoveryActivities(deps, { efd: resources.efd }),
        ...createIngestionActivities(deps, { efd: resources.efd }),
        ...createMatchActivities(deps),
        ...createMemberActivities(deps),
      };
    case TASK_QUEUES.notifications:
      return { ...createNotifyActivities(deps, { mailer: resources.mailer }) };
    case TASK_QUEUES.priceUpdates:
      return { ...createPriceActivities(deps) };
    case TASK_QUEUES.maintenance:
      return {};
  }
}
