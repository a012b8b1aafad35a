import { defineConfig } from 'vitest/config';

// The kit's own tests. Each starts real processes (checks, servers, a browser): one file at a
// time keeps their timings honest on a 2-core machine.
export default defineConfig({
  test: {
    include: ['checker/test/**/*.test.ts'],
    globalSetup: ['checker/test/global-setup.ts'],
    fileParallelism: false,
    // Where a file has concurrent tests (variants, steps, real-world), two judgements at once:
    // each often waits for a learner's server (see checker/test/helpers/judge-pool.ts).
    maxConcurrency: 2,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
