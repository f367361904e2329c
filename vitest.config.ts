import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault tests run on their own (`npm run test:faults`, vitest.faults.config.ts).
    exclude: ['test/faults/**', 'node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    // One Temporal server and one PostgreSQL serve the whole run; 2-core machines want few forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
