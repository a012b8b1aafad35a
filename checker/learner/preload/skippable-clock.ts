// A clock the checker can move on, in the learner's server. Some of what a lesson asks happens
// after a time of the server's own: a rate limit's window is over after 3 s, a private message
// nobody confirms is refused after 5 s. A check that waited for these in real time idled for
// seconds; it asks instead for the time to be skipped (`skip-time` over the IPC channel), and the
// server's timers due meanwhile run at once, in their order, with Date.now() and performance.now()
// reading the time they were due at. Until a skip, everything runs as on a wall clock.
//
// What moves: setTimeout, setInterval (global and from node:timers), setTimeout of
// node:timers/promises, AbortSignal.timeout(), Date.now() and `new Date()`, performance.now(),
// process.hrtime(). What does not: setImmediate, and the timers inside Node.js itself (those of
// its HTTP server). A check's deadline for the server is then on this clock too: a server that
// waits 10 s where 5 are asked does not pass because the checker skipped 5.
import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import cluster, { type Worker } from 'node:cluster';
import { isSkipTime, isTimeSkipped, type SkipTimeMessage, type TimeSkippedMessage } from './clock-protocol.ts';


const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  dateNow: Date.now,
  performanceNow: performance.now.bind(performance),
};

/** How far the clock is ahead of the wall's. */
let skippedMs = 0;
const now = () => real.performanceNow() + skippedMs;

/** Timers not yet due, by their number (what `+timer` gives, and clearTimeout takes). */
const pending = new Map<number, SkippableTimer>();
let lastId = 0;

/** Node.js runs a timer with a delay under 1 ms, over 2^31 - 1, or not a number, after 1 ms. */
const timerDelay = (delay: unknown) => {
  const ms = Number(delay);
  return Number.isFinite(ms) && ms >= 1 && ms <= 2 ** 31 - 1 ? ms : 1;
};

/** One setTimeout or setInterval: a real timer underneath, armed again after each skip. */
class SkippableTimer {
  readonly #id = ++lastId;
  #due: number;
  #handle: NodeJS.Timeout | undefined;
  #referenced = true;

  constructor(
    private readonly callback: (...args: unknown[]) => void,
    private readonly delay: number,
    private readonly args: unknown[],
    private readonly repeats: boolean,
  ) {
    this.#due = now() + delay;
    pending.set(this.#id, this);
    this.arm();
  }

  get due(): number {
    return this.#due;
  }

  /** (Re)starts the real timer for what is left until the timer is due. */
  arm(): void {
    if (this.#handle) real.clearTimeout(this.#handle);
    this.#handle = real.setTimeout(() => this.fireIfDue(), Math.max(0, this.#due - now()));
    if (!this.#referenced) this.#handle.unref();
  }

  disarm(): void {
    if (this.#handle) real.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  fireIfDue(): void {
    if (!pending.has(this.#id)) return;
    if (this.#due > now() + 1) return this.arm();
    this.fire();
  }

  /** Runs the callback as Node.js would: an error it throws is the process's uncaught exception. */
  fire(): void {
    if (this.repeats) {
      this.#due += this.delay;
      this.arm();
    } else {
      this.close();
    }
    try {
      this.callback.apply(this, this.args);
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }

  close(): this {
    pending.delete(this.#id);
    this.disarm();
    return this;
  }

  ref(): this {
    this.#referenced = true;
    this.#handle?.ref();
    return this;
  }

  unref(): this {
    this.#referenced = false;
    this.#handle?.unref();
    return this;
  }

  hasRef(): boolean {
    return this.#referenced;
  }

  refresh(): this {
    this.#due = now() + this.delay;
    pending.set(this.#id, this);
    this.arm();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.#id;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function clearTimer(timer: unknown): void {
  if (timer instanceof SkippableTimer) timer.close();
  else if ((typeof timer === 'number' || typeof timer === 'string') && pending.has(Number(timer))) pending.get(Number(timer))!.close();
  else real.clearTimeout(timer as NodeJS.Timeout);
}

function setSkippableTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): SkippableTimer {
  // Anything but a function: Node.js's own setTimeout throws its own error.
  if (typeof callback !== 'function') return real.setTimeout(callback as () => void, delay as number) as never;
  return new SkippableTimer(callback as () => void, timerDelay(delay), args, false);
}

function setSkippableInterval(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  if (typeof callback !== 'function') return real.setInterval(callback as () => void, delay as number);
  return new SkippableTimer(callback as () => void, timerDelay(delay), args, true);
}

/** node:timers/promises' setTimeout: resolves with `value` after `delay`, on this clock. */
function sleep<T>(delay?: number, value?: T, options: { signal?: AbortSignal; ref?: boolean } = {}): Promise<T> {
  const { signal, ref = true } = options;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const timer = new SkippableTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value as T);
    }, timerDelay(delay), [], false);
    if (!ref) timer.unref();
    const onAbort = () => {
      timer.close();
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Moves the clock `ms` on: runs every timer due by then in the order they are due, each with the
 * clock at its time and a turn of the event loop after it (what it started runs), then arms the rest.
 */
async function skip(ms: number): Promise<void> {
  const target = now() + ms;
  for (const timer of pending.values()) timer.disarm();
  for (;;) {
    let next: SkippableTimer | undefined;
    for (const timer of pending.values()) if (timer.due <= target && (!next || timer.due < next.due)) next = timer;
    if (!next) break;
    skippedMs += Math.max(0, next.due - now());
    next.disarm();
    next.fire();
    next.disarm();
    await new Promise((resolve) => real.setImmediate(resolve));
  }
  skippedMs += Math.max(0, target - now());
  for (const timer of pending.values()) timer.arm();
}

// The clock itself. Date.now() counts whole milliseconds, as it always does.
const RealDate = Date;
const dateNow = () => real.dateNow() + Math.round(skippedMs);
globalThis.Date = new Proxy(RealDate, {
  // new Date() is now on this clock; every other form names its own time.
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [dateNow()] : args, newTarget),
  // Date() without new: the time as a string.
  apply: () => new RealDate(dateNow()).toString(),
  get: (target, property, receiver) => (property === 'now' ? dateNow : Reflect.get(target, property, receiver)),
});
performance.now = now;
const realHrtime = process.hrtime;
const hrtime = (previous?: [number, number]) => {
  const [seconds, nanoseconds] = realHrtime();
  const total = BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds) + BigInt(Math.round(skippedMs * 1e6)) - (previous ? BigInt(previous[0]) * 1_000_000_000n + BigInt(previous[1]) : 0n);
  return [Number(total / 1_000_000_000n), Number(total % 1_000_000_000n)] as [number, number];
};
process.hrtime = Object.assign(hrtime, { bigint: () => realHrtime.bigint() + BigInt(Math.round(skippedMs * 1e6)) });
AbortSignal.timeout = (delay: number) => {
  const controller = new AbortController();
  // As Node.js's own: it does not keep the process alive.
  setSkippableTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), delay).unref();
  return controller.signal;
};

// The timers, wherever the code takes them from.
Object.assign(setSkippableTimeout, { [promisify.custom]: sleep });
globalThis.setTimeout = setSkippableTimeout as unknown as typeof setTimeout;
globalThis.setInterval = setSkippableInterval as typeof setInterval;
globalThis.clearTimeout = clearTimer as typeof clearTimeout;
globalThis.clearInterval = clearTimer as typeof clearInterval;
Object.assign(timers, { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, clearTimeout: clearTimer, clearInterval: clearTimer });
Object.assign(timersPromises, { setTimeout: sleep });
syncBuiltinESMExports();

/**
 * A primary's workers (node:cluster starts them with this preload too) keep time of their own: a
 * skip asked of the primary is asked of each of them, and answered once all have skipped, or
 * given up on (a worker busy or dying) after a moment.
 */
function skipWorker(worker: Worker, ms: number): Promise<void> {
  if (!worker.isConnected()) return Promise.resolve();
  const ask = ++lastAsk;
  return new Promise((resolve) => {
    const finish = () => {
      real.clearTimeout(timer);
      worker.off('message', onMessage);
      resolve();
    };
    const onMessage = (message: unknown) => isTimeSkipped(message, ask) && finish();
    const timer = real.setTimeout(finish, 1500);
    worker.on('message', onMessage);
    worker.send({ chatWorkshopClock: 'skip', ask, ms } satisfies SkipTimeMessage, (error: Error | null) => error && finish());
  });
}
let lastAsk = 0;

process.on('message', (message: unknown) => {
  if (!isSkipTime(message)) return;
  const workers = cluster.isPrimary ? Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined) : [];
  void Promise.all([skip(message.ms), ...workers.map((worker) => skipWorker(worker, message.ms))]).then(() =>
    process.send?.({ chatWorkshopClock: 'skipped', ask: message.ask } satisfies TimeSkippedMessage),
  );
});
