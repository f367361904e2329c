// A worker process as `capitolscope worker` runs one, with the benchmark's workflow variants bundled
// beside the real workflows. Configured by the environment; BENCH_QUEUES names its task queues.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../domain/config';
import { isTaskQueue, type TaskQueue } from '../../domain/taskQueues';
import { createLogger } from '../../ops/logger';
import { runWorkers } from '../../workers/runWorkers';

const queues = (process.env.BENCH_QUEUES ?? '').split(',').filter(isTaskQueue) as TaskQueue[];
const config = loadConfig(process.env);
const workers = await runWorkers({
  config,
  queues,
  logger: createLogger(config.logLevel),
  statusPort: null,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  bundleApart: true,
});
process.send?.({ ready: true });
process.once('SIGTERM', () => void workers.shutdown());
await workers.done;
process.exit(0);
