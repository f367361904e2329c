import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { inject } from 'vitest';
import type { TaskQueue } from '../../domain/taskQueues';
import { freePort } from '../../ops/listen';
import { waitFor } from './wait';

type ExitStatus = number | string | null;

/**
 * `capitolscope worker --queue ...` as a real process, as deployed, on the test database (already
 * migrated, so `--no-migrate`). Its output is kept (and printed with DEBUG set), and exits the test
 * did not cause are counted: a fault must not make a worker exit by itself.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private exit: Promise<ExitStatus> = Promise.resolve(null);
  private stopping = false;
  private httpPort = 0;
  readonly logs: string[] = [];
  /** Exits the test did not cause. */
  readonly unexpectedExits: ExitStatus[] = [];

  constructor(
    private readonly queues: readonly TaskQueue[],
    private readonly env: Record<string, string>,
    /** Options for node itself, such as a heap cap. */
    private readonly nodeArgs: readonly string[] = [],
  ) {}

  /** Start it and wait until it answers /healthz (every worker running). */
  async start(): Promise<void> {
    this.httpPort = await freePort();
    this.stopping = false;
    const args = [
      ...this.nodeArgs,
      'bin/capitolscope.js',
      'worker',
      '--no-migrate',
      ...this.queues.flatMap((q) => ['--queue', q]),
    ];
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        WORKER_HTTP_PORT: String(this.httpPort),
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => this.logs.push(b.toString()));
    child.stderr!.on('data', (b: Buffer) => this.logs.push(b.toString()));
    this.exit = new Promise((ok) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.unexpectedExits.push(code ?? signal);
        ok(code ?? signal);
      }),
    );
    this.child = child;
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`the worker exited at start: ${this.output().slice(-600)}`);
        return (await this.healthz()) === 200;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
  }

  /** The port of its /healthz and /metrics. */
  get port(): number {
    return this.httpPort;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process exits, whoever caused it. */
  exited(): Promise<ExitStatus> {
    return this.exit;
  }

  output(): string {
    return this.logs.join('');
  }

  async healthz(): Promise<number> {
    try {
      const r = await request(`http://127.0.0.1:${this.httpPort}/healthz`);
      await r.body.dump();
      return r.statusCode;
    } catch {
      return 0;
    }
  }

  /** SIGKILL: no shutdown, no finishing of anything in flight. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    if (this.running) child.kill('SIGKILL');
    await this.exit;
    this.child = null;
  }

  /**
   * SIGTERM, as systemd and Docker stop a worker (SIGKILL if it is still running 30 s later);
   * resolves to its exit code.
   */
  async stop(): Promise<ExitStatus> {
    const child = this.child;
    if (!child) return null;
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    if (this.running) {
      child.kill('SIGTERM');
      timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    }
    const status = await this.exit;
    clearTimeout(timer);
    this.child = null;
    if (process.env.DEBUG) console.log(this.output());
    return status;
  }
}
