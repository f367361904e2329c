import proto from '@temporalio/proto';
import { ALL_TASK_QUEUES } from '../domain/taskQueues';
import { listSchedules } from '../schedules/manage';
import { latestHealthChecks } from '../store/healthChecks';
import type { CommandContext } from './context';

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
  const health = db instanceof Error ? { error: db.message } : ((await latestHealthChecks(db))[0] ?? null);
  return { namespace, schedules: await listSchedules(client), taskQueues: queues, health };
}
