import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runIsolated, IsolatedJobError, type IsolatedJobOptions } from '../../../ops/isolatedJob';

/** The generic runner of risky work: results, progress, failures and limits, as a thread and as a process. */
const JOBS = new URL('./jobs/isolatedJobs.ts', import.meta.url);

function run<T>(exportName: string, options: Partial<IsolatedJobOptions<unknown>> = {}) {
  return runIsolated<T>({ module: JOBS, exportName, input: { n: 21 }, timeoutMs: 30_000, ...options });
}

async function failure(promise: Promise<unknown>): Promise<IsolatedJobError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IsolatedJobError);
  return err as IsolatedJobError;
}

describe.each(['thread', 'process'] as const)('runIsolated (%s)', (isolation) => {
  it('returns the result and passes progress on', async () => {
    const progress: unknown[] = [];
    const result = await run('echo', { isolation, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ doubled: 42 });
    expect(progress).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
  });

  it('names the error the function threw', async () => {
    const err = await failure(run('refuse', { isolation }));
    expect(err).toMatchObject({ reason: 'failed', causeName: 'ParseError', message: 'not a PTR' });
  });

  it('stops work that runs past its deadline', async () => {
    const err = await failure(run('spin', { isolation, timeoutMs: 3_000 }));
    expect(err).toMatchObject({ reason: 'timeout', message: 'spin ran past its 3000 ms deadline' });
  });

  it('stops work when aborted', async () => {
    const controller = new AbortController();
    const pending = run('spin', { isolation, signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    expect(await failure(pending)).toMatchObject({ reason: 'aborted' });
  });
});

describe('runIsolated (process)', () => {
  it('confines a heap exhausted by one growing array to the child process', async () => {
    const err = await failure(run('hoard', { isolation: 'process', maxOldGenerationSizeMb: 64 }));
    expect(err).toMatchObject({ reason: 'out_of_memory', message: 'hoard ran out of its 64 MiB heap' });
    // This process is still here to tell, and can run the next job.
    expect(await run('echo', { isolation: 'process' })).toEqual({ doubled: 42 });
  });

  it('keeps a process that answered for the next job, and never one that was stopped', async () => {
    const first = await run<number>('pid', { isolation: 'process' });
    expect(await run<number>('pid', { isolation: 'process' })).toBe(first);
    await failure(run('refuse', { isolation: 'process' }));
    expect(await run<number>('pid', { isolation: 'process' })).toBe(first);
    await failure(run('spin', { isolation: 'process', timeoutMs: 2_000 }));
    const next = await run<number>('pid', { isolation: 'process' });
    expect(next).not.toBe(first);
    expect(() => process.kill(first, 0)).toThrow();
  });

  it('retires a process that a job left much bigger than after its first', async () => {
    const first = await run<number>('pid', { isolation: 'process' });
    expect(await run<number>('swell', { isolation: 'process' })).toBe(first);
    expect(await run<number>('pid', { isolation: 'process' })).not.toBe(first);
  });

  it('lets its own process exit while a warm process waits', async () => {
    const script = fileURLToPath(new URL('./jobs/runOnce.ts', import.meta.url));
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({ doubled: 2 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
