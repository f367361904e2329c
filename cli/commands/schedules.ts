import type { Command } from 'commander';
import { scheduleTable } from '../../domain/schedules';
import { applySchedules } from '../../schedules/apply';
import { IMPLEMENTED_WORKFLOWS } from '../../workers/registeredWorkflows';
import {
  backfillSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
} from '../../schedules/manage';
import { printJson, withContext } from '../context';

export function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('manage the Temporal Schedules');

  schedules
    .command('apply')
    .description("create or update every schedule (keeps an operator's pause)")
    .action(() =>
      withContext(async (ctx) => {
        const client = await ctx.temporal();
        const defs = scheduleTable(ctx.config.schedules);
        printJson(
          await applySchedules(client, defs, {
            timezone: ctx.config.schedules.timezone,
            implementedWorkflows: IMPLEMENTED_WORKFLOWS,
          }),
        );
      }),
    );

  schedules
    .command('list')
    .action(() => withContext(async (ctx) => printJson(await listSchedules(await ctx.temporal()))));

  schedules
    .command('describe <id>')
    .action((id: string) =>
      withContext(async (ctx) => printJson(await describeSchedule(await ctx.temporal(), id))),
    );

  schedules
    .command('trigger <id>')
    .description('start a run now (skipped if one is already running)')
    .action((id: string) =>
      withContext(async (ctx) => {
        await triggerSchedule(await ctx.temporal(), id);
        printJson({ id, triggered: true });
      }),
    );

  schedules
    .command('pause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action((id: string, opts: { note?: string }) =>
      withContext(async (ctx) => {
        await pauseSchedule(await ctx.temporal(), id, opts.note);
        printJson({ id, paused: true });
      }),
    );

  schedules
    .command('unpause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action((id: string, opts: { note?: string }) =>
      withContext(async (ctx) => {
        await unpauseSchedule(await ctx.temporal(), id, opts.note);
        printJson({ id, paused: false });
      }),
    );

  schedules
    .command('backfill <id>')
    .requiredOption('--from <time>', 'ISO date/time')
    .requiredOption('--to <time>', 'ISO date/time')
    .action((id: string, opts: { from: string; to: string }) =>
      withContext(async (ctx) => {
        const from = parseTime(opts.from, '--from');
        const to = parseTime(opts.to, '--to');
        await backfillSchedule(await ctx.temporal(), id, from, to);
        printJson({ id, backfill: { from: from.toISOString(), to: to.toISOString() } });
      }),
    );
}

function parseTime(s: string, flag: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag}: not a date/time: ${s}`);
  return d;
}
