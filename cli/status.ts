import proto from '@temporalio/proto';
import type { Config } from '../domain/config';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../domain/taskQueues';
import type { Db } from '../store/db';
import { listSchedules } from '../schedules/manage';
import { latestHealthChecks } from '../store/healthChecks';
import { deliveryBacklog } from '../store/notifications';
import type { CommandContext } from './context';
import { plural, renderTable, shortTime } from './output';

const { TaskQueueType } = proto.temporal.api.enums.v1;

/** One JSON document an operator (or a monitoring probe) reads to see the whole system. */
export async function systemStatus(ctx: CommandContext) {
  const client = await ctx.temporal();
  const namespace = ctx.config.temporal.namespace;
  const queues = await Promise.all(
    ALL_TASK_QUEUES.map(async (name) => {
      const describe = (taskQueueType: number) =>
        client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name },
          taskQueueType,
          includeTaskQueueStatus: true,
        });
      const [wf, act] = await Promise.all([
        describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
        describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
      ]);
      return {
        name,
        workflowPollers: wf.pollers.length,
        activityPollers: act.pollers.length,
        activityBacklog: Number(act.taskQueueStatus?.backlogCountHint ?? 0),
      };
    }),
  );
  const db = await ctx.db().catch((err: Error) => err);
  const health =
    db instanceof Error
      ? { error: db.message }
      : ((await latestHealthChecks(db, 1, 'SystemHealthWorkflow'))[0] ?? null);
  const notifications = queues.find((q) => q.name === TASK_QUEUES.notifications)!;
  const alerts =
    db instanceof Error ? null : await alertBacklog(db, ctx.config, notifications.workflowPollers);
  return { namespace, schedules: await listSchedules(client), taskQueues: queues, alerts, health };
}

/**
 * The alert emails due now and how long they will take: at the configured rate (per notifications
 * worker process, times the processes polling), or, with no limit set, at the pace of the last five
 * minutes.
 */
async function alertBacklog(db: Db, config: Config, workers: number) {
  const backlog = await deliveryBacklog(db, new Date());
  const { perSecond, source } = config.mail.sendRate;
  const rate = perSecond === null ? null : perSecond * Math.max(1, workers);
  const pace = rate ?? (backlog.recentPerSecond > 0 ? backlog.recentPerSecond : null);
  return {
    ...backlog,
    ratePerSecond: rate,
    rateSource: source,
    notificationWorkers: workers,
    estimatedSeconds:
      backlog.dueEmails === 0 ? 0 : pace === null ? null : Math.ceil(backlog.dueEmails / pace),
  };
}

type SystemStatus = Awaited<ReturnType<typeof systemStatus>>;

/** The status for people: schedules, then queues, then the latest health result. */
export function statusText(s: SystemStatus): string {
  const schedules =
    s.schedules.length === 0
      ? 'No schedules (create them with `capitolscope schedules apply`).\n'
      : renderTable(s.schedules, [
          { header: 'SCHEDULE', value: (x) => x.id },
          { header: 'WORKFLOW', value: (x) => x.workflowType },
          {
            header: 'STATE',
            value: (x) => (x.paused ? 'paused' : x.runningWorkflows.length ? 'running' : 'active'),
          },
          { header: 'NEXT RUN (UTC)', value: (x) => shortTime(x.nextRuns[0]) },
          { header: 'LAST RUN (UTC)', value: (x) => shortTime(x.recentRuns.at(-1)?.scheduledAt) },
        ]);
  const queues = renderTable(s.taskQueues, [
    { header: 'TASK QUEUE', value: (q) => q.name },
    { header: 'WORKFLOW POLLERS', value: (q) => q.workflowPollers, align: 'right' },
    { header: 'ACTIVITY POLLERS', value: (q) => q.activityPollers, align: 'right' },
    { header: 'BACKLOG', value: (q) => q.activityBacklog, align: 'right' },
  ]);
  const idle = s.taskQueues
    .filter((q) => q.workflowPollers === 0 && q.activityPollers === 0)
    .map((q) => q.name);
  const h = s.health;
  const health =
    h === null
      ? 'No health check has run yet.'
      : 'error' in h
        ? `Health unknown: the database cannot be reached (${h.error}).`
        : `Health: ${h.status} at ${shortTime(h.checkedAt)} UTC — ` +
          // Dozens of checks: name only those that need attention.
          (h.checks.some((c) => c.status !== 'ok')
            ? h.checks
                .filter((c) => c.status !== 'ok')
                .map((c) => `${c.name} ${c.status}`)
                .join(', ')
            : `all ${h.checks.length} checks ok`) +
          ' (capitolscope health runs them now).';
  return (
    `Namespace ${s.namespace}\n\n${schedules}\n${queues}` +
    (idle.length ? `No worker polls ${idle.join(', ')}.\n` : '') +
    (s.alerts ? `\n${alertsText(s.alerts)}\n` : '') +
    `\n${health}\n`
  );
}

/** `Alert backlog: 1,200 emails due now (1,500 alerts) ... about 2 min.` */
function alertsText(a: NonNullable<SystemStatus['alerts']>): string {
  const waiting = a.waitingAlerts
    ? ` ${plural(a.waitingAlerts, 'alert')} wait for their digest or the end of quiet hours.`
    : '';
  if (a.dueEmails === 0) return `Alert backlog: nothing due now.${waiting}`;
  const due = `Alert backlog: ${plural(a.dueEmails, 'email')} due now (${plural(a.dueAlerts, 'alert')}).${waiting}`;
  const pace =
    a.ratePerSecond !== null
      ? `at ${a.ratePerSecond / Math.max(1, a.notificationWorkers)} emails/s per notifications worker ` +
        `(${a.rateSource}) × ${plural(Math.max(1, a.notificationWorkers), 'worker')}`
      : a.estimatedSeconds !== null
        ? `at the last five minutes' pace (${a.recentPerSecond.toFixed(1)} emails/s; no rate limit set)`
        : null;
  if (pace === null || a.estimatedSeconds === null)
    return `${due} No rate limit is set and nothing went out lately: it takes as long as the relay needs.`;
  return `${due} ${pace[0]!.toUpperCase()}${pace.slice(1)}: about ${duration(a.estimatedSeconds)}.`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}
