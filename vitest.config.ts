import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each API test file gets its own fresh database; two workers fit a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
