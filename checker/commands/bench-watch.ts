// `npm run bench`'s watch-mode figure: from writing a file to `npm run watch` printing the new
// verdict, measured from outside the process as a learner feels it. The watched files are a copy
// of the step's reference solution beside steps/ (so that its imports resolve; not in a hidden
// folder, whose files Express refuses to send), removed after.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { repoRoot, type Step } from '../course/steps.ts';
import { median, spawnNpm } from './spawn-npm.ts';

export const saveToVerdictGoalSeconds = 0.6;

export async function benchWatch(step: Step, runs: number): Promise<number> {
  const dir = mkdtempSync(join(repoRoot, 'tmp-bench-watch-'));
  cpSync(join(step.dir, 'solution'), dir, { recursive: true });
  const file = join(dir, 'index.ts');
  const original = readFileSync(file, 'utf8');
  const child = spawnNpm(['run', '-s', 'watch', String(step.number), '--', '--dir', dir], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it stops the checks under it too.
    detached: process.platform !== 'win32',
  });
  let output = '';
  let onOutput = () => {};
  child.stdout!.on('data', (data) => {
    output += data;
    onOutput();
  });
  const nextVerdict = (from: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run watch gave no verdict within 30 s:\n${output.slice(from)}`)), 30_000);
      onOutput = () => {
        if (!/\(\d[^)]*\)\n/.test(output.slice(from))) return;
        if (!/passes/.test(output.slice(from))) reject(new Error(`the reference solution of step ${step.number} failed under npm run watch:\n${output.slice(from)}`));
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    await nextVerdict(0);
    const times: number[] = [];
    // One warm-up save, as the first run after starting pays for loading what the next ones reuse.
    for (let index = 0; index <= runs; index += 1) {
      const from = output.length;
      const verdict = nextVerdict(from);
      const saved = performance.now();
      writeFileSync(file, `${original}\n// save ${index}\n`);
      await verdict;
      if (index > 0) times.push(performance.now() - saved);
    }
    const seconds = median(times) / 1000;
    const goal = seconds <= saveToVerdictGoalSeconds ? pc.green(`≤ ${saveToVerdictGoalSeconds} s goal`) : pc.yellow(`over the ${saveToVerdictGoalSeconds} s goal`);
    console.log(`  ${String(step.number).padStart(2, '0')} ${step.slug.padEnd(16)} median ${seconds.toFixed(2)} s  (min ${(Math.min(...times) / 1000).toFixed(2)}, max ${(Math.max(...times) / 1000).toFixed(2)})  ${goal}`);
    return seconds;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid!, 'SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
