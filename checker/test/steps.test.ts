// Every starter fails its checks and every solution passes them: no check that cannot fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { repoRoot, runKit, type KitRun } from './helpers/run-kit.ts';

const steps = readdirSync(join(repoRoot, 'steps')).filter((name) => /^\d\d-/.test(name));
/** Set when one step's tests alone run (`npm run check N -- --author`, author-checks.ts). */
const authorStep = inject('authorStep');

/**
 * `npm run check` with no step judges every step's shipped files, the starters, one after the
 * other in one command: each step's test below reads its starter's verdict from it, rather than
 * judging the starter again from cold (12 more commands, a minute of CPU on two cores). Started
 * by the first test that asks, once.
 */
let everyStep: Promise<KitRun> | undefined;
const judgeEveryStep = () => (everyStep ??= runKit(['check']));
/**
 * Twelve whole judgements, one after the other, in one command: 23 s alone on a slow 2-core
 * machine, and 55-60 s there with the suite's other test file running beside it, past the budget
 * of a test that makes one judgement.
 */
const everyStepTimeoutMs = 240_000;
/**
 * The same for the reference solutions: `npm run check --solution` judges them all in one command
 * (one vitest, thread and browser for the twelve). A command of its own for each, two at a time,
 * took 47 s and 90 s of CPU on a 2-core machine; the one command, 32 s and 50 s. A step's own
 * `npm run check N` from cold is what most other test files run.
 */
let everySolution: Promise<KitRun> | undefined;
const judgeEverySolution = () => (everySolution ??= runKit(['check', '--solution']));

/** The line a judgement of every step gives `folder`: "✓ 05 Broadcast to everyone", or "✗ 05 … — 1 of 4 checks pass". */
const lineOf = (output: string, folder: string) => output.split('\n').find((each) => each.trimStart().startsWith(`✗ ${folder.slice(0, 2)} `) || each.trimStart().startsWith(`✓ ${folder.slice(0, 2)} `));

// The judgements of every step are shared by the steps' tests below, which run two at a time
// (vitest's maxConcurrency): the starters' and the solutions' go at once.
describe.concurrent.each(steps)('step %s', (folder) => {
  const number = String(Number(folder.slice(0, 2)));

  test('the reference solution passes', { timeout: everyStepTimeoutMs }, async ({ expect }) => {
    if (authorStep !== undefined) {
      // `npm run check N -- --author`: this step's tests alone, so its solution alone is judged.
      const run = await runKit(['check', number, '--solution']);
      expect(run.output).toContain('passes');
      expect(run.code).toBe(0);
      return;
    }
    const line = lineOf((await judgeEverySolution()).output, folder);
    if (line?.trimStart().startsWith('✓')) return;
    // The step's own run says which check failed, and why.
    const { output } = await runKit(['check', number, '--solution']);
    expect(line, output).toMatch(/^\s*✓/);
  });

  // `npm run reset` puts starter/ back: it must be exactly what the course ships, and the test
  // below, which checks the shipped files, then proves that the starter fails too.
  test('the shipped files are the pristine copy in starter/, byte for byte', async ({ expect }) => {
    const dir = join(repoRoot, 'steps', folder);
    const shipped = await listLearnerFiles(dir);
    expect(await listLearnerFiles(join(dir, 'starter'))).toEqual(shipped);
    for (const file of shipped) expect(readFileSync(join(dir, 'starter', file)).equals(readFileSync(join(dir, file))), `starter/${file}`).toBe(true);
  });

  // A check of the starter that fails (so `npm run check N` marks it ✗ and says "Fix the one
  // marked ✗"), or code that does not start ("Fix that"): not a step whose checks all pass.
  test('the starter fails its checks', { timeout: everyStepTimeoutMs }, async ({ expect }) => {
    if (authorStep !== undefined) {
      // `npm run check N -- --author`: this step's tests alone, so its starter alone is judged.
      const run = await runKit(['check', number]);
      expect(run.output).toMatch(/Fix (the one marked ✗|that)/);
      expect(run.code, run.output).toBe(1);
      return;
    }
    const { output } = await judgeEveryStep();
    const line = lineOf(output, folder);
    expect(line, output).toBeDefined();
    const counts = /— (\d+) of (\d+) checks pass$/.exec(line!);
    if (counts) expect(Number(counts[1]), line).toBeLessThan(Number(counts[2]));
    else expect(line, 'a starter that passes proves no check of its step can fail').toMatch(/✗ .* — the code did not start$/);
  });
});

test('`npm run check` judges every step and names the first to work on', { timeout: everyStepTimeoutMs }, async () => {
  const run = await judgeEveryStep();
  expect(run.code).toBe(1);
  expect(run.output).toMatch(/0 of \d+ steps pass\. Work on step 1 next/);
});
