// `npm run bench`'s watch-mode figures: from writing a file to `npm run watch` printing the new
// verdict, measured from outside the process as a learner feels it, for the three saves a learner
// makes: one that keeps a passing step passing, one that breaks it, and the one that counts most,
// one that makes a failing step pass. The watched files are a copy of the step's reference solution
// beside steps/ (so that its imports resolve; not in a hidden folder, whose files Express refuses
// to send), removed after; a failing save puts back the starter's version of one file.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { repoRoot, type Step } from '../course/steps.ts';
import { spawnNpm } from './spawn-npm.ts';

export const saveKinds = ['pass after a pass', 'failure after a pass', 'pass after a failure'] as const;
export type SaveKind = (typeof saveKinds)[number];

/** The file whose starter version makes the step fail: a server file if one differs, else the page. */
function fileToBreak(step: Step): string {
  const differing = readdirSync(join(step.dir, 'solution')).filter((file) => {
    const starter = join(step.dir, 'starter', file);
    return existsSync(starter) && readFileSync(starter, 'utf8') !== readFileSync(join(step.dir, 'solution', file), 'utf8');
  });
  const file = differing.find((name) => name.endsWith('.ts')) ?? differing[0];
  if (!file) throw new Error(`step ${step.number}'s starter differs from its solution in no file both have`);
  return file;
}

/** The time between a verdict and the next save: far less than a learner takes to read a verdict and edit. */
export const readingMs = 1500;

/** A line that changes nothing but the file's bytes, so that each save is a new one. */
function mark(file: string, count: number): string {
  return extname(file) === '.html' ? `\n<!-- save ${count} -->\n` : `\n// save ${count}\n`;
}

/** Milliseconds from each save to its verdict, `runs` of each kind (after one warm-up save). */
export async function benchWatch(step: Step, runs: number): Promise<Record<SaveKind, number[]>> {
  const dir = mkdtempSync(join(repoRoot, 'tmp-bench-watch-'));
  cpSync(join(step.dir, 'solution'), dir, { recursive: true });
  const name = fileToBreak(step);
  const file = join(dir, name);
  const solution = readFileSync(file, 'utf8');
  const starter = readFileSync(join(step.dir, 'starter', name), 'utf8');
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
  /** Resolves once the verdict after `from` is printed; rejects if it is not the one expected. */
  const nextVerdict = (from: number, passes: boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run watch ${step.number} gave no verdict within 60 s:\n${output.slice(from)}`)), 60_000);
      onOutput = () => {
        const verdict = output.slice(from);
        // Each verdict ends with its time, "(12:00:01: 0.52 s from your save to this verdict)".
        if (!/\(\d[^)]*\)\n/.test(verdict)) return;
        clearTimeout(timer);
        if (/✔ Step \d+/.test(verdict) === passes) resolve();
        else reject(new Error(`step ${step.number} ${passes ? 'failed' : 'passed'} under npm run watch where it should have ${passes ? 'passed' : 'failed'}:\n${verdict}`));
      };
    });
  let count = 0;
  const save = async (content: string, passes: boolean) => {
    // A learner reads a verdict before the next save: the watch prepares the next judgement meanwhile.
    await new Promise((resolve) => setTimeout(resolve, readingMs));
    const verdict = nextVerdict(output.length, passes);
    const saved = performance.now();
    count += 1;
    writeFileSync(file, content + mark(name, count));
    await verdict;
    return performance.now() - saved;
  };
  try {
    await nextVerdict(0, true);
    // One warm-up save, as the first run after starting pays for loading what the next ones reuse.
    await save(solution, true);
    const times: Record<SaveKind, number[]> = { 'pass after a pass': [], 'failure after a pass': [], 'pass after a failure': [] };
    for (let index = 0; index < runs; index += 1) {
      times['pass after a pass'].push(await save(solution, true));
      times['failure after a pass'].push(await save(starter, false));
      times['pass after a failure'].push(await save(solution, true));
    }
    return times;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid!, 'SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
