import { createHash } from 'node:crypto';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';
import type { ScheduleDefinition } from '../domain/schedules';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ApplyResult {
  id: string;
  outcome: ApplyOutcome;
  reason?: string;
}

export function toScheduleSpec(def: ScheduleDefinition, timezone: string): ScheduleSpec {
  if ('every' in def.timing) return { intervals: [{ every: def.timing.every as `${number}m` }], timezone };
  const { hour, minute, dayOfWeek } = def.timing.at;
  return { calendars: [{ hour, minute, ...(dayOfWeek ? { dayOfWeek } : {}) }], timezone };
}

/** Everything `apply` sets, as Temporal takes it. */
export function toScheduleOptions(def: ScheduleDefinition, timezone: string): Omit<ScheduleOptions, 'state'> {
  const spec = toScheduleSpec(def, timezone);
  const hash = definitionHash(def, timezone);
  return {
    scheduleId: def.id,
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: def.workflowType,
      taskQueue: def.taskQueue,
      // Temporal appends the scheduled time, so each run's id reads `trade-sync-2025-01-17T10:00:00Z`.
      workflowId: def.id,
      workflowRunTimeout: def.runTimeout,
      ...(def.args ? { args: def.args } : {}),
      // Which definition started a run; also how `apply` tells that nothing changed.
      memo: { scheduleDefinition: hash },
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: def.catchupWindow,
      pauseOnFailure: false,
    },
  };
}

export function definitionHash(def: ScheduleDefinition, timezone: string): string {
  return createHash('sha256').update(JSON.stringify({ def, timezone })).digest('hex').slice(0, 16);
}

/**
 * Create or update each schedule whose workflow is implemented. Idempotent: an unchanged definition
 * is not touched, and an update keeps the schedule's state, so an operator's pause survives.
 */
export async function applySchedules(
  client: Client,
  defs: ScheduleDefinition[],
  opts: { timezone: string; implementedWorkflows: readonly string[] },
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const def of defs) {
    if (!opts.implementedWorkflows.includes(def.workflowType)) {
      results.push({ id: def.id, outcome: 'skipped', reason: `${def.workflowType} is not implemented yet` });
      continue;
    }
    const desired = toScheduleOptions(def, opts.timezone);
    const handle = client.schedule.getHandle(def.id);
    let current;
    try {
      current = await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      await client.schedule.create({ ...desired, state: { note: def.description } });
      results.push({ id: def.id, outcome: 'created' });
      continue;
    }
    const currentHash =
      current.action.type === 'startWorkflow' ? current.action.memo?.scheduleDefinition : undefined;
    if (currentHash === desired.action.memo?.scheduleDefinition) {
      results.push({ id: def.id, outcome: 'unchanged' });
      continue;
    }
    await handle.update((prev) => ({
      ...prev,
      spec: desired.spec,
      action: desired.action,
      policies: { ...prev.policies, ...desired.policies },
      // Keep paused/note/remaining actions as the operator left them.
      state: prev.state,
    }));
    results.push({ id: def.id, outcome: 'updated' });
  }
  return results;
}
