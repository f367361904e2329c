import type { Command } from 'commander';
import { scheduleTable } from '../../domain/schedules';
import { applySchedules, type ApplyResult } from '../../schedules/apply';
import {
  backfillSchedule,
  describeSchedule,
  listSchedules,
  matchingTimes,
  pauseSchedule,
  scheduledRunsBetween,
  triggerSchedule,
  unpauseSchedule,
  type ScheduleOverview,
} from '../../schedules/manage';
import { IMPLEMENTED_WORKFLOWS } from '../../workers/registeredWorkflows';
import { withContext } from '../context';
import { outputFormat, plural, printOutput, renderFields, renderTable, shortTime } from '../output';
import { startProgress } from '../progress';

export function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('manage the Temporal Schedules');

  schedules
    .command('apply')
    .description("create or update every schedule (keeps an operator's pause)")
    .action((_opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const client = await ctx.temporal();
        const defs = scheduleTable(ctx.config.schedules);
        const results = await applySchedules(client, defs, {
          timezone: ctx.config.schedules.timezone,
          implementedWorkflows: IMPLEMENTED_WORKFLOWS,
        });
        printOutput(outputFormat(cmd), results, () => appliedTable(results));
      }),
    );

  schedules
    .command('list')
    .description('every schedule: its workflow, whether paused, the next and the latest runs')
    .action((_opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const list = await listSchedules(await ctx.temporal());
        printOutput(outputFormat(cmd), list, () => schedulesTable(list));
      }),
    );

  schedules.command('describe <id>').action((id: string, _opts: unknown, cmd: Command) =>
    withContext(async (ctx) => {
      const s = await describeSchedule(await ctx.temporal(), id);
      printOutput(outputFormat(cmd), s, () => scheduleDetail(s));
    }),
  );

  schedules
    .command('trigger <id>')
    .description('start a run now (skipped if one is already running)')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        await triggerSchedule(await ctx.temporal(), id);
        printOutput(
          outputFormat(cmd),
          { id, triggered: true },
          () => `Triggered ${id}: a run starts now, unless one is still running.\n`,
        );
      }),
    );

  schedules
    .command('pause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action((id: string, opts: { note?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        await pauseSchedule(await ctx.temporal(), id, opts.note);
        printOutput(
          outputFormat(cmd),
          { id, paused: true },
          () => `Paused ${id}; \`schedules apply\` keeps it paused until \`schedules unpause ${id}\`.\n`,
        );
      }),
    );

  schedules
    .command('unpause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action((id: string, opts: { note?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        await unpauseSchedule(await ctx.temporal(), id, opts.note);
        printOutput(outputFormat(cmd), { id, paused: false }, () => `Unpaused ${id}.\n`);
      }),
    );

  schedules
    .command('backfill <id>')
    .description('start the runs the schedule would have started between two times, one after another')
    .requiredOption('--from <time>', 'ISO date/time')
    .requiredOption('--to <time>', 'ISO date/time')
    .option('--wait', 'wait until every one of those runs has finished, showing progress')
    .action((id: string, opts: { from: string; to: string; wait?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const from = parseTime(opts.from, '--from');
        const to = parseTime(opts.to, '--to');
        const client = await ctx.temporal();
        const runs = (await matchingTimes(client, id, from, to)).length;
        await backfillSchedule(client, id, from, to);
        let finished: number | null = null;
        if (opts.wait && runs > 0) {
          const progress = startProgress(`Backfilling ${id}`, { total: runs });
          for (;;) {
            const seen = await scheduledRunsBetween(client, id, from, to);
            progress.update(seen.finished, `${seen.started - seen.finished} running`);
            if (seen.finished >= runs) break;
            await new Promise((ok) => setTimeout(ok, 1000));
          }
          progress.done();
          finished = runs;
        }
        const result = { id, backfill: { from: from.toISOString(), to: to.toISOString() }, runs, finished };
        printOutput(outputFormat(cmd), result, () => {
          const window = `${shortTime(from)} to ${shortTime(to)} UTC`;
          if (runs === 0) return `No runs of ${id} fall between ${window}: nothing to backfill.\n`;
          return finished === null
            ? `Backfill of ${id} requested: ${plural(runs, 'run')} (${window}) start one after another.\n`
            : `Backfill of ${id} done: ${plural(runs, 'run')} (${window}) finished.\n`;
        });
      }),
    );
}

function appliedTable(results: ApplyResult[]): string {
  return renderTable(results, [
    { header: 'SCHEDULE', value: (r) => r.id },
    { header: 'OUTCOME', value: (r) => r.outcome },
    { header: 'WHY', value: (r) => r.reason },
  ]);
}

function schedulesTable(list: ScheduleOverview[]): string {
  if (list.length === 0) return 'No schedules (create them with `capitolscope schedules apply`).\n';
  return renderTable(list, [
    { header: 'SCHEDULE', value: (s) => s.id },
    { header: 'WORKFLOW', value: (s) => s.workflowType },
    {
      header: 'STATE',
      value: (s) => (s.paused ? 'paused' : s.runningWorkflows.length ? 'running' : 'active'),
    },
    { header: 'NEXT RUN (UTC)', value: (s) => shortTime(s.nextRuns[0]) },
    { header: 'LAST RUN (UTC)', value: (s) => shortTime(s.recentRuns.at(-1)?.scheduledAt) },
    { header: 'NOTE', value: (s) => (s.paused ? s.note : null), maxWidth: 50 },
  ]);
}

function scheduleDetail(s: ScheduleOverview): string {
  const head = renderFields([
    ['Schedule', s.id],
    ['Workflow', s.workflowType],
    ['State', s.paused ? `paused${s.note ? ` (${s.note})` : ''}` : 'active'],
    ['Running', s.runningWorkflows.join(', ') || 'nothing'],
    ['Next runs (UTC)', s.nextRuns.map((t) => shortTime(t)).join(', ')],
  ]);
  if (s.recentRuns.length === 0) return `${head}No runs yet.\n`;
  return `${head}\nRecent runs:\n${renderTable(s.recentRuns, [
    { header: 'SCHEDULED (UTC)', value: (r) => shortTime(r.scheduledAt) },
    { header: 'WORKFLOW ID', value: (r) => r.workflowId },
  ])}`;
}

function parseTime(s: string, flag: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag}: not a date/time: ${s}`);
  return d;
}
