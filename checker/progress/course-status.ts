// What the site shows of the learner's progress: per step, one state and its checks, read from
// the saved progress and compared with the learner's files as they are now.
import type { Step } from '../course/steps.ts';
import { readProgress, type CheckProgress } from './progress-store.ts';

export type StepState = 'unchecked' | 'passed' | 'failed' | 'did-not-start' | 'stale' | 'damaged';

export interface StepStatus {
  step: string;
  number: number;
  state: StepState;
  /** For a stale step: whether it passed before the files changed. */
  passedBefore?: boolean;
  checks: CheckProgress[];
  checkedAt?: string;
}

export async function readStepStatus(step: Step): Promise<StepStatus> {
  const base = { step: step.folder, number: step.number };
  const status = await readProgress(step).catch(() => ({ kind: 'damaged' as const, file: '' }));
  if (status.kind === 'unchecked' || status.kind === 'damaged') return { ...base, state: status.kind, checks: [] };
  const { progress } = status;
  const result = { ...base, checks: progress.checks, checkedAt: progress.checkedAt };
  if (status.kind === 'stale') return { ...result, state: 'stale', passedBefore: progress.passed };
  return { ...result, state: progress.passed ? 'passed' : progress.didNotStart ? 'did-not-start' : 'failed' };
}

export function readCourseStatus(steps: Step[]): Promise<StepStatus[]> {
  return Promise.all(steps.map(readStepStatus));
}
