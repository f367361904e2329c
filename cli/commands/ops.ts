import type { Command } from 'commander';
import { ALL_TASK_QUEUES, isTaskQueue, type TaskQueue } from '../../domain/taskQueues';
import { migrate } from '../../store/migrate';
import { createProcessLogger } from '../../ops/logFiles';
import { runWorkers } from '../../workers/runWorkers';
import { cliConfig, withContext } from '../context';
import { outputFormat, plural, printOutput } from '../output';
import { statusText, systemStatus } from '../status';

export function registerOpsCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (idempotent)')
    .action((_opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const result = await migrate(await ctx.db());
        printOutput(outputFormat(cmd), result, () =>
          result.applied.length === 0
            ? `The database is up to date (${plural(result.alreadyApplied.length, 'migration')} applied before).\n`
            : `Applied ${plural(result.applied.length, 'migration')}: ${result.applied.join(', ')}.\n`,
        );
      }),
    );

  program
    .command('worker')
    .description('run Temporal workers (all task queues unless --queue is given)')
    .option('--queue <name>', 'a task queue to serve; repeat for several', collect, [])
    .option('--no-migrate', 'do not apply pending migrations first')
    .action(async (opts: { queue: string[]; migrate: boolean }) => {
      const unknown = opts.queue.filter((q) => !isTaskQueue(q));
      if (unknown.length)
        throw new Error(`unknown queue ${unknown.join(', ')} (known: ${ALL_TASK_QUEUES.join(', ')})`);
      const queues = (opts.queue.length ? opts.queue : ALL_TASK_QUEUES) as TaskQueue[];
      const config = cliConfig();
      const logger = await createProcessLogger(
        config,
        queues.length === 1 ? `worker-${queues[0]}` : 'worker',
      );
      if (opts.migrate) await withContext(async (ctx) => void (await migrate(await ctx.db())));
      const workers = await runWorkers({ config, queues, logger, bundleApart: true });
      await workers.done;
      process.exit(process.exitCode ?? 0);
    });

  program
    .command('status')
    .description('schedules, last runs, task-queue pollers and backlog, latest health result')
    .action((_opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const status = await systemStatus(ctx);
        printOutput(outputFormat(cmd), status, () => statusText(status));
      }),
    );
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
