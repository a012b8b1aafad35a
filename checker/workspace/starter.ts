// A step's pristine starter: `starter/` in the step folder holds the files the learner began
// with, under the same names, so that they can always be put back.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { sameBytes } from './file-bytes.ts';
import { showPath } from './shown-path.ts';
import { WorkspaceError } from './workspace-error.ts';

export function starterDir(step: Step): string {
  return join(step.dir, 'starter');
}

/** The starter's files, named as the learner's are; throws when the step has none (a step still being written). */
export async function listStarterFiles(step: Step): Promise<string[]> {
  const dir = starterDir(step);
  const files = await access(dir).then(
    () => listLearnerFiles(dir),
    () => [],
  );
  if (files.length === 0) {
    throw new WorkspaceError(`Step ${step.number} has no starter to go back to (${showPath(dir)}/ is missing or empty), so your files were left as they are: the step's author needs to put its starter files there.`);
  }
  return files;
}

/** Whether the learner's files are exactly the starter's: the same names, the same bytes. */
export async function matchesStarter(step: Step, learnerFiles: string[]): Promise<boolean> {
  const starterFiles = await listStarterFiles(step).catch(() => undefined);
  if (!starterFiles || starterFiles.join('\0') !== learnerFiles.join('\0')) return false;
  for (const file of starterFiles) {
    if (!(await sameBytes(join(starterDir(step), file), join(step.dir, file)))) return false;
  }
  return true;
}
