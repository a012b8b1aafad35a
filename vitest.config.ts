import { defineConfig } from 'vitest/config';
import { LongestFirst } from './checker/test/helpers/longest-first.ts';

// The kit's own tests. Each starts real processes (checks, servers, a browser), and most of their
// time is spent waiting for them: two files at a time, on any machine.
export default defineConfig({
  test: {
    include: ['checker/test/**/*.test.ts'],
    globalSetup: ['checker/test/global-setup.ts'],
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // Where a file has concurrent tests (variants, steps, real-world), two judgements at once:
    // each often waits for a learner's server (see checker/test/helpers/judge-pool.ts).
    maxConcurrency: 2,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
