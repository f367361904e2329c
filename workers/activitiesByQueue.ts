import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities/deps';
import { createDiscoveryActivities } from '../activities/discovery';
import { createHealthActivities } from '../activities/health';
import { createIngestionActivities } from '../activities/ingestion';
import { createMaintenanceActivities } from '../activities/maintenance';
import { createMatchActivities } from '../activities/match';
import { createMemberActivities } from '../activities/members';
import { createNotifyActivities } from '../activities/notify';
import { createReportActivities } from '../activities/reports';
import { createRoundTripActivities } from '../activities/roundTrip';
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
  /** The Temporal API, for the health checks (task queues, schedules); connected on first use. */
  temporal: () => Promise<Client>;
}

/** Which activities each task queue's worker runs; every queue also answers `capitolscope test`. */
export function activitiesFor(queue: TaskQueue, deps: ActivityDeps, resources: WorkerResources): ActivityMap {
  return { ...createRoundTripActivities(), ...queueActivities(queue, deps, resources) };
}

function queueActivities(queue: TaskQueue, deps: ActivityDeps, resources: WorkerResources): ActivityMap {
  switch (queue) {
    case TASK_QUEUES.healthChecks:
      return { ...createHealthActivities(deps, resources) };
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
      return {
        ...createMaintenanceActivities(deps),
        ...createReportActivities(deps, { mailer: resources.mailer }),
      };
  }
}
