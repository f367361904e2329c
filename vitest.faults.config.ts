import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the alert path against real faults (database restart, SMTP outage, worker
// SIGKILL), with real processes. One file at a time: each fault test loads the machine on its own.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
