// What the checker and the learner's process (skippable-clock.ts) say to each other about time.

/** The checker's ask: move the clock `ms` on. */
export interface SkipTimeMessage {
  type: 'skip-time';
  id: number;
  ms: number;
}

/** The process's answer, once the timers due meanwhile have run. */
export interface TimeSkippedMessage {
  type: 'time-skipped';
  id: number;
}
