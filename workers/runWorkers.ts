import { fileURLToPath } from 'node:url';
import type { LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime, Worker, type NativeConnection } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import type { Config } from '../domain/config';
import { localSendSlots } from '../domain/mailRelay';
import { TASK_QUEUES, type TaskQueue } from '../domain/taskQueues';
import { connectDb, type Db } from '../store/db';
import { freePort } from '../ops/listen';
import { createAlertMailer } from '../mail/mailer';
import type { EfdClient } from '../sources/senate/efdClient';
import { activitiesFor } from './activitiesByQueue';
import { temporalLoggerFor, type Logger } from '../ops/logger';
import { startStatusServer } from './statusServer';
import { METRIC_HISTOGRAM_BUCKETS } from '../activities/metrics';
import { connectClient } from '../ops/temporalConnection';
import { connectWorkerConnection } from '../ops/workerConnection';
import { workflowBundle } from './workflowBundle';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let runtimeInstalled = false;

/** Route the SDK's and Core's logs into pino and expose Core's Prometheus metrics on a loopback port. */
export function installRuntime(logger: Logger, metricsBindAddress: string | null): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: quietLongSendTasks(temporalLoggerFor(logger.child({ component: 'temporal' }))),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} },
      ...(metricsBindAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: metricsBindAddress,
                histogramBucketOverrides: METRIC_HISTOGRAM_BUCKETS,
              },
            },
          }
        : {}),
    },
  });
  runtimeInstalled = true;
}

/**
 * A notification batch keeps its workflow task open while its local sends run (the SDK heartbeats it),
 * so Core's "workflow task duration exceeded 5 seconds" (TMPRL1104) is expected there: debug, not warn.
 */
function quietLongSendTasks(log: TemporalLogger): TemporalLogger {
  const expected = (message: string, meta?: LogMetadata) =>
    message.includes('TMPRL1104') && meta?.workflowType === 'NotifyUsersBatchWorkflow';
  return {
    ...log,
    log: (level, message, meta) =>
      log.log(level === 'WARN' && expected(message, meta) ? 'DEBUG' : level, message, meta),
    warn: (message, meta) => (expected(message, meta) ? log.debug(message, meta) : log.warn(message, meta)),
  };
}

export interface RunningWorkers {
  /** Resolves when every worker has stopped (after `shutdown()` or a fatal error). */
  done: Promise<void>;
  shutdown(): Promise<void>;
  statusPort: number | null;
}

/** Activities a worker runs at once on each queue (notification sends are also rate-limited). */
export function activityConcurrency(queue: TaskQueue): number {
  if (queue === TASK_QUEUES.notifications) return 20;
  if (queue === TASK_QUEUES.dataIngestion) return 8;
  return 10;
}

/** Per-queue limits; notification sends run as local activities, bounded by the relay's rate. */
function queueOptions(queue: TaskQueue, config: Config) {
  return {
    maxConcurrentActivityTaskExecutions: activityConcurrency(queue),
    ...(queue === TASK_QUEUES.notifications
      ? { maxConcurrentLocalActivityExecutions: localSendSlots(config.mail) }
      : {}),
  };
}

/**
 * Connections of the process's database pool: one per activity slot of the queues it serves (each
 * running activity, a local send marking its claim included, may hold one), plus two for the
 * process itself. A smaller pool makes activities queue for connections under load and time out; a
 * larger one only eats into `max_connections`.
 */
export function databasePoolSize(
  queues: readonly TaskQueue[],
  mail: Parameters<typeof localSendSlots>[0],
): number {
  return queues.reduce(
    (n, queue) =>
      n + activityConcurrency(queue) + (queue === TASK_QUEUES.notifications ? localSendSlots(mail) : 0),
    2,
  );
}

/** Run one worker per task queue in this process, sharing a connection, a database pool and one workflow bundle. */
export async function runWorkers(opts: {
  config: Config;
  queues: TaskQueue[];
  logger: Logger;
  statusPort?: number | null;
  connection?: NativeConnection;
  /** Workflow code to bundle (default: workflows/index.ts); benchmarks add variants beside the real ones. */
  workflowsPath?: string;
  /** Bundle the workflow code in a child process (worker processes: see workflowBundle). */
  bundleApart?: boolean;
}): Promise<RunningWorkers> {
  const { config, queues, logger } = opts;
  const statusPort = opts.statusPort === undefined ? config.workerHttpPort : opts.statusPort;
  // Core's exporter listens on a free loopback port of its own; /metrics on our port proxies it.
  const metricsAddress = statusPort === null || runtimeInstalled ? null : `127.0.0.1:${await freePort()}`;
  installRuntime(logger, metricsAddress);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required to run workers');
  if (queues.includes(TASK_QUEUES.notifications) && !config.unsubscribeSecret) {
    throw new Error(
      'UNSUBSCRIBE_SECRET is required to run the notifications queue (every alert carries an unsubscribe link)',
    );
  }
  const db = await connectDb(config.databaseUrl, databasePoolSize(queues, config.mail));
  const opened: (() => Promise<unknown>)[] = [() => db.end()];
  try {
    return await startWorkers({ ...opts, statusPort, metricsAddress, db, opened });
  } catch (err) {
    // A half-started process must not linger: release what was opened, then report.
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw err;
  }
}

async function startWorkers(opts: {
  config: Config;
  queues: TaskQueue[];
  logger: Logger;
  statusPort: number | null;
  metricsAddress: string | null;
  connection?: NativeConnection;
  workflowsPath?: string;
  bundleApart?: boolean;
  db: Db;
  opened: (() => Promise<unknown>)[];
}): Promise<RunningWorkers> {
  const { config, queues, logger, statusPort, metricsAddress, db } = opts;
  const connection = opts.connection ?? (await connectWorkerConnection(config.temporal));
  if (!opts.connection) opts.opened.push(() => connection.close());
  const bundle = await workflowBundle(opts.workflowsPath ?? WORKFLOWS_PATH, {
    apart: opts.bundleApart ?? false,
    logger,
  });
  const deps = { config, db, logger };
  const mailer = createAlertMailer(config.mail);
  opts.opened.push(async () => mailer.close());
  let efdClient: Promise<EfdClient> | null = null;
  const efd = () =>
    (efdClient ??= import('../sources/senate/efdClient').then(
      ({ EfdClient }) =>
        new EfdClient({ baseUrl: config.sites.senateEfd, minIntervalMs: config.senateRequestIntervalMs }),
    ));
  // The health checks' view of Temporal (task queues, schedules), connected on first use.
  let temporalClient: ReturnType<typeof connectClient> | null = null;
  const temporal = () =>
    (temporalClient ??= connectClient(config.temporal, 3).catch((err: unknown) => {
      temporalClient = null; // the next check tries again
      throw err;
    }));
  const closeTemporal = async () => (await temporalClient?.catch(() => null))?.connection.close();
  opts.opened.push(closeTemporal);
  const workers = new Map<TaskQueue, Worker>();
  for (const queue of queues) {
    workers.set(
      queue,
      await Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: queue,
        workflowBundle: bundle,
        activities: await activitiesFor(queue, deps, { mailer, efd, temporal }),
        // Let in-flight activities finish on deploy; systemd's TimeoutStopSec is set longer than this.
        shutdownGraceTime: `${config.shutdownGraceSeconds}s`,
        maxCachedWorkflows: config.workflowCacheSize ?? 200,
        ...queueOptions(queue, config),
      }),
    );
  }
  const status =
    statusPort === null
      ? null
      : await startStatusServer({
          port: statusPort,
          states: () => Object.fromEntries([...workers].map(([q, w]) => [q, w.getState()])),
          metricsUrl: metricsAddress ? `http://${metricsAddress}/metrics` : null,
        });
  logger.info({ queues, namespace: config.temporal.namespace, statusPort }, 'workers started');
  const done = Promise.all([...workers.values()].map((w) => w.run())).then(
    async () => {
      status?.close();
      mailer.close();
      await closeTemporal();
      await db.end();
      if (!opts.connection) await connection.close();
      logger.info('workers stopped');
    },
    async (err: unknown) => {
      status?.close();
      await db.end().catch(() => undefined);
      throw err;
    },
  );
  return {
    done,
    statusPort: status ? (status.address() as AddressInfo).port : null,
    async shutdown() {
      logger.info(
        { graceSeconds: config.shutdownGraceSeconds },
        'shutting down workers; letting activities finish',
      );
      for (const w of workers.values()) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}
