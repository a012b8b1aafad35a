// A vitest pool (its custom-pool API) of one thread that outlives vitest's runs. Vitest 5 ends
// its thread after each run unless the next one is already waiting, so a warm judge's every
// judgement started a new thread that loaded playwright again and connected again to the browser:
// about 0.4 s of CPU per judgement, a good part of the kit's tests. Here vitest ends its part
// as usual, and the thread waits for the next run (kept-thread-worker.js).
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node';
import { trace } from './trace.ts';
import { vitestThreadSettings, type ThreadSettings } from './vitest-thread-settings.ts';

const entrypoint = fileURLToPath(new URL('./kept-thread-worker.js', import.meta.url));
const poolName = 'kept-thread';
/** A thread this many runs old, or with this much heap, is ended and another started. */
const maxRuns = 200;
const maxHeapBytes = 512 * 1024 * 1024;

export interface KeptThreadPool {
  readonly name: string;
  createPoolWorker(options: PoolOptions): PoolWorker;
  /**
   * Starts the thread of the first run now, before vitest is even imported, with the settings
   * vitest will give it, and has it load `preload` (libraries the checks import) meanwhile: the
   * main thread spends a quarter of a second loading vitest, while the other core has time.
   * Vitest's first run takes it if vitest asks for a thread with those settings, else it ends.
   */
  startAhead(preload: string[]): void;
  /** Ends the thread kept for the next run; after this, threads end with their run. */
  close(): Promise<void>;
}

interface KeptThread {
  thread: Worker;
  /** What it was started with: a run that asks for other settings gets a new thread. */
  settings: ThreadSettings;
  /** Whether its output goes to vitest's logger yet (a thread started ahead has no logger until its first run). */
  piped: boolean;
  runs: number;
  heapUsed: number;
  /** While it waits: forgets it, if it ends meanwhile. */
  onExit?: () => void;
}

function startThread(settings: ThreadSettings, preload: string[] = []): KeptThread {
  const thread = new Worker(entrypoint, { ...settings, stdout: true, stderr: true, workerData: { preload } });
  return { thread, settings, piped: false, runs: 0, heapUsed: 0 };
}

export function keptThreadPool(): KeptThreadPool {
  let waiting: KeptThread | undefined;
  let closed = false;
  const wait = (kept: KeptThread) => {
    // Waiting, it must not keep the judge's process alive.
    kept.thread.unref();
    kept.onExit = () => {
      if (waiting === kept) waiting = undefined;
    };
    kept.thread.once('exit', kept.onExit);
    waiting = kept;
  };
  return {
    name: poolName,
    startAhead(preload) {
      if (closed || waiting) return;
      wait(startThread(vitestThreadSettings(), preload));
    },
    createPoolWorker(options) {
      let taken = waiting;
      waiting = undefined;
      if (taken) {
        taken.thread.off('exit', taken.onExit!);
        taken.thread.ref();
      }
      if (taken && !isDeepStrictEqual(taken.settings, { env: options.env, execArgv: options.execArgv })) {
        trace('the thread started ahead has other settings than vitest asks for: another is started');
        void taken.thread.terminate();
        taken = undefined;
      }
      return new KeptThreadWorker(options, taken, (kept) => {
        if (closed || waiting || kept.runs >= maxRuns || kept.heapUsed >= maxHeapBytes) return false;
        wait(kept);
        return true;
      });
    },
    async close() {
      closed = true;
      const left = waiting;
      waiting = undefined;
      await left?.thread.terminate();
    },
  };
}

/** One run's view of the thread: vitest's PoolRunner starts it, talks to it, and stops it. */
class KeptThreadWorker implements PoolWorker {
  readonly name = poolName;
  /** So that each run's end says how much heap the thread holds. */
  readonly reportMemory = true;
  private kept: KeptThread | undefined;
  private readonly listeners: Array<[string, (...args: any[]) => void]> = [];
  private stopAsked = false;

  constructor(
    private readonly options: PoolOptions,
    taken: KeptThread | undefined,
    private readonly keep: (kept: KeptThread) => boolean,
  ) {
    this.kept = taken;
  }

  async start(): Promise<void> {
    this.kept ??= startThread({ env: this.options.env, execArgv: this.options.execArgv });
    if (this.kept.piped) return;
    // For the thread's whole life: the logger's streams are the same for every run of this vitest.
    const { outputStream, errorStream } = this.options.project.vitest.logger;
    this.kept.thread.stdout.pipe(outputStream, { end: false });
    this.kept.thread.stderr.pipe(errorStream, { end: false });
    this.kept.piped = true;
  }

  on(event: string, callback: (...args: any[]) => void): void {
    this.listeners.push([event, callback]);
    this.thread.on(event, callback);
  }

  off(event: string, callback: (...args: any[]) => void): void {
    this.thread.off(event, callback);
  }

  send(message: WorkerRequest): void {
    if (message.type === 'stop') this.stopAsked = true;
    if (message.type === 'run') this.kept!.runs += 1;
    this.thread.postMessage(message);
  }

  deserialize(data: unknown): unknown {
    const message = data as { type?: string; usedMemory?: number } | undefined;
    if (message?.type === 'testfileFinished' && typeof message.usedMemory === 'number') this.kept!.heapUsed = message.usedMemory;
    return data;
  }

  async stop(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    if (!kept) return;
    for (const [event, callback] of this.listeners.splice(0)) kept.thread.off(event, callback);
    // Kept only when vitest ended its part in the thread ("stop", answered): a run that failed
    // or was cancelled is stopped without it, and its thread ends.
    if (this.stopAsked && kept.thread.threadId !== -1 && this.keep(kept)) return;
    await kept.thread.terminate();
  }

  private get thread(): Worker {
    if (!this.kept) throw new Error('the kept thread was used before its start or after its stop');
    return this.kept.thread;
  }
}
