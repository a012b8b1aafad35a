// The two file operations a reset and a restore are made of: comparing a learner's file with a
// saved one, and writing a learner's file whole.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Whether both files exist and hold the same bytes. */
export async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([readFile(a).catch(() => undefined), readFile(b).catch(() => undefined)]);
  return left !== undefined && right !== undefined && left.equals(right);
}

/**
 * Copies `source` to `target` through a hidden file beside it that is then renamed into place:
 * `npm run step`, which restarts on every save, or an open editor never read half a file.
 */
export async function replaceFile(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  // A leading dot: listLearnerFiles never takes it for a learner's file, even if we are killed here.
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
  try {
    await copyFile(source, temporary);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
