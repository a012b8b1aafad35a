// Warm judges for the kit's tests of variants: each is one `npm run check N --dir -` process, which
// keeps vitest, its worker and the browser between the folders it is given on stdin, of any step
// (a line `step N` makes it judge another). A pool keeps a few at once: a check spends much of its
// time waiting for the learner's server, and two cores have room for more than one judgement.
// Starting a judge costs about 3 s of CPU (Node.js and vitest loaded, a thread, a browser); turning
// one to another step only loads that step's checks, in the same vitest, thread and browser: when
// the pool is full, an idle judge of the step asked for least recently is turned to the step that
// needs one.
import { spawn, type ChildProcess } from 'node:child_process';
import { tree } from './process-tree.ts';
import { kit, repoRoot } from './run-kit.ts';

export interface FolderVerdict {
  /** What `npm run check N --dir <folder>` prints for that folder. */
  output: string;
  /** The exit code a run of that folder alone would have: 0 when it passes. */
  code: number;
}

interface Waiting {
  dir: string;
  resolve(verdict: FolderVerdict): void;
  reject(error: Error): void;
}

/** One `npm run check N --dir -` process; judges one folder at a time, of the step it was last told. */
class WarmJudge {
  busy = false;
  /** Its process ended: it judges nothing more, and the pool starts another in its place. */
  ended = false;
  private readonly child: ChildProcess;
  private waiting: Waiting | undefined;
  private lines: string[] = [];
  /** The last of what it printed, to show when it ends in the middle of a judgement. */
  private tail = '';
  private pending = '';

  constructor(public step: number) {
    this.child = spawn(process.execPath, [kit, 'check', String(step), '--dir', '-'], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (data: Buffer) => this.read(String(data)));
    // What the kit prints on stderr belongs to the folder being judged, as in a run of its own.
    this.child.stderr!.on('data', (data: Buffer) => {
      this.keepTail(String(data));
      this.lines.push(...String(data).trimEnd().split('\n'));
    });
    // A judge that ended cannot be written to: the verdict it owed says why it ended.
    this.child.stdin!.on('error', () => {});
    this.child.once('close', (code) => {
      this.ended = true;
      this.waiting?.reject(new Error(`the judge of step ${this.step} ended (exit code ${code}) while judging ${this.waiting.dir}:\n${this.tail}`));
      this.waiting = undefined;
    });
  }

  /** Its verdict on `dir`; after `giveUpAfterMs` without one, an error that shows what it was doing, and the judge is ended. */
  judge(dir: string, only: string[] | undefined, giveUpAfterMs: number): Promise<FolderVerdict> {
    return new Promise((resolve, reject) => {
      if (this.ended) return reject(new Error(`the judge of step ${this.step} had ended before judging ${dir}:\n${this.tail}`));
      const timer = setTimeout(() => this.giveUp(giveUpAfterMs), giveUpAfterMs);
      const settled = () => clearTimeout(timer);
      this.waiting = {
        dir,
        resolve: (verdict) => (settled(), resolve(verdict)),
        reject: (error) => (settled(), reject(error)),
      };
      this.lines = [];
      this.child.stdin!.write(only ? `${dir}\t${only.join(',')}\n` : `${dir}\n`);
    });
  }

  /**
   * No verdict in time: a check waits for something with no deadline, or the judge hangs. The
   * error says which processes it runs and what it printed last, the evidence a test's own timeout
   * would not keep; the judge is asked to end (SIGTERM: the kit ends what it started), and the
   * pool starts another in its place.
   */
  private giveUp(afterMs: number): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    // From now on it judges nothing, though it may take a moment to end.
    this.ended = true;
    const running = tree(this.child.pid!).map(({ pid, elapsed, command }) => `  ${pid} ${elapsed} ${shortened(command)}`);
    waiting.reject(new Error(`the judge of step ${this.step} gave no verdict on ${waiting.dir} within ${(afterMs / 1000).toFixed(1)} s. Its processes (id, time running, command):\n${running.join('\n')}\nWhat it printed last:\n${this.tail}`));
    this.child.kill('SIGTERM');
  }

  /** Its next folders are step `step`'s. */
  turnTo(step: number): void {
    if (step === this.step) return;
    this.step = step;
    this.child.stdin!.write(`step ${step}\n`);
  }

  /** Ends it: stdin closed, it closes its browser and vitest, and exits. */
  close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin!.end();
    return closed;
  }

  private keepTail(data: string): void {
    this.tail = (this.tail + data).slice(-3000);
  }

  private read(data: string): void {
    this.keepTail(data);
    this.pending += data;
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) {
      const waiting = this.waiting;
      if (waiting && line === `── judging ${waiting.dir}`) this.lines = [];
      else if (waiting && (line === `── ${waiting.dir} passes` || line === `── ${waiting.dir} fails`)) {
        this.waiting = undefined;
        waiting.resolve({ output: this.lines.join('\n'), code: line.endsWith('passes') ? 0 : 1 });
      } else this.lines.push(line);
    }
  }
}

/** A command line of Chromium's runs to thousands of characters: its start says which process it is, a learner's end which file it runs. */
const shortened = (command: string) => (command.length <= 240 ? command : `${command.slice(0, 120)} … ${command.slice(-120)}`);

/** Hands each folder to an idle judge of its step; else starts one when there is room, or turns an idle one to the step. */
export class JudgePool {
  private readonly judges: WarmJudge[] = [];
  private readonly queue: (() => void)[] = [];
  /** When each step last asked for a judge: the judges of the step asked for least recently are turned first. */
  private readonly askedAt = new Map<number, number>();
  /** Judges started, and how many of those ended by themselves (a crash): to tell a pool that starts judges it could have kept. */
  private readonly tally = { started: 0, endedByThemselves: 0 };

  /** `size`: the judges kept at most, busy or idle. How many judge at once is the caller's to limit. */
  constructor(private readonly size: number) {}

  /**
   * Judges `dir` as step `step` with a judge of that step, idle or started now; by the checks
   * `only` names, if given. `verdictBy` (a time of performance.now()): when to stop waiting for
   * the verdict and report what the judge was doing: before the calling test's own timeout, by
   * default 5 s before vitest.config.ts's 60 s.
   */
  async judge(step: number, dir: string, only?: string[], verdictBy = performance.now() + 55_000): Promise<FolderVerdict> {
    this.askedAt.set(step, performance.now());
    const judge = await this.acquire(step);
    try {
      return await judge.judge(dir, only, Math.max(1000, verdictBy - performance.now()));
    } finally {
      judge.busy = false;
      // Every waiter looks again: the judge freed may be of its step, or make room for one.
      for (const wake of this.queue.splice(0)) wake();
    }
  }

  /** The steps judged, the judges started for them, and those of the judges that ended by themselves. */
  get counts(): { steps: number; started: number; endedByThemselves: number } {
    return { steps: this.askedAt.size, ...this.tally };
  }

  async close(): Promise<void> {
    await Promise.all(this.judges.splice(0).map((judge) => judge.close()));
  }

  private async acquire(step: number): Promise<WarmJudge> {
    for (;;) {
      for (const ended of this.judges.filter((judge) => judge.ended && !judge.busy)) {
        this.judges.splice(this.judges.indexOf(ended), 1);
        this.tally.endedByThemselves += 1;
      }
      const idle = this.judges.find((judge) => !judge.busy && !judge.ended && judge.step === step);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.judges.length >= this.size) {
        // Full: an idle judge of the step asked for least recently is turned to this one; most
        // often, of a step whose variants are all judged.
        const lastAsked = (judge: WarmJudge) => this.askedAt.get(judge.step) ?? 0;
        const other = this.judges.filter((judge) => !judge.busy).sort((a, b) => lastAsked(a) - lastAsked(b))[0];
        if (other) {
          other.busy = true;
          other.turnTo(step);
          return other;
        }
      } else {
        const started = new WarmJudge(step);
        this.tally.started += 1;
        started.busy = true;
        this.judges.push(started);
        return started;
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
  }
}
