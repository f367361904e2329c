import type { WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import {
  TRADE_SYNC_PROGRESS_QUERY,
  type SyncSource,
  type TradeSyncProgress,
  type TradeSyncSummary,
} from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { withContext } from '../context';
import { runningWorkflows } from '../runningWorkflows';
import { oneOf } from '../options';
import { outputFormat, plural, printOutput, renderFields } from '../output';
import { startProgress } from '../progress';

export function registerSyncCommands(program: Command): void {
  program
    .command('sync')
    .description('run a trade sync now')
    .option('--source <source>', 'house, senate or all', 'all')
    .option('--wait', 'wait for it to finish (with progress on a terminal) and print its summary')
    .option('--force', 'start even while another trade sync is running')
    .action((opts: { source: string; wait?: boolean; force?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const source = oneOf('--source', opts.source, ['house', 'senate', 'all'] as const);
        const sources: SyncSource[] = source === 'all' || !source ? ['house', 'senate'] : [source];
        const client = await ctx.temporal();
        if (!opts.force) {
          // Overlapping syncs are safe (ingestion and notifications are idempotent) but only waste work.
          const running = await runningWorkflows(client, 'TradeSyncWorkflow');
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
        const format = outputFormat(cmd);
        if (!opts.wait) {
          const started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
          printOutput(
            format,
            started,
            () =>
              `Started trade sync ${handle.workflowId}.\n` +
              `Follow it in the Web UI, or: capitolscope sync --wait (next time), ` +
              `temporal workflow describe --workflow-id ${handle.workflowId}\n`,
          );
          return;
        }
        const summary = await resultWithProgress(handle);
        printOutput(format, summary, () => summaryText(summary));
      }),
    );
}

/** The run's result, showing where it stands (from its progress query) on a terminal meanwhile. */
async function resultWithProgress(handle: WorkflowHandle): Promise<TradeSyncSummary> {
  const progress = startProgress('Trade sync');
  let finished = false;
  const result = handle.result().finally(() => (finished = true)) as Promise<TradeSyncSummary>;
  const poll = (async () => {
    while (!finished) {
      const p = await handle.query<TradeSyncProgress>(TRADE_SYNC_PROGRESS_QUERY).catch(() => null);
      if (p) {
        if (p.stage === 'ingesting')
          progress.update(p.filingsIngested, `ingesting ${p.filingsToIngest} filings`);
        else progress.update(p.filingsIngested, p.stage);
      }
      await Promise.race([result.catch(() => undefined), new Promise((ok) => setTimeout(ok, 1000))]);
    }
  })();
  try {
    return await result;
  } finally {
    await poll;
    progress.done();
  }
}

function summaryText(s: TradeSyncSummary): string {
  const sources = Object.entries(s.sources)
    .map(([name, d]) => {
      const found = d.baseline
        ? `${name}: first sync (baseline, alerts nobody), ${plural(d.newFilings, 'filing')}`
        : d.unchanged
          ? `${name}: unchanged`
          : `${name}: ${plural(d.newFilings, 'new filing')}`;
      return d.rejected > 0 ? `${found}, ${plural(d.rejected, 'row')} rejected` : found;
    })
    .join('; ');
  const rejected = Object.values(s.sources).some((d) => d.rejected > 0);
  const f = s.filings;
  return (
    `Trade sync ${s.syncId} finished.\n` +
    renderFields([
      ['Sources', sources || 'none could be synced'],
      [
        'Filings',
        `${f.new} new; ${f.parsed} parsed, ${f.paper} paper, ${f.pending} waiting for their document, ` +
          `${f.failed} failed, ${f.unchanged} unchanged`,
      ],
      ['Transactions', `${s.transactions} new`],
      ['Alerts', `${plural(s.notifications, 'notification')}, ${plural(s.corrections, 'correction')}`],
      ['Emails', `${plural(s.emailsSent, 'email')} to ${plural(s.usersNotified, 'user')}`],
    ]) +
    (f.failed > 0 ? 'Failed filings and why: capitolscope filings list --status failed\n' : '') +
    (rejected ? 'Rejected listing rows and why: capitolscope filings rejected\n' : '')
  );
}
