import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common';

export interface ScheduleOverview {
  id: string;
  workflowType: string | null;
  paused: boolean;
  note: string | null;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; workflowId: string }[];
  runningWorkflows: string[];
}

export function overview(id: string, d: ScheduleDescription): ScheduleOverview {
  return {
    id,
    workflowType: d.action.type === 'startWorkflow' ? d.action.workflowType : null,
    paused: d.state.paused,
    note: d.state.note ?? null,
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.slice(-5).map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    runningWorkflows: d.info.runningActions.map((a) => a.workflow.workflowId),
  };
}

export async function listSchedules(client: Client): Promise<ScheduleOverview[]> {
  const out: ScheduleOverview[] = [];
  for await (const s of client.schedule.list()) {
    out.push(overview(s.scheduleId, await client.schedule.getHandle(s.scheduleId).describe()));
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function describeSchedule(client: Client, id: string): Promise<ScheduleOverview> {
  return overview(id, await client.schedule.getHandle(id).describe());
}

/** Run now; SKIP rather than the API's default ALLOW_ALL, so a manual run never overlaps a running one. */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
}

export async function pauseSchedule(client: Client, id: string, note?: string): Promise<void> {
  await client.schedule.getHandle(id).pause(note ?? 'paused with capitolscope');
}

export async function unpauseSchedule(client: Client, id: string, note?: string): Promise<void> {
  await client.schedule.getHandle(id).unpause(note ?? 'unpaused with capitolscope');
}

/** Start the runs the schedule would have started between `from` and `to` (one at a time). */
export async function backfillSchedule(client: Client, id: string, from: Date, to: Date): Promise<void> {
  if (!(from < to)) throw new Error('backfill: --from must be before --to');
  await client.schedule
    .getHandle(id)
    .backfill({ start: from, end: to, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
}

/** The start times the schedule's spec gives between `from` and `to`: the runs a backfill of that window starts. */
export async function matchingTimes(client: Client, id: string, from: Date, to: Date): Promise<Date[]> {
  const res = await client.workflowService.listScheduleMatchingTimes({
    namespace: client.options.namespace,
    scheduleId: id,
    startTime: msToTs(from.getTime()),
    endTime: msToTs(to.getTime()),
  });
  return (res.startTime ?? []).map((t) => new Date(tsToMs(t)));
}

/** How many runs the schedule started for times in `from`..`to`, and how many of those have finished. */
export async function scheduledRunsBetween(
  client: Client,
  id: string,
  from: Date,
  to: Date,
): Promise<{ started: number; finished: number }> {
  const window = `TemporalScheduledById = '${id.replaceAll("'", "\\'")}' AND TemporalScheduledStartTime >= '${from.toISOString()}' AND TemporalScheduledStartTime <= '${to.toISOString()}'`;
  const [started, running] = await Promise.all([
    client.workflow.count(window),
    client.workflow.count(`${window} AND ExecutionStatus = 'Running'`),
  ]);
  return { started: started.count, finished: started.count - running.count };
}
