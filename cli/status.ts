import proto from '@temporalio/proto';
import { ALL_TASK_QUEUES } from '../domain/taskQueues';
import { listSchedules } from '../schedules/manage';
import { latestHealthChecks } from '../store/healthChecks';
import type { CommandContext } from './context';
import { renderTable, shortTime } from './output';

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
  return { namespace, schedules: await listSchedules(client), taskQueues: queues, health };
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
    `\n${health}\n`
  );
}
