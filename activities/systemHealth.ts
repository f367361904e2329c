import type { Client } from '@temporalio/client';
import { durationMs } from '../domain/config';
import type { HealthCheckResult } from '../domain/health';
import {
  assessDatabase,
  assessDisk,
  assessFilings,
  assessMemory,
  assessNotifications,
  assessSchedule,
  assessSmtp,
  assessSourceSync,
  assessTaskQueue,
  missingDisk,
} from '../domain/healthAssessments';
import { ALL_TASK_QUEUES } from '../domain/taskQueues';
import { probeSmtp } from '../mail/smtpProbe';
import { diskUsage } from '../ops/diskUsage';
import { memoryUsage } from '../ops/memoryUsage';
import { probeSchedules, probeTaskQueue } from '../ops/temporalHealth';
import {
  failedNotificationsSince,
  filingBacklog,
  lastSuccessfulSyncs,
  measureDatabase,
} from '../store/healthMeasures';
import { lastCheckStatuses } from '../store/healthState';
import type { ActivityDeps } from './deps';

const DAY = 86_400_000;

/** What the health checks need beyond the database: the Temporal API, and a clock tests can move. */
export interface HealthResources {
  temporal: () => Promise<Client>;
  now?: () => Date;
}

/**
 * The checks of SystemHealthWorkflow, one activity each. A check reports what it finds, problems
 * included, as results; it throws only when it cannot look at all (the workflow reports that too).
 */
export function createSystemHealthActivities({ config, db }: ActivityDeps, res: HealthResources) {
  const h = config.health;
  const now = res.now ?? (() => new Date());
  const tradeSyncMs = durationMs(config.schedules.tradeSyncInterval);

  return {
    async checkDisks(): Promise<HealthCheckResult[]> {
      const results = await Promise.all(
        h.diskPaths.map(async (path) => {
          try {
            return assessDisk(await diskUsage(path), h.diskPercent);
          } catch (err) {
            return missingDisk(path, (err as Error).message);
          }
        }),
      );
      return results.flat();
    },

    async checkMemory(): Promise<HealthCheckResult[]> {
      return [assessMemory(await memoryUsage(), h.memoryPercent)];
    },

    async checkDatabase(): Promise<HealthCheckResult[]> {
      try {
        return assessDatabase(await measureDatabase(db), {
          latencyMs: h.dbLatencyMs,
          connectionsPercent: h.dbConnectionsPercent,
          transactionMs: h.dbTransactionMs,
          sizeGb: h.dbSizeGb,
        });
      } catch (err) {
        return [
          {
            name: 'database',
            status: 'critical',
            value: null,
            unit: 'ms',
            threshold: h.dbLatencyMs,
            detail: `the database does not answer: ${(err as Error).message}`,
            action: 'Check that PostgreSQL runs and DATABASE_URL points at it',
          },
        ];
      }
    },

    async checkSmtp(): Promise<HealthCheckResult[]> {
      return [assessSmtp(await probeSmtp(config.mail.smtpUrl))];
    },

    async checkTaskQueues(): Promise<HealthCheckResult[]> {
      const client = await res.temporal();
      const probes = await Promise.all(
        ALL_TASK_QUEUES.map((q) =>
          probeTaskQueue(client, config.temporal.namespace, q, {
            now: now().getTime(),
            staleAfterMs: h.pollerStaleAfterMs,
          }),
        ),
      );
      // "No pollers for two runs" needs the previous run's finding; without the database, judge this run alone.
      const previous = await lastCheckStatuses(
        db,
        probes.map((p) => `queue:${p.name}:pollers`),
      ).catch(() => new Map());
      return probes.flatMap((p) =>
        assessTaskQueue(p, previous.get(`queue:${p.name}:pollers`), {
          backlog: h.queueBacklog,
          taskAgeMs: h.queueTaskAgeMs,
        }),
      );
    },

    async checkSchedules(): Promise<HealthCheckResult[]> {
      return (await probeSchedules(await res.temporal())).map(assessSchedule);
    },

    async checkSources(): Promise<HealthCheckResult[]> {
      const at = now();
      const [syncs, filings, notifications] = await Promise.all([
        lastSuccessfulSyncs(db),
        filingBacklog(db, {
          olderThan: new Date(at.getTime() - 2 * tradeSyncMs),
          failedSince: new Date(at.getTime() - DAY),
        }),
        failedNotificationsSince(db, new Date(at.getTime() - DAY)),
      ]);
      return [
        ...syncs.map((s) => assessSourceSync(s.source, s.lastSuccessAt, at, tradeSyncMs)),
        ...assessFilings(filings, { failed: h.failedFilings }, 2 * tradeSyncMs),
        assessNotifications(notifications, h.failedNotifications),
      ];
    },
  };
}

export type SystemHealthActivities = ReturnType<typeof createSystemHealthActivities>;
