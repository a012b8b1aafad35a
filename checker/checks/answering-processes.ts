// The learner's processes whose answers the checks wait for: its server (and the one a restart
// started in its place) and those a check started. A wait for an answer gets its deadline in the
// time they could run (processes/run-time-deadline.ts): on a busy machine the learner's server
// can wait seconds for a CPU, which must not turn a right answer into "it never came".
const answering = new Set<number>();

/** From now on, waits count `pid`'s time (a process that has ended counts for nothing). */
export function noteAnswering(pid: number | undefined): void {
  if (pid) answering.add(pid);
}

export function answeringProcesses(): readonly number[] {
  return [...answering];
}
