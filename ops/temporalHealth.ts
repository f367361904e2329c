import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';

const { TaskQueueType } = proto.temporal.api.enums.v1;

export interface TaskQueueProbe {
  name: string;
  workflowPollers: number;
  activityPollers: number;
  /** Tasks waiting for a worker (workflow and activity tasks). */
  backlog: number;
  /** Age of the oldest waiting task, in ms; 0 when nothing waits. */
  oldestTaskAgeMs: number;
}

/**
 * Pollers and backlog of a task queue, as DescribeTaskQueue reports them (with stats). The server
 * keeps a stopped worker's pollers in its list for minutes, so only those heard from within
 * `staleAfterMs` count: a live worker renews its long poll at least once a minute.
 */
export async function probeTaskQueue(
  client: Client,
  namespace: string,
  name: string,
  opts: { now?: number; staleAfterMs?: number } = {},
): Promise<TaskQueueProbe> {
  const now = opts.now ?? Date.now();
  const staleAfterMs = opts.staleAfterMs ?? 2 * 60_000;
  const describe = (taskQueueType: number) =>
    client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name },
      taskQueueType,
      reportStats: true,
    });
  const [wf, act] = await Promise.all([
    describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  const fresh = (pollers: typeof wf.pollers) =>
    pollers.filter((p) => {
      const at = p.lastAccessTime ? tsToMs(p.lastAccessTime) : 0;
      return now - at < staleAfterMs;
    }).length;
  const count = (r: typeof wf) => Number(r.stats?.approximateBacklogCount ?? 0);
  const age = (r: typeof wf) => (r.stats?.approximateBacklogAge ? tsToMs(r.stats.approximateBacklogAge) : 0);
  return {
    name,
    workflowPollers: fresh(wf.pollers),
    activityPollers: fresh(act.pollers),
    backlog: count(wf) + count(act),
    oldestTaskAgeMs: Math.max(age(wf), age(act)),
  };
}

export type RunOutcome =
  'completed' | 'failed' | 'timed_out' | 'terminated' | 'canceled' | 'running' | 'other';

export interface ScheduleProbe {
  id: string;
  paused: boolean;
  note: string | null;
  /** The schedule's most recent runs, newest first. */
  recentRuns: { workflowId: string; outcome: RunOutcome; closedAt: Date | null }[];
}

/** Every schedule of the namespace with the outcome of its last few runs. */
export async function probeSchedules(client: Client, runsPerSchedule = 3): Promise<ScheduleProbe[]> {
  const probes: ScheduleProbe[] = [];
  for await (const s of client.schedule.list()) {
    const recent = [...s.info.recentActions]
      .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime())
      .slice(0, runsPerSchedule);
    const recentRuns = await Promise.all(
      recent.map(async (a) => {
        const workflowId = a.action.workflow.workflowId;
        try {
          const d = await client.workflow.getHandle(workflowId).describe();
          return { workflowId, outcome: toOutcome(d.status.name), closedAt: d.closeTime ?? null };
        } catch {
          // A run past the namespace's retention is gone: nothing to say about it.
          return { workflowId, outcome: 'other' as const, closedAt: null };
        }
      }),
    );
    probes.push({ id: s.scheduleId, paused: s.state.paused, note: s.state.note ?? null, recentRuns });
  }
  return probes.sort((a, b) => a.id.localeCompare(b.id));
}

function toOutcome(status: string): RunOutcome {
  switch (status) {
    case 'COMPLETED':
    case 'CONTINUED_AS_NEW':
      return 'completed';
    case 'FAILED':
      return 'failed';
    case 'TIMED_OUT':
      return 'timed_out';
    case 'TERMINATED':
      return 'terminated';
    case 'CANCELLED':
      return 'canceled';
    case 'RUNNING':
      return 'running';
    default:
      return 'other';
  }
}
