import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities/deps';
import { createRoundTripActivities } from '../activities/roundTrip';
import { TASK_QUEUES, type TaskQueue } from '../domain/taskQueues';
import type { Mailer } from '../mail/mailer';
import type { EfdClient } from '../sources/senate/efdClient';

type ActivityMap = Record<string, (...args: never[]) => Promise<unknown>>;

/** What a worker process holds once and shares between its queues' activities. */
export interface WorkerResources {
  /** The pooled SMTP transport. */
  mailer: Mailer;
  /** One Senate eFD session, shared by discovery and page fetches; made when a queue first needs it. */
  efd: () => Promise<EfdClient>;
  /** The Temporal API, for the health checks (task queues, schedules); connected on first use. */
  temporal: () => Promise<Client>;
}

/**
 * Which activities each task queue's worker runs; every queue also answers `capitolscope test`. Each
 * queue loads only its own modules: a notifications worker never loads the PDF, HTML and ZIP parsers
 * of ingestion, the OCR engine or the chart renderer (well over 100 MB between them).
 */
export async function activitiesFor(
  queue: TaskQueue,
  deps: ActivityDeps,
  resources: WorkerResources,
): Promise<ActivityMap> {
  return { ...createRoundTripActivities(), ...(await queueActivities(queue, deps, resources)) };
}

async function queueActivities(
  queue: TaskQueue,
  deps: ActivityDeps,
  resources: WorkerResources,
): Promise<ActivityMap> {
  switch (queue) {
    case TASK_QUEUES.healthChecks: {
      const { createHealthActivities } = await import('../activities/health');
      return { ...createHealthActivities(deps, resources) };
    }
    case TASK_QUEUES.dataIngestion: {
      const [discovery, ingestion, match, members] = await Promise.all([
        import('../activities/discovery'),
        import('../activities/ingestion'),
        import('../activities/match'),
        import('../activities/members'),
      ]);
      const efd = await resources.efd();
      return {
        ...discovery.createDiscoveryActivities(deps, { efd }),
        ...ingestion.createIngestionActivities(deps, { efd }),
        ...match.createMatchActivities(deps),
        ...members.createMemberActivities(deps),
      };
    }
    case TASK_QUEUES.notifications: {
      const { createNotifyActivities } = await import('../activities/notify');
      return { ...createNotifyActivities(deps, { mailer: resources.mailer }) };
    }
    case TASK_QUEUES.priceUpdates: {
      const { createPriceActivities } = await import('../activities/prices');
      return { ...createPriceActivities(deps) };
    }
    case TASK_QUEUES.maintenance: {
      const [maintenance, reports] = await Promise.all([
        import('../activities/maintenance'),
        import('../activities/reports'),
      ]);
      return {
        ...maintenance.createMaintenanceActivities(deps),
        ...reports.createReportActivities(deps, { mailer: resources.mailer }),
      };
    }
  }
}
