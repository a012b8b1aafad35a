// The one place a command's error becomes what the person at the keyboard reads: a KitError as
// its one sentence (exit code 2 for a command typed wrong, 1 otherwise), anything else as a bug
// of the kit, said as such, with where it happened and the way to a diagnosis.
import { relative, sep } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import { KitError } from '../errors/kit-error.ts';

/** Prints `error` for a person and returns the exit code. */
export function reportError(error: unknown, print: (line: string) => void = console.error): number {
  if (error instanceof KitError) {
    print(`✖ ${error.message}`);
    return error.exitCode;
  }
  // The kit runs as a bundle: its source maps name the file of the kit where it failed. V8 writes
  // the stack out when it is first read, so turning them on now is in time.
  process.setSourceMapsEnabled(true);
  const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
  print(
    `✖ The kit itself failed (${message}${whereIn(stack)}): that is a bug of the kit, not of your code. ` +
      '`npm run doctor` checks this machine; if it finds nothing wrong, please report this line.',
  );
  return 1;
}

/** `, at checker/judge/judge-step.ts:12`: the first place in the kit's own code the stack names. */
function whereIn(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const path = /\((?:file:\/\/)?(\/[^()]+?):(\d+):\d+\)$|at (?:file:\/\/)?(\/\S+?):(\d+):\d+$/.exec(line.trim());
    const file = path?.[1] ?? path?.[3];
    if (!file) continue;
    const shown = relative(repoRoot, file).split(sep).join('/');
    if (!shown.startsWith('..') && !shown.startsWith('node_modules')) return `, at ${shown}:${path![2] ?? path![4]}`;
  }
  return '';
}
