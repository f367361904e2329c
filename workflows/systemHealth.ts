import { proxyActivities } from '@temporalio/workflow';
import type { SystemHealthActivities } from '../activities/systemHealth';
import type { HealthRunResult } from '../domain/health';
import { runChecks } from './healthRun';

// A check that cannot answer in its time is itself the finding: one quick retry, then it is reported
// as a failed check. Timeouts fit what each one waits on.
const retry = { maximumAttempts: 2, initialInterval: '1 second' };

// statfs on a hung network mount can block: bound it.
const { checkDisks } = proxyActivities<SystemHealthActivities>({ startToCloseTimeout: '30 seconds', retry });
// Reads a few files under /proc and /sys.
const { checkMemory } = proxyActivities<SystemHealthActivities>({ startToCloseTimeout: '10 seconds', retry });
// The pool's connect timeout is 10 s; then a handful of catalog queries.
const { checkDatabase } = proxyActivities<SystemHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});
// Connect + greeting timeouts of 10 s each, STARTTLS and AUTH on top.
const { checkSmtp } = proxyActivities<SystemHealthActivities>({ startToCloseTimeout: '45 seconds', retry });
// Two DescribeTaskQueue calls per queue, in parallel.
const { checkTaskQueues } = proxyActivities<SystemHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});
// Lists the schedules and describes each one's last runs: a few dozen calls.
const { checkSchedules } = proxyActivities<SystemHealthActivities>({
  startToCloseTimeout: '1 minute',
  retry,
});
// Three indexed queries.
const { checkSources } = proxyActivities<SystemHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/**
 * Disks, memory, PostgreSQL, the mail relay, the task queues, the schedules and the sources; the
 * result is stored and admins are told what changed (schedule `system-health`, and `capitolscope health`).
 */
export async function SystemHealthWorkflow(): Promise<HealthRunResult> {
  return runChecks({
    disk: checkDisks,
    memory: checkMemory,
    database: checkDatabase,
    smtp: checkSmtp,
    'task-queues': checkTaskQueues,
    schedules: checkSchedules,
    sources: checkSources,
  });
}
