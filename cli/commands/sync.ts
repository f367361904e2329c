import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import type { SyncSource, TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { printJson, withContext } from '../context';
import { oneOf } from '../options';

export function registerSyncCommands(program: Command): void {
  program
    .command('sync')
    .description('run a trade sync now')
    .option('--source <source>', 'house, senate or all', 'all')
    .option('--wait', 'wait for it to finish and print its summary')
    .option('--force', 'start even while another trade sync is running')
    .action((opts: { source: string; wait?: boolean; force?: boolean }) =>
      withContext(async (ctx) => {
        const source = oneOf('--source', opts.source, ['house', 'senate', 'all'] as const);
        const sources: SyncSource[] = source === 'all' || !source ? ['house', 'senate'] : [source];
        const client = await ctx.temporal();
        if (!opts.force) {
          // Overlapping syncs are safe (ingestion and notifications are idempotent) but only waste work.
          const running = await runningTradeSyncs(client);
          if (running.length > 0) {
            throw new Error(
              `a trade sync is already running (${running.join(', ')}); wait for it, or pass --force`,
            );
          }
        }
        const handle = await client.workflow.start('TradeSyncWorkflow', {
          taskQueue: TASK_QUEUES.dataIngestion,
          workflowId: `trade-sync-manual-${new Date().toISOString()}`,
          args: [{ sources }],
          workflowRunTimeout: '2 hours',
        });
        if (!opts.wait) {
          printJson({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
          return;
        }
        printJson((await handle.result()) as TradeSyncSummary);
      }),
    );
}

/** Ids of the TradeSyncWorkflow executions still running, scheduled or manual. */
async function runningTradeSyncs(client: Client): Promise<string[]> {
  const ids: string[] = [];
  const query = `WorkflowType = 'TradeSyncWorkflow' AND ExecutionStatus = 'Running'`;
  for await (const wf of client.workflow.list({ query, pageSize: 10 })) {
    ids.push(wf.workflowId);
    if (ids.length >= 5) break;
  }
  return ids;
}
