// `npm run reset N`: puts the step's starter back over the learner's files, once every one of
// their files is safe in a backup. Files the learner added are left where they are: they are not
// the starter's to replace, and the backup holds them anyway.
import { join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { stateDir } from '../progress/state-dir.ts';
import { createBackup, type Backup } from './backup.ts';
import { ensureWritable } from './ensure-writable.ts';
import { replaceFile, sameBytes } from './file-bytes.ts';
import { showPath } from './shown-path.ts';
import { listStarterFiles, starterDir } from './starter.ts';
import { backupFailure, describeFailure, WorkspaceError } from './workspace-error.ts';

export interface PutBack {
  file: string;
  /** The learner had deleted it. */
  wasMissing: boolean;
}

export type ResetOutcome =
  /** Every starter file was already there, unchanged: no backup was needed. */
  | { kind: 'already-starter'; kept: string[] }
  | { kind: 'reset'; putBack: PutBack[]; kept: string[]; backup: Backup };

export async function resetStep(step: Step): Promise<ResetOutcome> {
  const starterFiles = await listStarterFiles(step);
  const learnerFiles = await listLearnerFiles(step.dir);
  const kept = learnerFiles.filter((file) => !starterFiles.includes(file));
  const putBack: PutBack[] = [];
  for (const file of starterFiles) {
    if (!(await sameBytes(join(starterDir(step), file), join(step.dir, file)))) {
      putBack.push({ file, wasMissing: !learnerFiles.includes(file) });
    }
  }
  if (putBack.length === 0) return { kind: 'already-starter', kept };

  await ensureWritable(putBack.map(({ file }) => join(step.dir, file)));
  const backup = await createBackup(step, 'reset').catch((error: unknown) => {
    throw backupFailure(error, stateDir());
  });
  try {
    for (const { file } of putBack) await replaceFile(join(starterDir(step), file), join(step.dir, file));
  } catch (error) {
    throw new WorkspaceError(
      `Putting back the starter of step ${step.number} stopped half-way (${describeFailure(error)}), but all your files are safe in ${showPath(backup.dir)}/: once that is fixed, \`npm run restore ${step.number}\` brings them back.`,
    );
  }
  return { kind: 'reset', putBack, kept, backup };
}
