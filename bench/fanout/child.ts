import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));

/** A TypeScript script of the bench in a process of its own, started as the product starts, with an IPC channel. */
export function forkScript(script: string, env: Record<string, string> = {}): ChildProcess {
  // BENCH_CPU_PROFILE=<folder>: every child writes a V8 CPU profile there (for finding where time goes).
  const profile = process.env.BENCH_CPU_PROFILE;
  return fork(BOOT, [new URL(script, import.meta.url).href], {
    execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The first IPC message matching `accept`, or the exit that came first as an error. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (m: unknown) => m is T,
  what: string,
): Promise<T> {
  return new Promise((ok, fail) => {
    const onMessage = (m: unknown) => {
      if (!accept(m)) return;
      cleanup();
      ok(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      fail(new Error(`${what} exited (code ${code}) before answering`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
