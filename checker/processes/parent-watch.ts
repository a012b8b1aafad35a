// Ends the kit when the npm that ran it is gone. A signal to npm alone does not reach the kit:
// `kill` or `timeout` (SIGTERM) ends npm and its `sh -c`, and the kit, an orphan, is taken in by
// init or a subreaper; SIGINT or SIGHUP end npm and leave the `sh -c` waiting for the kit. So the
// kit watches both: its parent, which must stay the same, and npm, which must stay alive.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The parent of process `pid`, or undefined where it cannot be found. */
function parentOf(pid: number): number | undefined {
  try {
    // Linux: the field after the state, once the command name (in parentheses) is skipped.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (a pid taken again since; unlikely within a session).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once, when the kit's parent changes or the npm above it ends; checked every `everyMs`. */
export function watchParent(onGone: () => void, everyMs: number): void {
  const parent = process.ppid;
  // Run by npm (npm_lifecycle_event is set): npm is the parent, or the parent of its `sh -c`.
  const npm = process.env['npm_lifecycle_event'] && process.platform !== 'win32' ? parentOf(parent) : undefined;
  setInterval(() => {
    if (process.ppid !== parent || (npm !== undefined && npm > 1 && !isAlive(npm))) onGone();
  }, everyMs).unref();
}
