import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../domain/config';
import {
  measurement,
  overallStatus,
  type HealthCheckResult,
  type HealthRunResult,
  type RoundTripResult,
} from '../../domain/health';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../domain/taskQueues';
import { probeTaskQueue } from '../../ops/temporalHealth';
import { healthChecksById } from '../../store/healthChecks';
import { withContext } from '../context';
import { outputFormat, plural, printOutput, renderTable } from '../output';
import { startProgress } from '../progress';

const HEALTH_WORKFLOWS = [
  { kind: 'system', type: 'SystemHealthWorkflow', idPrefix: 'system-health-manual' },
  { kind: 'upstream', type: 'UpstreamHealthWorkflow', idPrefix: 'congress-api-health-manual' },
] as const;

export function registerHealthCommands(program: Command): void {
  program
    .command('health')
    .description(
      'run the health checks now (as workflows on health-checks), wait, print them; exit 1 when one is critical',
    )
    .option(
      '--system',
      'only the system checks (disks, memory, database, mail relay, queues, schedules, sources)',
    )
    .option('--upstream', 'only the upstream checks (Congress.gov, House Clerk, Senate eFD, prices)')
    .option('--timeout <seconds>', 'give up waiting after this long', '180')
    .action((opts: { system?: boolean; upstream?: boolean; timeout: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const timeoutMs = seconds('--timeout', opts.timeout) * 1000;
        const wanted = HEALTH_WORKFLOWS.filter(
          (w) => (!opts.system && !opts.upstream) || (w.kind === 'system' ? opts.system : opts.upstream),
        );
        const client = await ctx.temporal();
        await requireWorker(
          client,
          ctx.config.temporal.namespace,
          TASK_QUEUES.healthChecks,
          ctx.config.health.pollerStaleAfterMs,
        );
        const progress = startProgress('running health checks');
        const stamp = new Date().toISOString();
        const handles = await Promise.all(
          wanted.map((w) =>
            client.workflow.start(w.type, {
              taskQueue: TASK_QUEUES.healthChecks,
              workflowId: `${w.idPrefix}-${stamp}`,
              workflowExecutionTimeout: `${Math.ceil(timeoutMs / 1000)}s`,
            }),
          ),
        );
        progress.update(0, handles.map((h) => h.workflowId).join(', '));
        const runs = await Promise.all(handles.map((h) => withTimeout(h, timeoutMs)));
        progress.done(`health checks done (${handles.map((h) => h.workflowId).join(', ')})`);
        const byId = new Map(
          (
            await healthChecksById(
              await ctx.db(),
              runs.map((r) => r.recordId),
            )
          ).map((s) => [s.id, s]),
        );
        // In the order they were asked for: system checks first.
        const stored = runs.map((r) => byId.get(r.recordId)!);
        const checks = stored.flatMap((s) => s.checks);
        const status = overallStatus(checks);
        printOutput(
          format,
          {
            status,
            runs: stored.map((s) => ({ workflowId: s.workflowId, recordId: s.id, status: s.status })),
            checks,
          },
          () => healthTable(checks, status),
        );
        if (status === 'critical') process.exitCode = 1;
      }),
    );

  program
    .command('test')
    .description('a round trip (workflow + activity) on every task queue; names a queue no worker serves')
    .option('--timeout <seconds>', 'how long to wait for each queue', '15')
    .action((opts: { timeout: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const timeoutMs = seconds('--timeout', opts.timeout) * 1000;
        const client = await ctx.temporal();
        const progress = startProgress('round trips', { total: ALL_TASK_QUEUES.length });
        let finished = 0;
        const results = await Promise.all(
          ALL_TASK_QUEUES.map(async (queue) => {
            const r = await roundTrip(client, ctx.config, queue, timeoutMs);
            progress.update(++finished, queue);
            return r;
          }),
        );
        const failed = results.filter((r) => !r.ok);
        progress.done(
          failed.length
            ? `${plural(failed.length, 'queue')} did not answer: ${failed.map((r) => r.queue).join(', ')}`
            : `all ${ALL_TASK_QUEUES.length} queues answered`,
        );
        printOutput(
          format,
          { ok: failed.length === 0, queues: results },
          () =>
            renderTable(results, [
              { header: 'QUEUE', value: (r) => r.queue },
              { header: 'RESULT', value: (r) => (r.ok ? 'ok' : 'FAILED') },
              {
                header: 'ROUND TRIP',
                value: (r) => (r.roundTripMs === null ? '' : `${r.roundTripMs} ms`),
                align: 'right',
              },
              { header: 'WORKER / REASON', value: (r) => (r.ok ? r.worker : r.reason), maxWidth: 90 },
            ]) +
            (failed.length
              ? `\n${failed.map((r) => `${r.queue}: ${r.reason}`).join('\n')}\n`
              : `\nEvery task queue answered.\n`),
        );
        if (failed.length) process.exitCode = 1;
      }),
    );
}

function healthTable(checks: readonly HealthCheckResult[], status: string): string {
  const problems = checks.filter((c) => c.status !== 'ok');
  const table = renderTable(checks, [
    { header: 'CHECK', value: (c) => c.name, maxWidth: 48 },
    { header: 'STATUS', value: (c) => c.status },
    { header: 'MEASURED', value: (c) => measurement(c) ?? '', maxWidth: 48 },
    { header: 'DETAIL', value: (c) => c.detail, maxWidth: 90 },
  ]);
  const next = problems
    .filter((c) => c.action)
    .map((c) => `  ${c.name}: ${c.action}`)
    .join('\n');
  const summary = problems.length
    ? `\n${status.toUpperCase()}: ${plural(problems.length, 'check')} of ${checks.length} need attention.\n${next ? `What to do:\n${next}\n` : ''}`
    : `\nAll ${checks.length} checks are ok.\n`;
  return table + summary;
}

/** Refuse at once, naming the remedy, rather than wait out the timeout on a queue nobody serves. */
async function requireWorker(
  client: Client,
  namespace: string,
  queue: string,
  staleAfterMs: number,
): Promise<void> {
  const q = await probeTaskQueue(client, namespace, queue, { staleAfterMs });
  if (q.workflowPollers === 0 || q.activityPollers === 0) {
    throw new Error(
      `no worker polls the ${queue} task queue, so the checks cannot run; start one: capitolscope worker --queue ${queue}`,
    );
  }
}

async function withTimeout(handle: WorkflowHandle, timeoutMs: number): Promise<HealthRunResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () =>
        fail(new Error(`${handle.workflowId} did not finish in ${timeoutMs / 1000} s; see it in the Web UI`)),
      timeoutMs,
    );
  });
  try {
    return (await Promise.race([handle.result(), timeout])) as HealthRunResult;
  } finally {
    clearTimeout(timer);
  }
}

interface QueueRoundTrip {
  queue: string;
  ok: boolean;
  roundTripMs: number | null;
  worker: string | null;
  reason: string | null;
}

/** Start the tiny workflow on `queue` and wait for it; a queue no worker serves is named after the timeout. */
async function roundTrip(
  client: Client,
  config: Config,
  queue: string,
  timeoutMs: number,
): Promise<QueueRoundTrip> {
  const started = performance.now();
  const handle = await client.workflow.start('RoundTripWorkflow', {
    taskQueue: queue,
    workflowId: `round-trip-${queue}-${new Date().toISOString()}`,
    // Nobody waits longer than this; the server ends a run that no worker picked up.
    workflowExecutionTimeout: `${Math.ceil(timeoutMs / 1000) + 5}s`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((ok) => {
    timer = setTimeout(() => ok('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([handle.result() as Promise<RoundTripResult>, timedOut]);
    if (outcome !== 'timeout') {
      return {
        queue,
        ok: true,
        roundTripMs: Math.round(performance.now() - started),
        worker: outcome.worker,
        reason: null,
      };
    }
    await handle.terminate('capitolscope test: no answer in time').catch(() => undefined);
    const q = await probeTaskQueue(client, config.temporal.namespace, queue, {
      staleAfterMs: config.health.pollerStaleAfterMs,
    }).catch(() => null);
    const reason =
      q && (q.workflowPollers === 0 || q.activityPollers === 0)
        ? `no worker polls ${queue}; start one: capitolscope worker --queue ${queue}`
        : `no answer in ${timeoutMs / 1000} s although workers poll ${queue}: they may be saturated (capitolscope status)`;
    return { queue, ok: false, roundTripMs: null, worker: null, reason };
  } catch (err) {
    return { queue, ok: false, roundTripMs: null, worker: null, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function seconds(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${option} must be a positive number of seconds, not "${value}"`);
  return n;
}
