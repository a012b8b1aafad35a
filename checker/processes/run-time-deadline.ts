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

/** Process `pid` and those it started, and those they started (at most `atMost` in all); just `pid` where Linux does not list them. */
function processTree(pid: number, atMost = 64): number[] {
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
  return found.slice(0, atMost);
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

/** The longest wait for a CPU of any process in the trees since `before` was read (a process started since: all of its wait). */
function longestWaitSince(pids: readonly number[], before: Map<number, number>): number {
  let longest = 0;
  for (const [each, waited] of treeWaits(pids)) longest = Math.max(longest, waited - (before.get(each) ?? 0));
  return longest;
}

/** How a run-time deadline passed: the wall-clock time since it was set, and how much of it the process waited for a CPU. */
export interface PassedDeadline {
  elapsedMs: number;
  waitedMs: number;
}

/**
 * Calls `onPassed` once the process `processes` names has had `ms` of time to run; returns how to
 * cancel. A process kept from the CPU gets its deadline later by as long as it was kept waiting,
 * and no later than `atMostMs` of wall time, so that a verdict always comes. `processes` may be a
 * function that lists several, as they are now (the learner's servers a check waits on): then
 * what counts is the longest wait of any.
 */
export function runTimeDeadline(processes: number | undefined | (() => readonly number[]), ms: number, onPassed: (passed: PassedDeadline) => void, atMostMs = ms * 6): () => void {
  const pids = typeof processes === 'function' ? processes : () => (processes === undefined ? [] : [processes]);
  const since = performance.now();
  const first = pids();
  // Nothing to read when no process is named: the deadline is in wall time.
  const before = first.length === 0 ? undefined : treeWaits(first);
  let timer: NodeJS.Timeout;
  const look = () => {
    const elapsedMs = performance.now() - since;
    const now = before === undefined ? [] : pids();
    const waitedMs = now.length === 0 ? 0 : longestWaitSince(now, before!);
    const ran = elapsedMs - waitedMs;
    // Within a millisecond counts as reached: a timer is never more precise.
    if (ran >= ms - 1 || elapsedMs >= atMostMs - 1) onPassed({ elapsedMs, waitedMs });
    else timer = setTimeout(look, Math.min(ms - ran, atMostMs - elapsedMs));
  };
  timer = setTimeout(look, ms);
  return () => clearTimeout(timer);
}
