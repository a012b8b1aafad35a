// A deadline for another process, counted in the time the system let that process run: the
// wall-clock time since the deadline was set, less the time the process was ready to run but
// waited for a CPU. On a machine kept busy by other work (a room of learners on one server, the
// kit's own tests beside each other) a process can wait seconds for its turn; a deadline in wall
// time would then say "your code never got there" of code that simply was not let run. Linux
// keeps that waiting time per process (/proc/<pid>/schedstat, the second field, in ns); where it
// cannot be read (another system), the deadline is in wall time.
import { readFileSync } from 'node:fs';

/** How long, in ms, the main thread of process `pid` has waited for a CPU since it started; undefined where unknown. */
export function cpuWaitMs(pid: number): number | undefined {
  try {
    const waitedNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waitedNs) ? waitedNs / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/** How a run-time deadline passed: the wall-clock time since it was set, and how much of it the process waited for a CPU. */
export interface PassedDeadline {
  elapsedMs: number;
  waitedMs: number;
}

/**
 * Calls `onPassed` once process `pid` has had `ms` of time to run; returns how to cancel. A
 * process kept from the CPU gets its deadline later by as long as it was kept waiting, and no
 * later than `atMostMs` of wall time, so that a verdict always comes.
 */
export function runTimeDeadline(pid: number | undefined, ms: number, onPassed: (passed: PassedDeadline) => void, atMostMs = ms * 6): () => void {
  const since = performance.now();
  const waitedBefore = pid === undefined ? undefined : cpuWaitMs(pid);
  let timer: NodeJS.Timeout;
  const look = () => {
    const elapsedMs = performance.now() - since;
    const waitedNow = pid === undefined || waitedBefore === undefined ? undefined : cpuWaitMs(pid);
    const waitedMs = waitedNow === undefined ? 0 : Math.max(0, waitedNow - waitedBefore!);
    const ran = elapsedMs - waitedMs;
    // Within a millisecond counts as reached: a timer is never more precise.
    if (ran >= ms - 1 || elapsedMs >= atMostMs - 1) onPassed({ elapsedMs, waitedMs });
    else timer = setTimeout(look, Math.min(ms - ran, atMostMs - elapsedMs));
  };
  timer = setTimeout(look, ms);
  return () => clearTimeout(timer);
}
