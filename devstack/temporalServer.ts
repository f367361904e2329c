import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { stopChild } from '../ops/stopChild';
import { ensureTemporalCli } from '../ops/temporalCli';

export interface LocalTemporal {
  address: string;
  uiUrl: string | null;
  /** The server's process id (benchmarks measure its CPU). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The `temporal` CLI's dev server: a real Temporal server (SQLite-backed) with its Web UI.
 * A `dbFile` keeps workflows and schedules across restarts; without one it lives in memory.
 */
export async function startLocalTemporal(opts: {
  port: number;
  uiPort?: number | null;
  dbFile?: string;
  namespaces?: string[];
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /** Dynamic config values, e.g. `{ 'system.enableActivityEagerExecution': true }`. */
  dynamicConfig?: Record<string, string | number | boolean>;
}): Promise<LocalTemporal> {
  const cli = await ensureTemporalCli(opts.log);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--log-level',
    'warn',
  ];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const ns of opts.namespaces ?? []) args.push('--namespace', ns);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  // Schedules need a search-attribute-capable visibility store; the dev server has one built in.
  // Its own process group: Ctrl-C in the terminal reaches us, and we stop the server after the workers.
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 200) output.shift();
    for (const line of text.split('\n')) if (line.trim()) opts.log?.(line.trim());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    await waitForPort(opts.port, child, opts.startTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `Temporal dev server did not start: ${(err as Error).message}\n${output.join('').slice(-2000)}`,
    );
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : null,
    pid: child.pid!,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((ok) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        ok(true);
      });
      socket.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`port ${port} not open after ${timeoutMs} ms`);
}
