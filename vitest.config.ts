import { defineConfig } from 'vitest/config';

// Tests spawn real processes (CLI, PostgreSQL, s3rver); give them room on a 2-core machine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // A CLI test's first hook builds dist/ (tsc + bundle) while the other worker runs tests.
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
