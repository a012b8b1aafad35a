// The step's server for a load test: one process or several, each the learner's code as written
// (through startLearnerServer), with a fresh chat history in a temp folder removed afterwards, and
// a preload that reports the process's heap and CPU time when asked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, type Variant } from '../course/steps.ts';
import { readCrashReport } from '../learner/crash-report.ts';
import { LearnerStartError, startLearnerServer, type LearnerServer } from '../learner/learner-process.ts';
import type { UsageMessage, UsageRequest } from '../learner/preload/for-load.ts';
import { describeStartFailure } from '../report/describe-start-failure.ts';

const loadPreload = fileURLToPath(new URL('../learner/preload/for-load.ts', import.meta.url));
/** A server that is not flooded with messages answers at once; one that takes this long is stuck. */
const usageTimeoutMs = 30_000;
/** What is kept of a process's error output, for a crash after it printed a lot. */
const stderrTailBytes = 16 * 1024;

export interface ServerUsage {
  /** Bytes of heap in use: live objects only, when the garbage was collected first. */
  heapUsed: number;
  /** Microseconds of CPU time used since the process started. */
  cpuMicros: number;
  /** When the answer came (performance.now()): a busy server answers late, and its CPU time is as of then. */
  at: number;
}

export interface ChatServers {
  /** One URL per process. */
  readonly urls: string[];
  /**
   * Each process's heap and CPU time, in the order of `urls`; the heap after garbage collection if
   * asked. Rejects with a UsageTimeoutError after `timeoutMs`: a flooded server gets to the question late.
   */
  usage(collectGarbage: boolean, timeoutMs?: number): Promise<ServerUsage[]>;
  /** Resolves with one sentence when a process ends before stop(): the run cannot go on. */
  readonly stopped: Promise<string>;
  stop(): Promise<void>;
}

/** A server that does not answer the question about its memory and CPU time: stuck, surely. */
export class UsageTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The server did not answer within ${timeoutMs / 1000} s when asked for its memory and CPU time: is something in it running forever (an endless loop?)?`);
  }
}

/** The server did not start: what describeStartFailure says, as lines. */
export class ServerStartError extends Error {
  constructor(readonly lines: string[]) {
    super(lines[0]);
  }
}

export interface ServerOptions {
  dir: string;
  variant: Variant;
  processes: number;
  /** Given to every process, e.g. REDIS_URL. */
  env?: NodeJS.ProcessEnv;
}

export async function startChatServers({ dir, variant, processes, env = {} }: ServerOptions): Promise<ChatServers> {
  // One history for all processes: they are one chat. Removed even if the kit ends on Ctrl+C.
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-load-'));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeData);

  const learners = Array.from({ length: processes }, () =>
    startLearnerServer({
      dir,
      preloads: [loadPreload],
      nodeFlags: ['--expose-gc'],
      env: { ...env, CHAT_DB: join(dataDir, 'chat.db') },
    }),
  );
  const stderrTails = learners.map(keepStderrTail);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(learners.map((learner) => learner.stop()));
    removeData();
    process.off('exit', removeData);
  };

  let urls: string[];
  try {
    urls = (await Promise.all(learners.map((learner) => learner.listening))).map(({ host, port }) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  } catch (error) {
    await stop();
    if (!(error instanceof LearnerStartError)) throw error;
    const failed = learners.find((learner) => learner.child.exitCode !== null || learner.child.signalCode !== null) ?? learners[0]!;
    throw new ServerStartError(
      describeStartFailure(
        {
          kind: 'did-not-start',
          failure: error.failure,
          crash: readCrashReport(failed.output.text('stderr'), dir, repoRoot),
          output: failed.output.text(),
          stdout: failed.output.text('stdout'),
          truncated: failed.output.truncated,
        },
        variant,
      ),
    );
  }

  const stopped = new Promise<string>((resolve) => {
    learners.forEach((learner, index) => {
      void learner.exited.then(({ code, signal }) => {
        if (stopping) return;
        const which = processes > 1 ? `Server process ${index + 1} of ${processes}` : 'The server';
        const stderr = stderrTails[index]!();
        const crash = readCrashReport(stderr, dir, repoRoot);
        // Under load, a library's error can end the process too: then its first frame says where.
        const where = crash.location ?? /^\s+at (.+)$/m.exec(stderr)?.[1]?.replaceAll(repoRoot, '');
        if (crash.message) resolve(`${which} crashed during the load test with ${crash.message}${where ? ` at ${where}` : ''}.`);
        else if (signal) resolve(`${which} was ended by ${signal} during the load test (out of memory?).`);
        else resolve(`${which} stopped during the load test with exit code ${code}.`);
      });
    });
  });

  return {
    urls,
    usage: (collectGarbage, timeoutMs = usageTimeoutMs) => Promise.all(learners.map((learner) => askUsage(learner, collectGarbage, timeoutMs))),
    stopped,
    stop,
  };
}

/** The last bytes the process wrote to stderr: the output buffer keeps only the first ones. */
function keepStderrTail(learner: LearnerServer): () => string {
  let tail = '';
  learner.child.stderr!.on('data', (data: Buffer) => {
    tail = (tail + data.toString('utf8')).slice(-stderrTailBytes);
  });
  return () => tail;
}

function askUsage(learner: LearnerServer, collectGarbage: boolean, timeoutMs: number): Promise<ServerUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new UsageTimeoutError(timeoutMs)), timeoutMs);
    const onMessage = (message: UsageMessage) => {
      if (message?.type === 'usage') finish(undefined, message);
    };
    let finished = false;
    const finish = (error?: Error, usage?: UsageMessage) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      learner.child.off('message', onMessage);
      if (error) reject(error);
      else resolve({ heapUsed: usage!.heapUsed, cpuMicros: usage!.cpuMicros, at: performance.now() });
    };
    learner.child.on('message', onMessage);
    // The run ends then anyway, told why by `stopped`.
    void learner.exited.then(() => finish(new Error('the server stopped before it reported its memory and CPU time')));
    const request: UsageRequest = { type: 'usage', collectGarbage };
    learner.child.send(request);
  });
}
