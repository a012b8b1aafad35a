// The learner's progress, one small JSON file per step under <state>/progress/. It is derived from
// checks and tied to a hash of the learner's files, so it goes stale the moment they change.
// Each file is written whole to a temporary name and renamed into place: a reader never sees half
// a file, and two checkers at once leave one complete result (one file per step, so checks of
// different steps never touch the same file).
import { mkdir, readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { hashLearnerFiles } from './learner-files.ts';
import { stateDir } from './state-dir.ts';

export interface CheckProgress {
  id: string | undefined;
  title: string;
  state: 'passed' | 'failed' | 'skipped' | 'not-run';
}

export interface StepProgress {
  step: string;
  passed: boolean;
  /** The code did not start, so no check ran. */
  didNotStart: boolean;
  checks: CheckProgress[];
  /** The hash of the learner's files that were checked. */
  filesHash: string;
  checkedAt: string;
}

export type ProgressStatus =
  | { kind: 'unchecked' }
  | { kind: 'fresh'; progress: StepProgress }
  /** Checked, but the files changed since: the result may no longer hold. */
  | { kind: 'stale'; progress: StepProgress }
  /** The file could not be read as progress; it is rebuilt by the next check. */
  | { kind: 'damaged'; file: string };

export function progressDir(): string {
  return join(stateDir(), 'progress');
}

function progressFile(step: Step): string {
  return join(progressDir(), `${step.folder}.json`);
}

export async function writeProgress(step: Step, result: Omit<StepProgress, 'step' | 'checkedAt'>): Promise<StepProgress> {
  const progress: StepProgress = { step: step.folder, ...result, checkedAt: new Date().toISOString() };
  await mkdir(progressDir(), { recursive: true });
  const file = progressFile(step);
  // Written whole to a temporary file, then renamed into place.
  await writeFileAtomic(file, `${JSON.stringify(progress, null, 2)}\n`);
  return progress;
}

function isStepProgress(value: unknown, step: Step): value is StepProgress {
  const progress = value as StepProgress;
  return (
    typeof progress === 'object' &&
    progress !== null &&
    progress.step === step.folder &&
    typeof progress.passed === 'boolean' &&
    typeof progress.didNotStart === 'boolean' &&
    typeof progress.filesHash === 'string' &&
    typeof progress.checkedAt === 'string' &&
    Array.isArray(progress.checks) &&
    progress.checks.every((check) => typeof check?.title === 'string' && ['passed', 'failed', 'skipped', 'not-run'].includes(check.state))
  );
}

/** What is known of `step`: compared with the learner's files as they are now. */
export async function readProgress(step: Step): Promise<ProgressStatus> {
  const file = progressFile(step);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'unchecked' };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'damaged', file };
  }
  if (!isStepProgress(parsed, step)) return { kind: 'damaged', file };
  const filesHash = await hashLearnerFiles(step.dir).catch(() => '');
  return { kind: parsed.filesHash === filesHash ? 'fresh' : 'stale', progress: parsed };
}
