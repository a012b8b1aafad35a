// Backups of a learner's files for one step: <state>/backups/<step folder>/<UTC time>/ holds a
// byte-for-byte copy of every learner file, and `.backup.json` says which command made it. The
// dot keeps that note apart from the learner's files: listLearnerFiles skips dot files.
// A backup is copied into a hidden folder and renamed into place once complete, so a folder with
// a backup's name is always a whole backup, even after a crash or a full disk.
import { randomUUID } from 'node:crypto';
import { access, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { stateDir } from '../progress/state-dir.ts';

/** The command that made a backup: `restore` only says what it is about to overwrite. */
export type BackupMaker = 'reset' | 'restore';

export interface Backup {
  /** Absolute path of the backup folder. */
  dir: string;
  /** e.g. `2026-11-26T13-10-05.123Z`: when it was made, in UTC, as a file name can hold it. */
  name: string;
  madeBy: BackupMaker;
  /** The learner's files it holds, as listLearnerFiles names them. */
  files: string[];
}

const noteFile = '.backup.json';
const namePattern = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/;

export function backupsDir(step: Step): string {
  return join(stateDir(), 'backups', step.folder);
}

/** Every whole backup of `step`, oldest first. */
export async function listBackups(step: Step): Promise<Backup[]> {
  const backups: Backup[] = [];
  for (const name of await backupNames(step)) {
    const dir = join(backupsDir(step), name);
    const note = await readFile(join(dir, noteFile), 'utf8')
      .then((text) => JSON.parse(text) as { madeBy?: unknown })
      .catch(() => undefined);
    // A folder without our note was not made by the kit: it is left alone.
    if (note?.madeBy !== 'reset' && note?.madeBy !== 'restore') continue;
    backups.push({ dir, name, madeBy: note.madeBy, files: await listLearnerFiles(dir) });
  }
  return backups;
}

/** Copies every learner file of `step` into a new backup, complete before this returns. */
export async function createBackup(step: Step, madeBy: BackupMaker): Promise<Backup> {
  const files = await listLearnerFiles(step.dir);
  const parent = backupsDir(step);
  await mkdir(parent, { recursive: true });
  const partial = join(parent, `.partial-${process.pid}-${randomUUID()}`);
  try {
    await mkdir(partial);
    for (const file of files) {
      await mkdir(dirname(join(partial, file)), { recursive: true });
      await copyFile(join(step.dir, file), join(partial, file));
    }
    await writeFile(join(partial, noteFile), `${JSON.stringify({ step: step.folder, madeBy, files }, null, 2)}\n`);
    const name = await renameIntoPlace(step, partial);
    return { dir: join(parent, name), name, madeBy, files };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Names the backup after the time, one millisecond later than the newest backup if need be: names
 * stay unique and in the order the backups were made, even two in one millisecond or after the
 * clock went back. Renaming onto an existing backup fails (it is never an empty folder, it holds
 * its note), so two commands at once never overwrite each other: the later one takes the next name.
 */
async function renameIntoPlace(step: Step, partial: string): Promise<string> {
  const newest = (await backupNames(step)).at(-1);
  let time = Math.max(Date.now(), newest === undefined ? 0 : timeOf(newest) + 1);
  for (let attempt = 1; ; attempt++, time++) {
    const name = new Date(time).toISOString().replaceAll(':', '-');
    const target = join(backupsDir(step), name);
    try {
      await rename(partial, target);
      return name;
    } catch (error) {
      const taken = await access(target).then(() => true, () => false);
      if (!taken || attempt >= 1000) throw error;
    }
  }
}

async function backupNames(step: Step): Promise<string[]> {
  try {
    return (await readdir(backupsDir(step))).filter((name) => namePattern.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function timeOf(name: string): number {
  return Date.parse(name.replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3'));
}
