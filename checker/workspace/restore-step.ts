// `npm run restore N`: brings back the learner's files as the newest `npm run reset N` saved
// them. The rule: restore takes the newest backup made by reset, never one made by restore. So
// restoring twice gives the same files twice, and a reset is always one restore away from undone.
// Before it writes, restore saves the files it is about to replace in a backup of its own (unless
// they are exactly the starter, which reset brings back at any time): a restore loses nothing either.
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { stateDir } from '../progress/state-dir.ts';
import { backupsDir, createBackup, listBackups, type Backup } from './backup.ts';
import { ensureWritable } from './ensure-writable.ts';
import { replaceFile, sameBytes } from './file-bytes.ts';
import { showPath } from './shown-path.ts';
import { matchesStarter } from './starter.ts';
import { backupFailure, describeFailure, WorkspaceError } from './workspace-error.ts';

export type RestoreOutcome =
  | { kind: 'no-backup' }
  /** The learner's files already are the backup's. */
  | { kind: 'already-restored'; from: Backup }
  | {
      kind: 'restored';
      from: Backup;
      /** Files written from the backup (the others already held the same bytes). */
      restored: string[];
      /** Files that were not there when the backup was made. */
      removed: string[];
      /** Where the files it replaced are kept; undefined when they were the starter. */
      saved: Backup | undefined;
    };

export async function restoreStep(step: Step): Promise<RestoreOutcome> {
  const backups = await listBackups(step).catch((error: unknown) => {
    throw new WorkspaceError(`The backups of step ${step.number} cannot be read (${describeFailure(error)}), so nothing was changed: check the permissions of ${showPath(backupsDir(step))}/, then try again.`);
  });
  const from = backups.filter((backup) => backup.madeBy === 'reset').at(-1);
  if (!from) return { kind: 'no-backup' };
  const current = await listLearnerFiles(step.dir);
  const restored: string[] = [];
  for (const file of from.files) {
    if (!(await sameBytes(join(from.dir, file), join(step.dir, file)))) restored.push(file);
  }
  const removed = current.filter((file) => !from.files.includes(file));
  if (restored.length === 0 && removed.length === 0) return { kind: 'already-restored', from };

  await ensureWritable([...restored, ...removed].map((file) => join(step.dir, file)));
  const saved = (await matchesStarter(step, current))
    ? undefined
    : await createBackup(step, 'restore').catch((error: unknown) => {
        throw backupFailure(error, stateDir());
      });
  try {
    for (const file of restored) await replaceFile(join(from.dir, file), join(step.dir, file));
    for (const file of removed) await removeFile(step, file);
  } catch (error) {
    const before = saved ? `your files from just before are safe in ${showPath(saved.dir)}/` : 'your files from just before were the starter';
    throw new WorkspaceError(
      `Restoring step ${step.number} stopped half-way (${describeFailure(error)}); the backup is unchanged in ${showPath(from.dir)}/ and ${before}: once that is fixed, run \`npm run restore ${step.number}\` again.`,
    );
  }
  return { kind: 'restored', from, restored, removed, saved };
}

/** Deletes a learner's file, and the folders it leaves empty: the step looks as it did when backed up. */
async function removeFile(step: Step, file: string): Promise<void> {
  await rm(join(step.dir, file));
  for (let folder = dirname(join(step.dir, file)); folder !== step.dir; folder = dirname(folder)) {
    const emptied = await rmdir(folder).then(() => true, () => false);
    if (!emptied) return;
  }
}
