import type { Command } from 'commander';

export function registerDevCommands(program: Command): void {
  program
    .command('dev')
    .description('run the whole system locally on embedded defaults (PostgreSQL, Temporal + Web UI, SMTP)')
    .option('--demo', 'also serve local copies of the upstream sites and run the alert demo')
    .action(async (opts: { demo?: boolean }) => {
      // Loaded on demand: the local-stack pieces are not needed by any other command.
      const { DEV_STACK_CHILD_ENV, superviseDevStack } = await import('../../devstack/supervisor');
      if (process.env[DEV_STACK_CHILD_ENV] !== '1') process.exit(await superviseDevStack());
      const { runDevStack } = await import('../../devstack/stack');
      await runDevStack({ demo: Boolean(opts.demo) });
      // Everything is stopped; leftover keep-alive handles must not hold the terminal.
      process.exit(process.exitCode ?? 0);
    });
}
