// Every process the kit starts (the learner's server, a browser, `tsx watch`) runs in a process
// group of its own and is tracked here, so that it ends with the kit, however the kit ends:
// normally, on an error, or on Ctrl+C, and even if the process ignores SIGTERM.
import type { ChildProcess } from 'node:child_process';

interface Registry {
  running: Set<ChildProcess>;
  beforeExit: Set<() => void>;
}

// One registry per thread, kept on its global object: a warm judge's thread evaluates the checks'
// modules anew at each judgement (judge/kept-thread-worker.js), and each evaluation must neither
// lose the processes started before it nor add one more exit handler.
const perThread = globalThis as { chatWorkshopChildProcesses?: Registry };
const firstInThread = !perThread.chatWorkshopChildProcesses;
const { running, beforeExit } = (perThread.chatWorkshopChildProcesses ??= { running: new Set(), beforeExit: new Set() });

/** Options for spawn(): a process group of its own where the system has them. */
export const ownProcessGroup = { detached: process.platform !== 'win32' } as const;

/** Kit processes that end what they started themselves when asked: they get SIGTERM, not SIGKILL. */
const endingThemselves = new WeakSet<ChildProcess>();

export function track(child: ChildProcess, cleanup?: () => void): void {
  running.add(child);
  if (cleanup) beforeExit.add(cleanup);
  child.once('exit', () => {
    running.delete(child);
    cleanup?.();
    if (cleanup) beforeExit.delete(cleanup);
  });
}

/** Ends the process and everything it started. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (process.platform === 'win32' || child.pid === undefined) child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Gone already, or started without a group of its own: then the process alone.
    child.kill(signal);
  }
}

/**
 * A process of the kit itself (the warm judge): it is asked to end with SIGTERM, and its own
 * handlers end the processes it started, each in a group of its own. SIGKILL would leave those.
 * If the kit itself is killed, the process sees its parent gone (parent-watch.ts) and does the same.
 */
export function trackKitProcess(child: ChildProcess): void {
  endingThemselves.add(child);
  track(child);
}

export function killAll(): void {
  for (const child of running) {
    if (endingThemselves.has(child)) child.kill('SIGTERM');
    else killGroup(child);
  }
  for (const cleanup of beforeExit) cleanup();
}

if (firstInThread) process.once('exit', killAll);
