// `npm run watch`: a real process watching real files, judging again after each real write,
// polling when asked to, and moving on to the next step after a pass.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { repoRoot } from './helpers/run-kit.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const stepDir = (folder: string) => join(repoRoot, 'steps', folder);
const running: ChildProcess[] = [];
const made: string[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
    }
  }
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of some steps, at the depth of steps/ so that their check.ts finds the checker and their
 * code finds node_modules. `learnerFrom` says where each step's learner files come from.
 */
function copySteps(steps: Record<string, 'starter' | 'solution'>): string {
  const root = mkdtempSync(join(repoRoot, 'tmp-test-steps-'));
  made.push(root);
  for (const [folder, learnerFrom] of Object.entries(steps)) {
    cpSync(stepDir(folder), join(root, folder), { recursive: true });
    if (learnerFrom === 'solution') cpSync(join(stepDir(folder), 'solution'), join(root, folder), { recursive: true });
  }
  return root;
}

interface Watching {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Waits until the output printed from now on matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

function watch(args: string[], env: NodeJS.ProcessEnv): Watching {
  const state = mkdtempSync(join(tmpdir(), 'workshop-watch-state-'));
  made.push(state);
  const child = spawn(process.execPath, [kit, 'watch', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', WORKSHOP_STATE_DIR: state, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  let listeners: Array<() => void> = [];
  const onData = (data: Buffer) => {
    output += data;
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 20_000) {
      const from = output.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${pattern}; it printed:\n${output.slice(from)}`)), timeoutMs);
        const check = () => {
          if (!pattern.test(output.slice(from))) return;
          clearTimeout(timer);
          listeners = listeners.filter((listener) => listener !== check);
          resolve();
        };
        listeners.push(check);
        child.once('exit', () => reject(new Error(`npm run watch ended: ${output}`)));
      });
    },
  };
}

test('judges the step at once, then again after every save, showing the verdict and the time it took', async () => {
  const root = copySteps({ '01-hello-express': 'starter' });
  const learnerFile = join(root, '01-hello-express', 'index.ts');
  const watching = watch(['1'], { WORKSHOP_STEPS_DIR: root });
  await watching.waitFor(/Watching .*01-hello-express\/[\s\S]*✗ Your code ran and ended without starting a server[\s\S]*Fix that and save/);

  writeFileSync(learnerFile, readFileSync(join(stepDir('01-hello-express'), 'solution', 'index.ts')));
  await watching.waitFor(/✓ GET \/ answers[\s\S]*✔ Step 01 passes\.[\s\S]*s from your save to this verdict/);

  writeFileSync(learnerFile, readFileSync(learnerFile, 'utf8').replace('<h1>Hello world</h1>', 'Hello'));
  await watching.waitFor(/✗ GET \/ answers[\s\S]*Fix the check marked ✗ and save/);
});

test('polls for saves when file events may not arrive, and says so', async () => {
  const root = copySteps({ '01-hello-express': 'solution' });
  const watching = watch(['1'], { WORKSHOP_STEPS_DIR: root, WORKSHOP_WATCH_POLLING: '1' });
  await watching.waitFor(/Checking for saves every 250 ms, since WORKSHOP_WATCH_POLLING=1 asks for polling\.[\s\S]*passes/);
  writeFileSync(join(root, '01-hello-express', 'index.ts'), 'this is not TypeScript (\n');
  await watching.waitFor(/✗ .*(syntax|Syntax)/);
});

test('starts with the first step that does not pass, and Enter after a pass moves on to the next', async () => {
  const root = copySteps({ '01-hello-express': 'solution', '02-serve-html': 'starter' });
  const watching = watch([], { WORKSHOP_STEPS_DIR: root });
  await watching.waitFor(/Watching .*01-hello-express\/[\s\S]*✔ Step 01 passes/);
  watching.child.stdin!.write('\n');
  await watching.waitFor(/Watching .*02-serve-html\/[\s\S]*Step 02 · Serve the chat page[\s\S]*✗/);
});
