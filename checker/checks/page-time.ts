// Waiting through the page's own time: a debounce, an expiry, a reconnection's back-off. A check
// that waited for these in real time idled for seconds. On a page opened with a clock
// (`app.openPage('/', { clock: true })`), the time the page would idle is skipped instead: its
// timers due meanwhile run in their order, as they would have, and the check sees the outcome at
// once. Only the page's time is skipped, never the server's or the network's: between two skips the
// page gets a slice of real time for what follows a timer (a packet sent, an answer read), and a
// wait for an outcome that must cross the network gives it a real deadline of its own at the end.
import type { ChatPage } from '../browser/chat-page.ts';

/** Real time given to the page, the network and the server between two skips. */
const sliceMs = 30;

export interface PageTimeWait {
  /** Page time skipped at once, at most: what the check learns of when something happened is this precise. */
  stepMs?: number;
  /**
   * Real time still given once the page time is spent, for an outcome that crosses the network
   * (the server relays what a timer of the page sent). Only for outcomes the check wants: while it
   * passes, the page's clock runs on, as a wall clock's.
   */
  thenRealMs?: number;
}

/**
 * Resolves true as soon as `holds` does, false if it still does not after `pageMs` of the page's
 * own time (and `thenRealMs` after). `holds(realMs)` waits up to `realMs` of real time for the
 * condition, and only tests it when `realMs` is 0. A page that cannot skip is waited for in real
 * time, as before.
 */
export async function waitThroughPageTime(
  page: ChatPage,
  pageMs: number,
  holds: (realMs: number) => Promise<boolean>,
  { stepMs = 250, thenRealMs = 0 }: PageTimeWait = {},
): Promise<boolean> {
  if (!page.engine.skipAhead) return holds(Math.max(1, pageMs + thenRealMs));
  // Read from the page: its clock stands still while a skip runs its timers.
  const started = await pageNow(page);
  let left = pageMs;
  while (left > 0) {
    if (await holds(Math.max(1, Math.min(sliceMs, left)))) return true;
    left = pageMs - ((await pageNow(page)) - started);
    if (left <= 0) break;
    const step = Math.min(stepMs, Math.ceil(left));
    if (!(await page.engine.skipAhead(step))) return holds(left + thenRealMs);
    left -= step;
  }
  return holds(thenRealMs);
}

/** `expression` (JavaScript, run in the page) holds within `pageMs` of the page's time. */
export function pageShowsWithin(page: ChatPage, expression: string, pageMs: number, wait: PageTimeWait = {}): Promise<boolean> {
  return waitThroughPageTime(
    page,
    pageMs,
    (realMs) => (realMs > 0 ? page.engine.waitUntil(expression, realMs) : page.engine.evaluate<boolean>(`Boolean(${expression})`)),
    wait,
  );
}

/** The page's own clock, in milliseconds: it runs on at each skip. */
export const pageNow = (page: ChatPage): Promise<number> => page.engine.evaluate<number>('performance.now()');
