// Why a process a check started (a restart, `app.startServer()`) did not listen, as a check's
// failure says it: one sentence, then the last lines it wrote to stderr.
import { join } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import { explainError, lineAt, readSource } from './error-causes.ts';
import { readCrashReport } from '../learner/crash-report.ts';
import { noServerInTime } from '../learner/start-timeout-words.ts';
import type { ServerStart } from '../learner/relay.ts';

export function describeStartFailure({ failure, stderr }: Extract<ServerStart, { ok: false }>, learnerDir: string): string {
  const crash = readCrashReport(stderr, learnerDir, repoRoot);
  let why: string;
  if (failure.kind === 'stopped') why = 'the checker had already ended this run';
  else if (failure.kind === 'timeout') why = noServerInTime(failure);
  else if (crash.message) {
    const cause = explainError(crash.message, { codeLine: lineAt(crash.location, repoRoot), source: readSource(join(learnerDir, 'index.ts')) });
    why = `it crashed with ${crash.message}${crash.location ? ` at ${crash.location}` : ''}${cause ? `. ${cause.replace(/\.$/, '')}` : ''}`;
  } else if (failure.signal) why = `its process was ended by ${failure.signal}`;
  else if (failure.code) why = `it stopped with exit code ${failure.code}`;
  else why = 'it ended without listening: nothing called listen()';
  // Node's own frames and version line say nothing about the learner's code.
  const lastLines = stderr
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !/\(?node:internal\/|^Node\.js v\d/.test(line))
    .slice(-8);
  return lastLines.length === 0 ? `${why}.` : `${why}. Its last lines on stderr:\n${lastLines.map((line) => `│ ${line}`).join('\n')}`;
}
