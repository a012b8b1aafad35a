// `npm run diff N`: the learner's files of step N against the reference solution, coloured. It
// only reads: no file of the step and nothing of the saved progress changes. Whether it shows
// anything is the instructor's setting (diff-setting.ts).
import pc from 'picocolors';
import type { Step } from '../course/steps.ts';
import { readDiffSetting, type DiffSetting } from '../diff/diff-setting.ts';
import { formatSolutionDiff } from '../diff/format-diff.ts';
import { diffWithSolution } from '../diff/solution-diff.ts';
import { readProgress } from '../progress/progress-store.ts';
import { readOwnStepArgument } from './own-step-argument.ts';

export async function run(args: string[]): Promise<number> {
  const step = await readOwnStepArgument(args, 'diff');
  // A setting it does not know, or no solution to compare with, is a KitError: one sentence.
  const setting = await readDiffSetting();
  const refusal = await refusalFor(step, setting);
  if (refusal) {
    console.error(refusal);
    return 1;
  }
  const diff = await diffWithSolution(step);
  console.log(pc.bold(`${step.title}: your files against the reference solution`));
  if (setting === 'always') {
    console.log(pc.dim(`Trying on your own first teaches more: \`npm run hint ${step.number}\` gives one hint at a time.`));
  }
  console.log(formatSolutionDiff(diff));
  return 0;
}

/** Why the setting keeps the reference hidden for now, as one sentence; undefined when it may be shown. */
async function refusalFor(step: Step, setting: DiffSetting): Promise<string | undefined> {
  if (setting === 'always') return undefined;
  if (setting === 'never') return "This workshop's instructor turned the solution diff off.";
  const status = await readProgress(step).catch(() => undefined);
  if (status?.kind === 'fresh' && status.progress.passed) return undefined;
  if (status?.kind === 'stale' && status.progress.passed) {
    return `Your files of step ${step.number} changed since they passed, and the reference solution is shown once they pass again: run \`npm run check ${step.number}\`.`;
  }
  return `The reference solution of step ${step.number} is shown once your step passes: run \`npm run check ${step.number}\`.`;
}
