// What the checker and the learner's processes (skippable-clock.ts) say to each other about time.
// The learner's code may read the same channels (a cluster's workers talk to their primary over
// theirs): one key of the kit's own, and none of the usual `type` or `id`, keeps the two apart.

/** The ask: move the clock `ms` on. `ask` numbers it, for its answer. */
export interface SkipTimeMessage {
  chatWorkshopClock: 'skip';
  ask: number;
  ms: number;
}

/** The answer, once the timers due meanwhile have run. */
export interface TimeSkippedMessage {
  chatWorkshopClock: 'skipped';
  ask: number;
}

export const isSkipTime = (message: unknown): message is SkipTimeMessage => (message as SkipTimeMessage | null)?.chatWorkshopClock === 'skip';
export const isTimeSkipped = (message: unknown, ask: number): boolean => (message as TimeSkippedMessage | null)?.chatWorkshopClock === 'skipped' && (message as TimeSkippedMessage).ask === ask;
