import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirst } from './checker/test/helpers/longest-first.ts';

/**
 * The files that keep every core busy on purpose (endless loops, six a core, to test deadlines
 * counted in the time a process could run): beside another file they starve it, and a test of
 * time there fails (survival.test.ts's "within 10 s" took 10.7 s of a check beside
 * run-time-deadline.test.ts). They run after all the others, one at a time.
 */
const busyMachine = ['checker/test/run-time-deadline.test.ts', 'checker/test/condition-waiters.test.ts', 'checker/test/stability.test.ts'];

// The kit's own tests. Each starts real processes (checks, servers, a browser), and most of their
// time is spent waiting for them: two files at a time, on any machine.
export default defineConfig({
  test: {
    globalSetup: ['checker/test/global-setup.ts'],
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // Where a file has concurrent tests (variants, steps, real-world), two judgements at once:
    // each often waits for a learner's server (see checker/test/helpers/judge-pool.ts).
    maxConcurrency: 2,
    testTimeout: 60_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'kit', include: ['checker/test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...busyMachine], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'busy machine', include: busyMachine, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
