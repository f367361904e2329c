import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { inject } from 'vitest';
import type { TaskQueue } from '../../domain/taskQueues';
import { freePort } from '../../ops/listen';
import { sleep, waitFor } from './wait';

type ExitStatus = number | string | null;

/**
 * `capitolscope worker --queue ...` as a real process, as deployed, on the test database (already
 * migrated, so `--no-migrate`). Its output is kept (and printed with DEBUG set), and exits the test
 * did not cause are counted: a fault must not make a worker exit by itself.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private exit: Promise<ExitStatus> = Promise.resolve(null);
  private closed: Promise<unknown> = Promise.resolve();
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

  /** Where its /healthz listens: a free port by default; tests of the harness pick their own. */
  pickPort: () => Promise<number> = freePort;

  /**
   * Start it and wait until it answers /healthz (every worker running). A port free when probed can
   * be taken by another socket of the test run before the worker binds it: then it starts again on
   * another port.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const logged = this.logs.length;
      try {
        return await this.startOn(await this.pickPort());
      } catch (err) {
        // Its last words on stderr may come after its exit (a child of its own can hold the pipe longer).
        await Promise.race([this.closed, sleep(2000)]);
        const taken = /\(WORKER_HTTP_PORT\) cannot listen on .*already in use/.test(
          this.logs.slice(logged).join(''),
        );
        if (!taken || attempt === 3) throw err;
        // The test did not cause that exit, but neither did a fault: it is no failure of the worker.
        this.unexpectedExits.pop();
      }
    }
  }

  private async startOn(port: number): Promise<void> {
    this.httpPort = port;
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
    this.closed = new Promise((ok) => child.once('close', ok));
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
      // Bounded: whatever else holds the port may accept and never answer.
      const r = await request(`http://127.0.0.1:${this.httpPort}/healthz`, {
        headersTimeout: 5000,
        bodyTimeout: 5000,
      });
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
