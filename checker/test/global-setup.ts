// Before the suite: the kit's state (progress, backups, hints) goes to a folder of its own, so
// that tests never touch a developer's own .workshop/, and so does the temporary folder. After the
// whole suite: nothing the kit started may still be running (a learner's server, a browser, `tsx
// watch`, Redis), and nothing it made may be left in that temporary folder. If something is, it is
// ended, and the run fails naming it.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kitTemporaryFiles } from './helpers/kit-temporary-files.ts';

let stateDir: string | undefined;
let temporaryDir: string | undefined;
/** Marks the processes of this run, so that a suite never ends another one's running beside it. */
const runId = randomUUID();

export function setup(): void {
  // Workers and the kit's processes inherit this environment.
  stateDir = mkdtempSync(join(tmpdir(), 'workshop-test-state-'));
  process.env['WORKSHOP_STATE_DIR'] = stateDir;
  // The run's own temporary folder: what is left in it is this run's, even beside another run.
  temporaryDir = mkdtempSync(join(tmpdir(), 'workshop-test-tmp-'));
  // As open as /tmp itself: some tests run the kit as another user (reset-restore.test.ts).
  chmodSync(temporaryDir, 0o1777);
  process.env['TMPDIR'] = temporaryDir;
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

const ourProcesses = 'chat-workshop-browser-|/steps/[^ ]*index\\.ts|checker/test/tmp-|/tmp-test-steps-|redis-server';

function stillRunning(): string[] {
  try {
    return execFileSync('pgrep', ['-af', ourProcesses], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => line && !line.includes('pgrep') && startedByThisRun(line.split(' ')[0]!));
  } catch {
    return [];
  }
}

export function teardown(): void {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  const left = process.platform === 'win32' ? [] : stillRunning();
  for (const line of left) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const files = temporaryDir ? kitTemporaryFiles(readdirSync(temporaryDir)) : [];
  if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true, maxRetries: 3 });
  const problems = [
    ...(left.length > 0 ? [`The kit left ${left.length} process(es) running after its tests:\n${left.join('\n')}`] : []),
    ...(files.length > 0 ? [`The kit's tests left ${files.length} file(s) or folder(s) in the temporary folder:\n${files.join('\n')}`] : []),
  ];
  if (problems.length === 0) return;
  // An error in teardown is printed but does not change vitest's exit code: set it here.
  process.exitCode = 1;
  throw new Error(problems.join('\n'));
}
