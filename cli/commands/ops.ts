import type { Command } from 'commander';
import { migrate } from '../../store/migrate';
import { withContext } from '../context';
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
    .command('status')
    .description('schedules, last runs, task-queue pollers and backlog, latest health result')
    .action((_opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const status = await systemStatus(ctx);
        printOutput(outputFormat(cmd), status, () => statusText(status));
      }),
    );
}
