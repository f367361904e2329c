import { Worker } from 'node:worker_threads';

/** Why a worker thread did not return a result. */
export type WorkerThreadFailure = 'out_of_memory' | 'timeout' | 'crashed' | 'failed' | 'aborted';

/**
 * A function run in a worker thread did not finish: it ran out of its memory, ran past its deadline,
 * the thread died, or the function threw (`failed`, with the thrown error's name and message kept).
 */
export class WorkerThreadError extends Error {
  override readonly name = 'WorkerThreadError';
  constructor(
    readonly reason: WorkerThreadFailure,
    message: string,
    /** For `failed`: the name of the error the function threw (e.g. `ParseError`). */
    readonly causeName?: string,
  ) {
    super(message);
  }
}

export interface WorkerThreadOptions<P> {
  /** The module (file URL) and the exported function to call as `fn(input, progress)`. */
  module: URL;
  exportName: string;
  /** Structured-cloneable input. */
  input: unknown;
  /** The thread is terminated when it runs longer than this. */
  timeoutMs: number;
  /** Heap limits of the thread (V8 old and young generation, MiB); exceeding them ends it. */
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  /** Called with what the function reports through its `progress` callback. */
  onProgress?: (detail: P) => void;
  /** Aborting terminates the thread (an activity cancelled, a worker shutting down). */
  signal?: AbortSignal;
}

const BOOT = new URL('./workerThreadBoot.mjs', import.meta.url);

/**
 * Runs `exportName` of `module` in a worker thread of its own, bounded in memory and time, and
 * returns its result. The function receives `(input, progress)`; each `progress(detail)` reaches
 * `onProgress` (for heartbeats). Heavy or risky work (OCR, parsing untrusted PDFs) runs here so that
 * a runaway document costs one thread, not the worker process.
 */
export function runInWorkerThread<T, P = unknown>(options: WorkerThreadOptions<P>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new WorkerThreadError('aborted', 'aborted before it started'));
      return;
    }
    const worker = new Worker(BOOT, {
      workerData: { moduleUrl: options.module.href, exportName: options.exportName, input: options.input },
      resourceLimits: {
        maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 512,
        maxYoungGenerationSizeMb: options.maxYoungGenerationSizeMb ?? 64,
      },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new WorkerThreadError(
              'timeout',
              `${options.exportName} ran past its ${options.timeoutMs} ms deadline`,
            ),
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () =>
      finish(() => reject(new WorkerThreadError('aborted', `${options.exportName} was aborted`)));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { kind: string; detail?: P; result?: T; name?: string; message?: string }) => {
      if (m.kind === 'progress') options.onProgress?.(m.detail as P);
      else if (m.kind === 'result') finish(() => resolve(m.result as T));
      else if (m.kind === 'error') {
        finish(() => reject(new WorkerThreadError('failed', m.message ?? 'failed', m.name)));
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(() =>
        reject(
          new WorkerThreadError(
            oom ? 'out_of_memory' : 'crashed',
            oom
              ? `${options.exportName} ran out of its ${options.maxOldGenerationSizeMb ?? 512} MiB heap`
              : `${options.exportName} crashed: ${err.message}`,
          ),
        ),
      );
    });
    worker.on('exit', (code) => {
      finish(() =>
        reject(
          new WorkerThreadError('crashed', `${options.exportName} exited (code ${code}) without a result`),
        ),
      );
    });
  });
}
