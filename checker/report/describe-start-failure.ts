// "Your code did not start" in plain words: why (a crash, an exit, no listen() at all, or
// no listen() in time) and, for a crash, the error and where it happened.
import type { Verdict } from '../judge/judge-step.ts';
import type { Variant } from '../course/steps.ts';
import { noServerInTime } from '../learner/start-timeout-words.ts';

type DidNotStart = Extract<Verdict, { kind: 'did-not-start' }>;

export function describeStartFailure(verdict: DidNotStart, variant: Variant): string[] {
  const { failure, crash } = verdict;
  const code = variant === 'solution' ? 'The reference solution' : 'Your code';
  const lines: string[] = [];
  if (failure.kind === 'timeout') {
    lines.push(`${code} did not start: ${noServerInTime(failure)}.`);
    lines.push('Is something running forever before listen() is called (an endless loop?), or is listen() never called?');
  } else if (crash.message || (failure.code !== 0 && failure.code !== null)) {
    if (crash.message) {
      lines.push(`${code} did not start: it crashed with ${crash.message}`);
      if (crash.location) lines.push(`at ${crash.location}`);
      if (verdict.cause) lines.push(verdict.cause);
    } else if (failure.code !== null) {
      lines.push(`${code} did not start: it stopped with exit code ${failure.code} before any server listened (a process.exit() call?).`);
    }
  } else if (failure.signal) {
    lines.push(`${code} did not start: its process was ended by ${failure.signal} before any server listened.`);
  } else {
    lines.push(`${code} ran and ended without starting a server: nothing called listen().`);
    lines.push('Make your HTTP server listen, e.g. `server.listen(port, () => { … })`.');
  }
  // After a crash, the error and its place say it all: show only what the code itself printed.
  const output = (crash.message ? verdict.stdout : verdict.output).trim();
  if (output) {
    const printed = output.split(/\r?\n/).slice(0, 12);
    lines.push(`It printed${verdict.truncated ? ' (a lot; here is the start)' : ''}:`);
    lines.push(...printed.map((line) => `  │ ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`));
  }
  return lines;
}
