import type { ActivityDeps } from '../activities/deps';
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
}

/**
 * Which activities each task queue's worker runs. Each queue loads only its own modules: a
 * notifications worker never loads the PDF, HTML and ZIP parsers of ingestion (well over 100 MB).
 */
export async function activitiesFor(
  queue: TaskQueue,
  deps: ActivityDeps,
  resources: WorkerResources,
): Promise<ActivityMap> {
  switch (queue) {
    case TASK_QUEUES.healthChecks: {
      const { createHealthActivities } = await import('../activities/health');
      return { ...createHealthActivities(deps) };
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
    case TASK_QUEUES.priceUpdates:
    case TASK_QUEUES.maintenance:
      return {};
  }
}
