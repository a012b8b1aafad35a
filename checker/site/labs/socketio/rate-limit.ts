// A token bucket per connection: a burst of events is fine, a flood is dropped. It reads the
// clock when asked and sets no timer, so a closed connection leaves nothing behind.

export interface RateLimiter {
  /** True when one more event may pass now; false when it must be dropped. */
  take(): boolean;
}

export function createRateLimiter(burst: number, refillMs: number, now: () => number = Date.now): RateLimiter {
  let tokens = burst;
  let updated = now();
  return {
    take() {
      const time = now();
      tokens = Math.min(burst, tokens + (time - updated) / refillMs);
      updated = time;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
