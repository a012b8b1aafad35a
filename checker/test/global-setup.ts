// After the whole suite: nothing the kit started may still be running (a learner's server, a
// browser, `tsx watch`). If something is, it is ended, and the run fails naming it.
import { execFileSync } from 'node:child_process';

const ours = 'chat-workshop-browser-|/steps/[^ ]*index\\.ts|checker/test/tmp-';

function stillRunning(): string[] {
  try {
    return execFileSync('pgrep', ['-af', ours], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => line && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

export function teardown(): void {
  if (process.platform === 'win32') return;
  const left = stillRunning();
  if (left.length === 0) return;
  execFileSync('pkill', ['-9', '-f', ours]);
  // An error in teardown is printed but does not change vitest's exit code: set it here.
  process.exitCode = 1;
  throw new Error(`The kit left ${left.length} process(es) running after its tests:\n${left.join('\n')}`);
}
