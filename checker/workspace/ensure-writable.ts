// Checked before a reset or a restore writes anything: a read-only step folder then stops the
// command with nothing changed, rather than half-way through the learner's files.
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { showPath } from './shown-path.ts';
import { WorkspaceError } from './workspace-error.ts';

/** Throws unless every folder that would receive one of `files` (or its nearest existing parent) can be written. */
export async function ensureWritable(files: string[]): Promise<void> {
  const folders = new Set(await Promise.all(files.map((file) => nearestExisting(dirname(file)))));
  for (const folder of folders) {
    try {
      await access(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
      throw new WorkspaceError(`${showPath(folder)}/ cannot be written (${code}), so nothing was changed: make that folder writable for you (check its permissions, or that its disk is not read-only), then try again.`);
    }
  }
}

async function nearestExisting(folder: string): Promise<string> {
  for (let current = folder; ; current = dirname(current)) {
    try {
      await access(current);
      return current;
    } catch {
      if (dirname(current) === current) return current;
    }
  }
}
