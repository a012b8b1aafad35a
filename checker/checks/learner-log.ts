// The learner's server output as lines, fed live from the relay, with waits for a line.
import { ConditionWaiters } from './condition-waiters.ts';
import { matchesLeniently } from './lenient-match.ts';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export class LearnerLog {
  readonly lines: LogLine[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private readonly waiters = new ConditionWaiters();

  append(stream: LogLine['stream'], text: string): void {
    const parts = (this.partial[stream] + text).split(/\r?\n/);
    this.partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.lines.push({ stream, text: part });
    this.waiters.wake();
  }

  /** A position in the log: pass it to `find` or `waitFor` to look only at later lines. */
  mark(): number {
    return this.lines.length;
  }

  /** A phrase is matched leniently (see lenient-match.ts); a RegExp as it is. */
  find(wanted: string | RegExp, from = 0): LogLine | undefined {
    return this.lines.slice(from).find((line) => matches(line.text, wanted));
  }

  findAll(wanted: string | RegExp, from = 0): LogLine[] {
    return this.lines.slice(from).filter((line) => matches(line.text, wanted));
  }

  /** The first line from `from` on that matches; undefined if none comes in time. */
  async waitFor(wanted: string | RegExp, { from = 0, timeoutMs = 2000 } = {}): Promise<LogLine | undefined> {
    return (await this.waitUntil(() => this.find(wanted, from) !== undefined, timeoutMs)) ? this.find(wanted, from) : undefined;
  }

  /** Resolves true as soon as `condition` holds, re-tested on every new output; false if it does not in time. */
  waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
    return this.waiters.waitUntil(condition, timeoutMs);
  }

  /** The last lines printed, for a failure message. */
  tail(count = 8): string[] {
    return this.lines.slice(-count).map((line) => line.text);
  }
}

function matches(text: string, wanted: string | RegExp): boolean {
  return typeof wanted === 'string' ? matchesLeniently(text, wanted) : wanted.test(text);
}
