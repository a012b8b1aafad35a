// Waiting through time the learner's code keeps itself: a page's debounce, expiry or reconnection
// back-off; a server's rate-limit window or acknowledgement timeout. A check that waited for these
// in real time idled for seconds. Where the clock can be moved on (a page opened with
// `{ clock: true }`, see chromium-engine.ts; the learner's server, see skippable-clock.ts), the
// time is skipped instead: the timers due meanwhile run in their order, as they would have, and
// the check sees the outcome at once. Only that clock is moved, never the other side's or the
// network's: between two skips everything gets a slice of real time for what follows a timer (a
// packet sent, an answer read), and a wait for an outcome that must cross the network is given a
// real deadline of its own at the end.
import type { ChatPage } from '../browser/chat-page.ts';
import type { RelayConnection } from '../learner/relay.ts';

/** A clock that can be moved on: the page's, or the learner's server's. */
export interface SkippableClock {
  /** Its time now, in milliseconds from anywhere: only differences are used. */
  now(): Promise<number>;
  /** Moves it `ms` on; false when it did not (none there, or no more may be skipped). */
  skip(ms: number): Promise<boolean>;
}

/**
 * The clock of a learner's process, moved through the relay (`server`: a process a check started,
 * or the learner's server without it). Its time is the wall's plus all it was moved on.
 */
export function relayedServerClock(relay: RelayConnection, server?: number): SkippableClock {
  let skippedMs = 0;
  return {
    now: async () => performance.now() + skippedMs,
    skip: async (ms) => {
      const { skipped } = await relay.request('skip-time', server === undefined ? { ms } : { ms, server });
      if (skipped) skippedMs += ms;
      return skipped;
    },
  };
}

/** Real time given to both sides and the network between two skips. */
const sliceMs = 30;

export interface SkippedTimeWait {
  /** Time skipped at once, at most: what the check learns of when something happened is this precise. */
  stepMs?: number;
  /**
   * Real time still given once the time is spent, for an outcome that crosses the network (the
   * server relays what a timer of the page sent). Only for outcomes the check wants: meanwhile the
   * clock runs on, as a wall clock's.
   */
  thenRealMs?: number;
  /**
   * Real time given between two skips (30 ms unless said). 0 for an outcome of the clock's side
   * alone, with nothing on its way over the network meanwhile (a page's line that its own timer
   * clears): the timers due in a skip have run when it ends, so the outcome is tested at once.
   */
  realSliceMs?: number;
}

/**
 * Resolves true as soon as `holds` does, false if it still does not after `ms` of the clock's
 * time (and `thenRealMs` after). `holds(realMs)` waits up to `realMs` of real time for the
 * condition, and only tests it when `realMs` is 0. Where the clock cannot be moved, the whole
 * wait is in real time, as it was.
 */
export async function waitThroughTime(
  clock: SkippableClock | undefined,
  ms: number,
  holds: (realMs: number) => Promise<boolean>,
  { stepMs = 250, thenRealMs = 0, realSliceMs = sliceMs }: SkippedTimeWait = {},
): Promise<boolean> {
  if (!clock) return holds(Math.max(1, ms + thenRealMs));
  const started = await clock.now();
  let left = ms;
  while (left > 0) {
    if (await holds(realSliceMs === 0 ? 0 : Math.max(1, Math.min(realSliceMs, left)))) return true;
    left = ms - ((await clock.now()) - started);
    if (left <= 0) break;
    const step = Math.min(stepMs, Math.ceil(left));
    if (!(await clock.skip(step))) return holds(left + thenRealMs);
    left -= step;
  }
  return holds(thenRealMs);
}

/** Lets `ms` of the clock's time pass, for a wait with nothing to watch (a rate limit's window to end). */
export function letTimePass(clock: SkippableClock | undefined, ms: number): Promise<boolean> {
  const idle = (realMs: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), realMs));
  return waitThroughTime(clock, ms, idle, { stepMs: 500 });
}

/** The page's own clock, in milliseconds: it runs on at each skip. */
export const pageNow = (page: ChatPage): Promise<number> => page.engine.evaluate<number>('performance.now()');

/** The clock of a page opened with `{ clock: true }`; undefined for one that has none. */
export function pageClock(page: ChatPage): SkippableClock | undefined {
  const { skipAhead } = page.engine;
  if (!skipAhead) return undefined;
  // Read from the page: its clock stands still while a skip runs its timers.
  return { now: () => pageNow(page), skip: (ms) => skipAhead.call(page.engine, ms) };
}

/** `expression` (JavaScript, run in the page) holds within `pageMs` of the page's time. */
export function pageShowsWithin(page: ChatPage, expression: string, pageMs: number, wait: SkippedTimeWait = {}): Promise<boolean> {
  return waitThroughTime(
    pageClock(page),
    pageMs,
    (realMs) => (realMs > 0 ? page.engine.waitUntil(expression, realMs) : page.engine.evaluate<boolean>(`Boolean(${expression})`)),
    wait,
  );
}
