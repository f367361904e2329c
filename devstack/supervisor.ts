import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Set in the stack's own process, so `capitolscope dev` knows it is the child and runs the stack. */
export const DEV_STACK_CHILD_ENV = 'CAPITOLSCOPE_DEV_STACK_CHILD';

/**
 * Runs the local stack in a child process of its own process group and waits for it.
 *
 * Ctrl-C in a terminal signals the whole foreground process group. Were the stack in it, embedded
 * PostgreSQL (which it spawns) would get SIGINT too and shut down at once, under workers still
 * finishing their activities. In its own group only this process hears Ctrl-C and passes it on, and
 * the stack stops in order: workers first, PostgreSQL and the Temporal server last.
 */
export async function superviseDevStack(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    // The IPC channel closes if this process dies, however it dies: the stack then stops by itself.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [DEV_STACK_CHILD_ENV]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}
