// Entry of a worker thread, or of a child process, started by ops/isolatedJob.ts. Either starts
// without TypeScript support, so it registers tsx first, then runs the requested function of the
// requested module, handing it a `progress` callback that posts to the parent (for heartbeats).
// A thread gets its one job as workerData and answers on parentPort. A child process is kept warm
// and reused: it takes jobs as IPC messages, one at a time, answers each over IPC, and exits when
// its parent goes away.
import process from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';

const post = parentPort
  ? (message) => parentPort.postMessage(message)
  : (message) => new Promise((ok) => process.send(message, undefined, undefined, () => ok()));

const { register } = await import('tsx/esm/api');
register();

async function run(job) {
  try {
    const mod = await import(job.moduleUrl);
    const fn = mod[job.exportName];
    if (typeof fn !== 'function') throw new Error(`${job.moduleUrl} has no function ${job.exportName}`);
    const progress = (detail) => void post({ kind: 'progress', detail });
    const result = await fn(job.input, progress);
    await post({ kind: 'result', result, ...settled() });
  } catch (err) {
    await post({
      kind: 'error',
      name: err?.name ?? 'Error',
      message: err?.message ?? String(err),
      stack: err?.stack,
      ...settled(),
    });
  }
}

// A kept process collects the job's garbage before answering, and says how big it stayed, so its
// parent can retire one that a large document left bloated (freed heap is not always given back).
function settled() {
  if (parentPort) return {};
  globalThis.gc?.();
  return { rss: process.memoryUsage.rss() };
}

if (parentPort) {
  await run(workerData);
} else {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (job) => void run(job));
}
