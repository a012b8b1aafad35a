// Why a reset or a restore stopped: one sentence for the learner that says what is safe, where
// their files are and what to do next.
import { isAbsolute, relative } from 'node:path';
import { showPath } from './shown-path.ts';
import { KitError } from '../errors/kit-error.ts';

export class WorkspaceError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

/** The codes that mean "not allowed to write here": a permission, or a read-only disk. */
export function isPermissionError(error: unknown): boolean {
  return ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');
}

/** A failed file operation in a few words, e.g. `no space left on device for steps/04-emit/index.ts (ENOSPC)`. */
export function describeFailure(error: unknown): string {
  const { code, path, message } = error as NodeJS.ErrnoException;
  if (!code) return message;
  // Node.js words it `ENOSPC: no space left on device, copyfile '…' -> '…'`: the middle is what a person reads.
  const reason = /^\w+: ([^,]+)/.exec(message)?.[1] ?? 'failed';
  return `${reason}${path ? ` for ${showPath(path)}` : ''} (${code})`;
}

/** Why no backup could be made (so nothing was changed), and what would let it work. */
export function backupFailure(error: unknown, stateFolder: string): WorkspaceError {
  const what = describeFailure(error);
  if (!isPermissionError(error)) {
    return new WorkspaceError(`No backup of your files could be made (${what}), so nothing was changed: fix that (a full disk, say), then try again.`);
  }
  const path = (error as NodeJS.ErrnoException).path ?? stateFolder;
  const fromState = relative(stateFolder, path);
  if (fromState.startsWith('..') || isAbsolute(fromState)) {
    return new WorkspaceError(`No backup of your files could be made (${what}), so nothing was changed: make that file readable for you, then try again.`);
  }
  return new WorkspaceError(`The kit's folder ${showPath(stateFolder)}/ cannot be written (${what}), so no backup of your files could be made and nothing was changed: check that folder's permissions, or set WORKSHOP_STATE_DIR to a folder you can write, then try again.`);
}
