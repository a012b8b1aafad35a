// How a start that ran out of time is said, by the verdict and by a check that started a process:
// with the time the machine kept the process waiting for a CPU, when that was long enough to
// matter, so that a busy machine is never mistaken for slow code (or slow code for a busy machine).
import type { StartFailure } from './learner-process.ts';

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** E.g. "no server was listening after 7 s". */
export function noServerInTime({ afterMs, waitedMs, budgetMs }: Extract<StartFailure, { kind: 'timeout' }>): string {
  // The deadline is told once it has passed, a moment after on a busy machine (7.1 s of a 7 s
  // budget, once): that moment is the checker's, not the learner's code's, so the budget is said.
  const said = `no server was listening after ${seconds(Math.min(afterMs, budgetMs))}`;
  if (waitedMs < 1000) return said;
  // The deadline's wall-clock bound came first: the process never had its whole time.
  if (afterMs < budgetMs - 1000) return `${said} of running: this machine was so busy that it waited ${seconds(waitedMs)} more for a CPU (run the check again when the machine is quieter)`;
  return `${said} of running (it also waited ${seconds(waitedMs)} for a CPU, on this busy machine: that wait is not counted)`;
}
