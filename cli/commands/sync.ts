import type { Command } from 'commander';
import type { SyncSource, TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { printJson, withContext } from '../context';

export function registerSyncCommands(program: Command): void {
  program
    .command('sync')
    .description('run a trade sync now')
    .option('--source <source>', 'house, senate or all', 'all')
    .option('--wait', 'wait for it to finish and print its summary')
    .action((opts: { source: string; wait?: boolean }) =>
      withContext(async (ctx) => {
        if (!['house', 'senate', 'all'].includes(opts.source)) {
          throw new Error(`--source must be house, senate or all, not "${opts.source}"`);
        }
        const sources: SyncSource[] =
          opts.source === 'all' ? ['house', 'senate'] : [opts.source as SyncSource];
        const client = await ctx.temporal();
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
