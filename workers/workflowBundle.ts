import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { temporalLoggerFor, type Logger } from '../ops/logger';

const BUNDLER = fileURLToPath(new URL('./bundleWorkflows.ts', import.meta.url));

/**
 * The workflow code bundled for the workers. `apart`: in a short-lived child process, so webpack and
 * its compilation (over 100 MB at its peak) never count against a long-running worker process's
 * memory; else in this process (tests start workers many times and keep memory for nothing).
 */
export async function workflowBundle(
  workflowsPath: string,
  opts: { apart: boolean; logger: Logger },
): Promise<WorkflowBundle> {
  if (!opts.apart) {
    return bundleWorkflowCode({
      workflowsPath,
      logger: temporalLoggerFor(opts.logger.child({ component: 'bundler' })),
    });
  }
  const child = fork(BUNDLER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((ok, fail) => {
    child.once('message', (m: { code?: string; error?: string }) =>
      m.code !== undefined
        ? ok({ code: m.code })
        : fail(new Error(`bundling the workflows failed: ${m.error}`)),
    );
    child.once('exit', (code) =>
      fail(new Error(`the workflow bundler exited (code ${code}) without a bundle`)),
    );
    child.send({ workflowsPath });
  });
}
