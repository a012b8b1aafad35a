// Before the suite: the kit's state (progress, backups, hints) goes to a folder of its own, so
// that tests never touch a developer's own .workshop/. After the whole suite: nothing the kit
// started may still be running (a learner's server, a browser, `tsx watch`, Redis). If something is,
// it is ended, and the run fails naming it.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let stateDir: string | undefined;
/** Marks the processes of this run, so that a suite never ends another one's running beside it. */
const runId = randomUUID();

export function setup(): void {
  // Workers and the kit's processes inherit this environment.
  stateDir = mkdtempSync(join(tmpdir(), 'workshop-test-state-'));
  process.env['WORKSHOP_STATE_DIR'] = stateDir;
  process.env['WORKSHOP_TEST_RUN'] = runId;
  // Many sites come and go in the suite, beside other tests' checks: those checks judge alone.
  // warm-checker.test.ts turns the warm checker of `npm start` on, with a state folder of its own.
  process.env['WORKSHOP_WARM_JUDGE'] = 'off';
}

/** Whether process `pid` belongs to this run: on Linux, read from its environment; elsewhere, assumed. */
function startedByThisRun(pid: string): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`WORKSHOP_TEST_RUN=${runId}`);
  } catch {
    return false;
  }
}

const ours = 'chat-workshop-browser-|/steps/[^ ]*index\\.ts|checker/test/tmp-|/tmp-test-steps-|redis-server';

function stillRunning(): string[] {
  try {
    return execFileSync('pgrep', ['-af', ours], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => line && !line.includes('pgrep') && startedByThisRun(line.split(' ')[0]!));
  } catch {
    return [];
  }
}

export function teardown(): void {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  if (process.platform === 'win32') return;
  const left = stillRunning();
  if (left.length === 0) return;
  for (const line of left) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // An error in teardown is printed but does not change vitest's exit code: set it here.
  process.exitCode = 1;
  throw new Error(`The kit left ${left.length} process(es) running after its tests:\n${left.join('\n')}`);
}
