// Starts the learner's code exactly as written, in a process of its own, and learns its port
// by listening for it (the preload reports each server that starts listening).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListeningMessage } from './preload/for-checks.ts';
import { spareVariable, type GoMessage, type ReadyForGoMessage } from './preload/spare-protocol.ts';
import { isTimeSkipped, type SkipTimeMessage } from './preload/clock-protocol.ts';
import { isUnheardEventMessage, type UnheardEvent } from './preload/unheard-protocol.ts';
import { OutputBuffer } from './output-buffer.ts';
import { killGroup, ownProcessGroup, track } from '../processes/child-processes.ts';
import { runTimeDeadline } from '../processes/run-time-deadline.ts';

// The kit's own TypeScript loader: it leaves node_modules alone, so express and socket.io load fast.
const typescriptLoader = fileURLToPath(new URL('../loader/register.js', import.meta.url));
const checkPreload = fileURLToPath(new URL('./preload/for-checks.ts', import.meta.url));
const waitForGoPreload = fileURLToPath(new URL('./preload/wait-for-go.ts', import.meta.url));

export interface Listening {
  port: number;
  /** The host to connect to: 127.0.0.1 or ::1, whichever the server listens on. */
  host: string;
  /** The port the code asked for (it listens on a free one instead), when it named one. */
  askedPort?: number;
}

/**
 * The port the checker names in PORT for the learner's first process: one nobody writes by hand,
 * so that a server that listens on it shows that it reads PORT, as lesson 01 teaches.
 */
export const portNamedInEnvironment = 3917;

export type StartFailure =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  /**
   * No listen() within `budgetMs` of time the process could run: `afterMs` of it, and `waitedMs`
   * more that it waited for a CPU (a busy machine); `afterMs` falls short only when the deadline's
   * wall-clock bound came first (run-time-deadline.ts).
   */
  | { kind: 'timeout'; afterMs: number; waitedMs: number; budgetMs: number };

export class LearnerStartError extends Error {
  constructor(readonly failure: StartFailure) {
    super(`learner process did not start: ${failure.kind}`);
  }
}

export interface StartOptions {
  /** The folder holding index.ts: the step folder, or its solution/. */
  dir: string;
  /** The file to run, relative to `dir`: index.ts, unless a check starts another (step 12's cluster). */
  entry?: string;
  /** How long the code may take to start listening. */
  startTimeoutMs?: number;
  /** More for `npm run load`: preloads after the checker's own, node flags, environment variables. */
  preloads?: string[];
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Started ahead, as a spare: it loads the libraries, then waits for go() before it runs the
   * learner's code (preload/wait-for-go.ts). The start deadline counts from go().
   */
  spare?: boolean;
}

export interface LearnerServer {
  /** The process itself, for talking over IPC to a preload of the caller's own. */
  readonly child: ChildProcess;
  readonly output: OutputBuffer;
  /** Resolves once a server listens; rejects with a LearnerStartError otherwise. */
  readonly listening: Promise<Listening>;
  /** Resolves when the process has ended, for whatever reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process and everything it started, even if it ignores SIGTERM. */
  stop(): Promise<void>;
  /** A spare's start: runs the learner's code now, with these variables added to its environment. */
  go(env: Record<string, string>): void;
  /**
   * Moves the process's clock `ms` on (preload/skippable-clock.ts): its timers due meanwhile run.
   * False if it did not say it had within `timeoutMs`: it is gone, busy, or a worker of its own.
   */
  skipTime(ms: number, timeoutMs: number): Promise<boolean>;
  /** Calls `listener` with each Socket.IO event the process gets that nothing listens for (preload/report-unheard-events.ts); returns how to stop. */
  onUnheard(listener: (report: UnheardEvent) => void): () => void;
}

export function startLearnerServer({ dir, entry = 'index.ts', startTimeoutMs = 7000, preloads = [], nodeFlags = [], env = {}, spare = false }: StartOptions): LearnerServer {
  const output = new OutputBuffer();
  const imports = [typescriptLoader, checkPreload, ...preloads, ...(spare ? [waitForGoPreload] : [])].flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, [...nodeFlags, ...imports, join(dir, entry)], {
    cwd: dir,
    // A process group of its own, so stop() also ends anything the learner's code spawned.
    ...ownProcessGroup,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, FORCE_COLOR: '0', NODE_OPTIONS: '', ...env, ...(spare ? { [spareVariable]: '1' } : {}) },
  });
  track(child);
  child.stdout!.on('data', (data: Buffer) => output.add('stdout', data));
  child.stderr!.on('data', (data: Buffer) => output.add('stderr', data));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      output.add('stderr', Buffer.from(String(error)));
      resolve({ code: null, signal: null });
    });
  });

  let startDeadline = () => {};
  const listening = new Promise<Listening>((resolve, reject) => {
    let cancelDeadline = () => {};
    // In the time the process could run: on a busy machine, its wait for a CPU is not its fault.
    startDeadline = () => {
      cancelDeadline = runTimeDeadline(child.pid, startTimeoutMs, ({ elapsedMs, waitedMs }) => {
        reject(new LearnerStartError({ kind: 'timeout', afterMs: Math.round(elapsedMs - waitedMs), waitedMs: Math.round(waitedMs), budgetMs: startTimeoutMs }));
      });
    };
    child.on('message', (message: ListeningMessage) => {
      if (message?.type !== 'listening') return;
      cancelDeadline();
      resolve({ port: message.port, host: connectableHost(message.address), askedPort: message.askedPort });
    });
    void exited.then(({ code, signal }) => {
      cancelDeadline();
      reject(new LearnerStartError({ kind: 'exited', code, signal }));
    });
  });
  // A start failure is reported by whoever awaits `listening`; never as an unhandled rejection.
  listening.catch(() => {});
  if (!spare) startDeadline();
  // A spare's go waits until the spare listens for it (spare-protocol.ts).
  const readyForGo = new Promise<void>((resolve) => {
    const onReady = (message: ReadyForGoMessage) => {
      if (message?.type !== 'ready for go') return;
      child.off('message', onReady);
      resolve();
    };
    if (spare) child.on('message', onReady);
  });

  const unheardListeners = new Set<(report: UnheardEvent) => void>();
  child.on('message', (message: unknown) => {
    if (isUnheardEventMessage(message)) for (const listener of unheardListeners) listener(message.chatWorkshopUnheard);
  });

  return {
    child,
    output,
    listening,
    exited,
    go(env) {
      const message: GoMessage = { type: 'go', env };
      // A spare that died meanwhile is reported by `exited`, as any start that failed.
      void readyForGo.then(() => {
        if (child.connected) child.send(message);
      });
      startDeadline();
    },
    skipTime(ms, timeoutMs) {
      if (!child.connected) return Promise.resolve(false);
      const ask = ++lastSkipAsk;
      return new Promise<boolean>((resolve) => {
        const finish = (skipped: boolean) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(skipped);
        };
        const onMessage = (message: unknown) => isTimeSkipped(message, ask) && finish(true);
        const timer = setTimeout(() => finish(false), timeoutMs);
        child.on('message', onMessage);
        child.send({ chatWorkshopClock: 'skip', ask, ms } satisfies SkipTimeMessage, (error) => error && finish(false));
      });
    },
    onUnheard(listener) {
      unheardListeners.add(listener);
      return () => unheardListeners.delete(listener);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child);
        await exited;
      }
    },
  };
}

let lastSkipAsk = 0;

function connectableHost(address: string): string {
  if (address === '::' || address === '0.0.0.0' || address === '') return '127.0.0.1';
  return address;
}
