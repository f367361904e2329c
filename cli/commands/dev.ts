import type { Command } from 'commander';
import { createPublicServer } from '../serve/publicServer';

export function registerDevCommands(program: Command): void {
  program
    .command('dev')
    .description('run the whole system locally on embedded defaults (PostgreSQL, Temporal + Web UI, SMTP)')
    .option('--demo', 'also serve local copies of the upstream sites and run the alert demo')
    .action(async (opts: { demo?: boolean }) => {
      // Loaded on demand: the local stack and its packages (embedded PostgreSQL, an SMTP server) are
      // development dependencies, absent from production installs (`npm ci --omit=dev`).
      const { DEV_STACK_CHILD_ENV, superviseDevStack } = await loadDevStack(
        () => import('../../devstack/supervisor'),
      );
      if (process.env[DEV_STACK_CHILD_ENV] !== '1') process.exit(await superviseDevStack());
      const { runDevStack } = await loadDevStack(() => import('../../devstack/stack'));
      await runDevStack({ demo: Boolean(opts.demo), createPublicServer });
      // Everything is stopped; leftover keep-alive handles must not hold the terminal.
      process.exit(process.exitCode ?? 0);
    });
}

async function loadDevStack<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(
      'the local stack is not installed here (a production install leaves out devstack/ and its development ' +
        'dependencies); run `npm ci` in a checkout, then `npm start`',
    );
  }
}
