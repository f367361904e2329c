import type { Command } from 'commander';
import { ALL_TASK_QUEUES, isTaskQueue, type TaskQueue } from '../../domain/taskQueues';
import { createProcessLogger } from '../../ops/logFiles';
import { migrate } from '../../store/migrate';
import { cliConfig, withContext } from '../context';
import { collect } from '../options';

export function registerWorkerCommands(program: Command): void {
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
      // Loaded here, not at the top: the worker package and every activity, which `--help` need not wait for.
      const { runWorkers } = await import('../../workers/runWorkers');
      const workers = await runWorkers({ config, queues, logger, bundleApart: true });
      await workers.done;
      process.exit(process.exitCode ?? 0);
    });
}
