// Every step's variants (steps/NN-*/variants.ts): learners' code that differs from the reference.
// Wrong ways fail with the message that helps, right ways pass, whatever their style, and nothing
// of a run is left running. Judged as `npm run watch` judges, by a judge kept warm between them;
// steps.test.ts judges each step's starter and solution from cold, as `npm run check` does.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, test } from 'vitest';
import type { StepVariants } from '../checks/variant-case.ts';
import { JudgePool } from './helpers/judge-pool.ts';
import { repoRoot } from './helpers/run-kit.ts';
import { leftRunning, makeVariant, type Variant } from './helpers/variant.ts';

const stepFolders = readdirSync(join(repoRoot, 'steps')).filter((name) => /^\d\d-/.test(name)).sort();
const steps: [folder: string, StepVariants][] = [];
for (const folder of stepFolders) {
  const module = (await import(pathToFileURL(join(repoRoot, 'steps', folder, 'variants.ts')).href)) as { variants: StepVariants };
  steps.push([folder, module.variants]);
}

/**
 * Judgements at once, each by a warm judge (helpers/judge-pool.ts): a check mostly waits for the
 * learner's server, so two share two cores, and each keeps the checks' own deadlines. Three did
 * not, on a machine busy with other work: a first handshake took over 5 s. vitest's
 * maxConcurrency (vitest.config.ts) is what holds them to two.
 */
const judgesAtOnce = 2;
/**
 * vitest runs as many steps' describe blocks at once as it runs tests (maxConcurrency), and takes
 * their variants in turns, one of each step. With only two judges, nearly every variant found the
 * judges of the other step and started one of its own: 46 judges for the 61 variants of steps 08
 * and 09. Two judges for each of the two steps keep them; when a step's variants are all judged,
 * its judges are turned to the next steps, which costs less than starting new ones.
 */
const stepsAtOnce = 2;
const pool = new JudgePool(judgesAtOnce * stepsAtOnce);
const made: Variant[] = [];
afterAll(async () => {
  await pool.close();
  made.forEach((variant) => variant.remove());
});

// Concurrent: two steps at a time, their variants taken in turns, at most `judgesAtOnce` of them
// judged at once (vitest's maxConcurrency); the next step begins as soon as one ends.
for (const [folder, { cases, timeoutMs }] of steps) {
  const step = Number(folder.slice(0, 2));
  describe.concurrent(folder, () => {
    test('has a wrong way to judge', ({ expect }) => {
      expect(cases.some((variant) => variant.fails)).toBe(true);
    });

    // Each named in full: describe.each's '$name' cuts a name at 40 characters, which `-t` then misses.
    for (const { name, edits, fails, says, caughtBy } of cases) {
      describe(name, () => {
        test(fails ? 'fails with a helpful message' : 'passes', { timeout: timeoutMs }, async ({ expect }) => {
          // A judgement that never ends is reported with what its judge was doing, 5 s before this
          // test's timeout: the step's own, or the pool's default for vitest.config.ts's.
          const verdictBy = timeoutMs === undefined ? undefined : performance.now() + timeoutMs - 5000;
          const variant = makeVariant(folder, edits);
          made.push(variant);
          const run = await pool.judge(step, variant.dir, caughtBy, verdictBy);
          if (fails) {
            expect(run.output).toMatch(fails);
            expect(run.code, run.output).toBe(1);
          } else {
            expect(run.output).toContain('✔ Step');
            if (says) expect(run.output).toMatch(says);
            else expect(run.output).not.toContain('TypeScript found');
            expect(run.code, run.output).toBe(0);
          }
          expect(await leftRunning(variant.dir)).toBe('');
          variant.remove();
        });
      });
    }
  });
}

// After every step's variants (a test that is not concurrent waits for those before it): a pool
// that ends judges it could have kept costs the whole file minutes of CPU, and no verdict shows it.
test('the judges were kept: no more started than the pool holds, and one more for each that crashed', ({ expect }) => {
  const { steps: stepsJudged, started, endedByThemselves } = pool.counts;
  expect(started, `${started} judges started for ${stepsJudged} steps`).toBeLessThanOrEqual(judgesAtOnce * stepsAtOnce + endedByThemselves);
});
