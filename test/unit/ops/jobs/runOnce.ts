import { runIsolated } from '../../../../ops/isolatedJob';

// One job in a warm child process, then nothing: this process must exit on its own, the idle child
// holding no reference on its event loop.
const result = await runIsolated({
  module: new URL('./isolatedJobs.ts', import.meta.url),
  exportName: 'echo',
  input: { n: 1 },
  timeoutMs: 30_000,
  isolation: 'process',
});
process.stdout.write(JSON.stringify(result));
