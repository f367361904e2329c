import { Worker } from 'node:worker_threads';
import { keepWarm, takeWarmProcess } from './warmProcesses';

/** Why an isolated job did not return a result. */
export type IsolatedJobFailure = 'out_of_memory' | 'timeout' | 'crashed' | 'failed' | 'aborted';

/**
 * A function run in a process (or thread) of its own did not finish: it ran out of its memory, ran
 * past its deadline, the process died, or the function threw (`failed`, with the thrown error's
 * name and message kept).
 */
export class IsolatedJobError extends Error {
  override readonly name = 'IsolatedJobError';
  constructor(
    readonly reason: IsolatedJobFailure,
    message: string,
    /** For `failed`: the name of the error the function threw (e.g. `ParseError`). */
    readonly causeName?: string,
  ) {
    super(message);
  }
}

export interface IsolatedJobOptions<P> {
  /** The module (file URL) and the exported function to call as `fn(input, progress)`. */
  module: URL;
  exportName: string;
  /** Structured-cloneable input. */
  input: unknown;
  /** The process (or thread) is ended when it runs longer than this. */
  timeoutMs: number;
  /** Heap limits of the process (V8 old and young generation, MiB); exceeding them ends it. */
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  /** Called with what the function reports through its `progress` callback. */
  onProgress?: (detail: P) => void;
  /** Aborting ends the process (an activity cancelled, a worker shutting down). */
  signal?: AbortSignal;
  /**
   * `process` (default): a child process of its own, whose heap limit holds for sure and whose
   * memory leaves with it. `thread`: a worker thread, whose limit is best effort: one allocation that
   * grows a single array or string past it aborts the whole process (nodejs/node#47224), and what
   * the work allocates outside the JS heap (WebAssembly, images) is the parent's. Processes are kept
   * warm and reused between jobs (see warmProcesses.ts): starting one and loading its modules
   * (pdf.js) costs over a second.
   */
  isolation?: 'thread' | 'process';
}

const BOOT = new URL('./isolatedJobBoot.mjs', import.meta.url);

/**
 * Runs `exportName` of `module` in a child process (or worker thread) of its own, bounded in memory
 * and time, and returns its result. The function receives `(input, progress)`; each
 * `progress(detail)` reaches `onProgress` (for heartbeats). Heavy or risky work (OCR, parsing
 * untrusted PDFs) runs here so that a runaway document costs that process, not the worker.
 */
export function runIsolated<T, P = unknown>(options: IsolatedJobOptions<P>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new IsolatedJobError('aborted', 'aborted before it started'));
      return;
    }
    const heapMb = options.maxOldGenerationSizeMb ?? 512;
    const job = { moduleUrl: options.module.href, exportName: options.exportName, input: options.input };
    const runner = options.isolation === 'thread' ? startThread(job, options) : startProcess(job, options);
    let settled = false;
    // An answer leaves the runner fit for the next job; a deadline, an abort or a death does not.
    const finish = (fn: () => void, answered = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      if (answered) runner.release();
      else runner.stop();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new IsolatedJobError(
              'timeout',
              `${options.exportName} ran past its ${options.timeoutMs} ms deadline`,
            ),
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () =>
      finish(() => reject(new IsolatedJobError('aborted', `${options.exportName} was aborted`)));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    runner.onMessage((m) => {
      if (m.kind === 'progress') options.onProgress?.(m.detail as P);
      else if (m.kind === 'result') finish(() => resolve(m.result as T), true);
      else if (m.kind === 'error') {
        finish(() => reject(new IsolatedJobError('failed', m.message ?? 'failed', m.name)), true);
      }
    });
    runner.onEnd((end) => {
      finish(() =>
        reject(
          end.outOfMemory
            ? new IsolatedJobError('out_of_memory', `${options.exportName} ran out of its ${heapMb} MiB heap`)
            : new IsolatedJobError('crashed', `${options.exportName} ${end.detail}`),
        ),
      );
    });
  });
}

interface Job {
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

/** What the boot file posts back. */
interface Message {
  kind: string;
  /** A kept process's resident memory after its answer (bytes). */
  rss?: number;
  detail?: unknown;
  result?: unknown;
  name?: string;
  message?: string;
}

type Limits = Pick<IsolatedJobOptions<unknown>, 'maxOldGenerationSizeMb' | 'maxYoungGenerationSizeMb'>;

/** A started thread or process, seen the same way. */
interface Runner {
  onMessage(listener: (message: Message) => void): void;
  /** It ended without an answer: out of memory, or otherwise (`detail` says how). */
  onEnd(listener: (end: { outOfMemory: boolean; detail: string }) => void): void;
  /** Done with it after an answer: a process goes back to the warm pool, a thread ends. */
  release(): void;
  /** Ended now, whatever it is doing. */
  stop(): void;
}

function startThread(job: Job, options: Limits): Runner {
  const worker = new Worker(BOOT, {
    workerData: job,
    resourceLimits: {
      maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 512,
      maxYoungGenerationSizeMb: options.maxYoungGenerationSizeMb ?? 64,
    },
    stdout: false,
    stderr: false,
  });
  return {
    onMessage: (listener) => worker.on('message', listener),
    onEnd(listener) {
      worker.on('error', (err: Error & { code?: string }) =>
        listener({ outOfMemory: err.code === 'ERR_WORKER_OUT_OF_MEMORY', detail: `crashed: ${err.message}` }),
      );
      worker.on('exit', (code) =>
        listener({ outOfMemory: false, detail: `exited (code ${code}) without a result` }),
      );
    },
    release: () => void worker.terminate(),
    stop: () => void worker.terminate(),
  };
}

function startProcess(job: Job, options: Limits): Runner {
  const warm = takeWarmProcess(BOOT, [
    `--max-old-space-size=${options.maxOldGenerationSizeMb ?? 512}`,
    `--max-semi-space-size=${Math.max(1, Math.floor((options.maxYoungGenerationSizeMb ?? 64) / 3))}`,
    '--expose-gc',
  ]);
  let rss: number | undefined;
  const { child } = warm;
  // The end of its stderr says why a process died (V8 prints "heap out of memory" before aborting).
  let stderr = '';
  const onStderr = (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  };
  const attached: { message?: (m: Message) => void; error?: (err: Error) => void; exit?: () => void } = {};
  child.stderr?.on('data', onStderr);
  child.send(job);
  const detach = () => {
    child.stderr?.off('data', onStderr);
    if (attached.message) child.off('message', attached.message);
    if (attached.error) child.off('error', attached.error);
    if (attached.exit) child.off('exit', attached.exit);
  };
  return {
    onMessage(listener) {
      attached.message = (m) => {
        if (m.rss !== undefined) rss = m.rss;
        listener(m);
      };
      child.on('message', attached.message);
    },
    onEnd(listener) {
      attached.error = (err) => listener({ outOfMemory: false, detail: `could not run: ${err.message}` });
      attached.exit = () =>
        listener({
          outOfMemory: /heap out of memory|Allocation failed/.test(stderr),
          detail: `exited (${child.signalCode ?? `code ${child.exitCode}`}) without a result`,
        });
      child.on('error', attached.error);
      child.on('exit', attached.exit);
    },
    release: () => {
      detach();
      keepWarm(warm, rss);
    },
    stop: () => {
      detach();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
