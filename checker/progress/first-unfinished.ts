// The step a learner should work on now: the first one whose saved progress does not say it
// passes for the files as they are.
import type { Step } from '../course/steps.ts';
import { readStepStatus } from './course-status.ts';

export async function firstUnfinishedStep(steps: Step[]): Promise<Step | undefined> {
  for (const step of steps) {
    if ((await readStepStatus(step)).state !== 'passed') return step;
  }
  return undefined;
}
