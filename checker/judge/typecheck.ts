// Type-checks the learner's files with the TypeScript compiler. Type errors are reported with
// file:line to help, but never fail a step by themselves: the checks judge what the code does.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from '../course/steps.ts';
import { ownProcessGroup, track } from '../processes/child-processes.ts';

export interface TypeErrorNote {
  /** e.g. `steps/04-emit/index.ts:12:5` */
  location: string;
  message: string;
}

/** What the compiler said: its notes, or `unfinished` when it was ended before it answered. */
export type TypeCheckOutcome = { notes: TypeErrorNote[] } | { unfinished: true; waitedMs: number };

export interface TypeCheck {
  /** The compiler's process. */
  readonly pid: number | undefined;
  /**
   * The checks are done: the compiler gets normal priority (where the system allows it) and
   * `finishMs` more to answer. Its deadline starts here, not at its start: while the checks run it
   * has only the CPU they leave, which on a busy machine can be none at all.
   */
  finish(finishMs?: number): Promise<TypeCheckOutcome>;
  /** Ends the compiler, for a judgement that does not wait for it. */
  abandon(): void;
}

const typescriptPackage = createRequire(import.meta.url).resolve('typescript/package.json');

/**
 * The compiler's native program, started directly. typescript's `bin/tsc` is a Node.js script that
 * starts only to find this program and replace itself with it: a Node.js start (about 40 ms of CPU)
 * per judgement for nothing. Found where that script finds it, in the package for this platform;
 * where it is not there (another layout of the package), the script runs, as before.
 */
function compilerCommand(): { command: string; leading: string[] } {
  try {
    const platformPackage = createRequire(typescriptPackage).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const program = join(dirname(platformPackage), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
    if (existsSync(program)) return { command: program, leading: [] };
  } catch {
    // Not installed for this platform: the launcher says why, when it runs.
  }
  return { command: process.execPath, leading: [join(dirname(typescriptPackage), 'bin', 'tsc')] };
}

const compilerProgram = compilerCommand();

// The learner's index.ts is the server, run by Node.js: Node's own types, and not the DOM's (the
// page's code is in index.html). Without the DOM's 45,000 lines of declarations the compiler needs
// a third less CPU, and `document` or `window` in the server's code is named as the mistake it is.
const compilerFlags = [
  '--ignoreConfig', '--noEmit', '--pretty', 'false', '--strict', '--skipLibCheck',
  '--target', 'es2023', '--module', 'nodenext', '--lib', 'es2023', '--types', 'node',
  '--allowImportingTsExtensions', '--verbatimModuleSyntax',
];

export const typecheckFinishMs = 15_000;

export function startTypecheck(file: string): TypeCheck {
  let ended = false;
  // A group of its own, registered: the compiler (a native program, with threads of its own)
  // ends with the kit, however the kit ends.
  const compiler = execFile(compilerProgram.command, [...compilerProgram.leading, ...compilerFlags, file], { cwd: repoRoot, ...ownProcessGroup });
  track(compiler);
  const answered = new Promise<TypeErrorNote[]>((resolve) => {
    let stdout = '';
    compiler.stdout?.on('data', (chunk: Buffer | string) => (stdout += String(chunk)));
    // Whether tsc found errors or not, its report is on stdout; a compiler that fails to run reports nothing.
    compiler.on('error', () => resolve([]));
    compiler.on('close', () => {
      ended = true;
      resolve(parseDiagnostics(stdout));
    });
  });
  // A low priority while the checks run, so that it takes little from them (the native compiler
  // needs about 0.2 s of CPU); not the lowest, where a busy machine would give it none at all, and
  // a user who is not root cannot raise it back when the checks are done.
  renice(compiler.pid, 10);
  const end = () => {
    if (!ended) compiler.kill('SIGKILL');
  };
  return {
    pid: compiler.pid,
    async finish(finishMs = typecheckFinishMs) {
      if (!ended) renice(compiler.pid, 0);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), finishMs)));
      const outcome = await Promise.race([answered, deadline]);
      clearTimeout(timer);
      if (outcome === 'late') {
        end();
        return { unfinished: true, waitedMs: finishMs };
      }
      return { notes: outcome };
    },
    abandon: end,
  };
}

/**
 * Sets the nice value of every thread of a process: on Linux a nice value belongs to a thread,
 * and the native compiler runs several. Raising a priority back is allowed to root only (and
 * where RLIMIT_NICE says so); elsewhere it stays low, and the deadline is what bounds the wait.
 */
function renice(pid: number | undefined, value: number): void {
  if (pid === undefined) return;
  let threads: number[] = [pid];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    // No /proc (macOS) or the process just ended: the process's own priority is what can be set.
  }
  for (const thread of threads) {
    try {
      setPriority(thread, value);
    } catch {
      // Not allowed, or already gone.
    }
  }
}

export function parseDiagnostics(output: string): TypeErrorNote[] {
  const notes: TypeErrorNote[] = [];
  for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error TS(\d+): (.+)$/gm)) {
    const file = relative(repoRoot, match[1]!).split(sep).join('/');
    notes.push({ location: `${file}:${match[2]}:${match[3]}`, message: inKitWords(Number(match[4]), match[5]!) });
  }
  return notes;
}

/**
 * The compiler's advice for a page's global (`document`, `window`) is to add the DOM to its
 * libraries: here that would hide the mistake, since the file runs in Node.js. Said as it is.
 */
function inKitWords(code: number, message: string): string {
  const pageGlobal = code === 2584 ? /^Cannot find name '([^']+)'\./.exec(message)?.[1] : undefined;
  if (pageGlobal) return `Cannot find name '${pageGlobal}': only a page in the browser has it, and this file runs in Node.js (code for the page goes in its <script>).`;
  return message;
}
