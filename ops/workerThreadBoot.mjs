// Entry of a worker thread started by ops/workerThread.ts. A thread starts without TypeScript
// support, so it registers tsx first, then runs the requested function of the requested module,
// handing it a `progress` callback that posts to the parent (for heartbeats).
import { parentPort, workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
try {
  const mod = await import(workerData.moduleUrl);
  const fn = mod[workerData.exportName];
  if (typeof fn !== 'function')
    throw new Error(`${workerData.moduleUrl} has no function ${workerData.exportName}`);
  const progress = (detail) => parentPort.postMessage({ kind: 'progress', detail });
  const result = await fn(workerData.input, progress);
  parentPort.postMessage({ kind: 'result', result });
} catch (err) {
  parentPort.postMessage({
    kind: 'error',
    name: err?.name ?? 'Error',
    message: err?.message ?? String(err),
    stack: err?.stack,
  });
}
