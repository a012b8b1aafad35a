// A deadline for another process, counted in the time the system let that process run: the
// wall-clock time since the deadline was set, less the time the process was ready to run but
// waited for a CPU. On a machine kept busy by other work (a room of learners on one server, the
// kit's own tests beside each other) a process can wait seconds for its turn; a deadline in wall
// time would then say "your code never got there" of code that simply was not let run. Linux
// keeps that waiting time per thread (/proc/<pid>/schedstat, the second field, in ns, for the
// main thread); where it cannot be read (another system), the deadline is in wall time.
//
// The processes the process started count too (Chromium behind its launcher script, the workers
// of a learner's cluster): what counts is the longest wait of any of them, the one the others
// were most likely waiting for.
import { readdirSync, readFileSync } from 'node:fs';

/** How long, in ms, the main thread of process `pid` has waited for a CPU since it started; undefined where unknown. */
function cpuWaitMs(pid: number): number | undefined {
  try {
    const waitedNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waitedNs) ? waitedNs / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Listing a tree reads a file per thread (Chromium's run to about a hundred), and a check waits
 * many times a second: a tree listed less than this long ago is listed again only then. A process
 * started meanwhile is counted from the next listing on.
 */
const treeListedForMs = 250;
const listedTrees = new Map<number, { at: number; pids: number[] }>();

/** Process `pid` and those it started, and those they started (at most `atMost` in all); just `pid` where Linux does not list them. */
function processTree(pid: number, atMost = 64): number[] {
  const listed = listedTrees.get(pid);
  if (listed && performance.now() - listed.at < treeListedForMs) return listed.pids;
  const found = [pid];
  for (let index = 0; index < found.length && found.length < atMost; index += 1) {
    try {
      // A child is listed under the thread that started it.
      for (const thread of readdirSync(`/proc/${found[index]}/task`)) {
        const children = readFileSync(`/proc/${found[index]}/task/${thread}/children`, 'utf8').trim();
        if (children) found.push(...children.split(' ').map(Number));
      }
    } catch {
      // Gone meanwhile, or no /proc: what was found so far.
    }
  }
  const pids = found.slice(0, atMost);
  listedTrees.set(pid, { at: performance.now(), pids });
  return pids;
}

/** The CPU wait of every process in the trees of `pids`, now. */
function treeWaits(pids: readonly number[]): Map<number, number> {
  const waits = new Map<number, number>();
  for (const pid of pids) {
    for (const each of processTree(pid)) {
      const waited = cpuWaitMs(each);
      if (waited !== undefined) waits.set(each, waited);
    }
  }
  return waits;
}

/** The processes to count: one, none (wall time), or a function that lists them as they are now. */
export type CountedProcesses = number | undefined | (() => readonly number[]);

/** Time since it was started, in wall-clock time and in the time the processes could run. */
export interface RunTimeClock {
  elapsedMs(): number;
  /** The longest time any of the processes waited for a CPU since the clock started. */
  waitedMs(): number;
}

/** Starts a clock of the time `processes` could run: wall time, less the longest wait for a CPU of any of them (and of the processes they started). */
export function startRunTimeClock(processes: CountedProcesses): RunTimeClock {
  const pids = typeof processes === 'function' ? processes : () => (processes === undefined ? [] : [processes]);
  const since = performance.now();
  const first = pids();
  // Nothing to read when no process is named: the clock is a wall clock.
  const before = first.length === 0 ? undefined : treeWaits(first);
  return {
    elapsedMs: () => performance.now() - since,
    waitedMs() {
      if (before === undefined) return 0;
      let longest = 0;
      // A process started since: all of its wait.
      for (const [each, waited] of treeWaits(pids())) longest = Math.max(longest, waited - (before.get(each) ?? 0));
      return longest;
    },
  };
}

/** How a run-time deadline passed: the wall-clock time since it was set, and how much of it the process waited for a CPU. */
export interface PassedDeadline {
  elapsedMs: number;
  waitedMs: number;
}

/** How far past it, in wall time, a run-time deadline passes at the latest: six times its length. */
const wallClockBound = 6;

/**
 * How much of `ms` of run time is left on `clock`, and no more than what is left of `atMostMs` of
 * wall time; within a millisecond counts as reached (a timer is never more precise): then 0.
 */
export function runTimeLeft(clock: RunTimeClock, ms: number, atMostMs = ms * wallClockBound): PassedDeadline & { leftMs: number } {
  const elapsedMs = clock.elapsedMs();
  const waitedMs = clock.waitedMs();
  const leftMs = Math.min(ms - (elapsedMs - waitedMs), atMostMs - elapsedMs);
  return { elapsedMs, waitedMs, leftMs: leftMs <= 1 ? 0 : leftMs };
}

/**
 * Calls `onPassed` once `processes` have had `ms` of time to run (startRunTimeClock); returns
 * how to cancel. Processes kept from the CPU get their deadline later by as long as they were kept
 * waiting, and no later than `atMostMs` of wall time, so that a verdict always comes.
 */
export function runTimeDeadline(processes: CountedProcesses, ms: number, onPassed: (passed: PassedDeadline) => void, atMostMs = ms * wallClockBound): () => void {
  const clock = startRunTimeClock(processes);
  let timer: NodeJS.Timeout;
  const look = () => {
    const { elapsedMs, waitedMs, leftMs } = runTimeLeft(clock, ms, atMostMs);
    if (leftMs === 0) onPassed({ elapsedMs, waitedMs });
    else timer = setTimeout(look, leftMs);
  };
  timer = setTimeout(look, ms);
  return () => clearTimeout(timer);
}
