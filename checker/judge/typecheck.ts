// Type-checks the learner's files with the TypeScript compiler. Type errors are reported with
// file:line to help, but never fail a step by themselves: the checks judge what the code does.
import { execFile } from 'node:child_process';
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

const tscPath = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

const compilerFlags = [
  '--ignoreConfig', '--noEmit', '--pretty', 'false', '--strict', '--skipLibCheck',
  '--target', 'es2023', '--module', 'nodenext', '--lib', 'es2023,dom', '--types', 'node',
  '--allowImportingTsExtensions', '--verbatimModuleSyntax',
];

export function typecheck(file: string, timeoutMs = 5000): Promise<TypeErrorNote[]> {
  return new Promise((resolve) => {
    // A group of its own, registered: the compiler (a native program under a Node.js launcher)
    // ends with the kit, however the kit ends.
    const compiler = execFile(process.execPath, [tscPath, ...compilerFlags, file], { cwd: repoRoot, timeout: timeoutMs, ...ownProcessGroup }, (error, stdout) => {
      // Whether tsc found errors or not, its report is on stdout; a compiler that fails to run reports nothing.
      resolve(parseDiagnostics(stdout));
    });
    track(compiler);
    // Lowest priority: the type check uses the CPU only when the checks, which matter more, leave it idle.
    try {
      if (compiler.pid !== undefined) setPriority(compiler.pid, 19);
    } catch {
      // Not allowed here: it then runs at normal priority.
    }
  });
}

export function parseDiagnostics(output: string): TypeErrorNote[] {
  const notes: TypeErrorNote[] = [];
  for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error TS\d+: (.+)$/gm)) {
    const file = relative(repoRoot, match[1]!).split(sep).join('/');
    notes.push({ location: `${file}:${match[2]}:${match[3]}`, message: match[4]! });
  }
  return notes;
}
