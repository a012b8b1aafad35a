// `npm run stability [-- --runs 20] [-- --step N]`, for authors: a verdict must not depend on how
// busy the machine is. With every core kept busy by another process, each step's reference
// solution is checked `runs` times and must pass every time, and its starter must fail every time
// on the same first check. Any run that shows the test runner's own words counts as unstable too:
// a learner must only ever read the kit's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { findStep, listSteps, repoRoot, type Step } from '../course/steps.ts';
import { killGroup, ownProcessGroup, track } from '../processes/child-processes.ts';
import { UsageError } from '../errors/kit-error.ts';

/** Words of vitest, Playwright or Node.js that must never reach a learner's report. */
const runnerWords = /Test timed out|AssertionError|vitest|Unhandled Rejection|Timeout \d+ms exceeded|Call log:|\n\s+at .*node_modules/;

interface Run {
  code: number | null;
  /** The first check marked ✗, or "did not start", or "" for a pass. */
  firstFailure: string;
  runnerWords: string | undefined;
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { runs: { type: 'string', default: '20' }, step: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: try \`npm run stability -- --runs 20 --step 7\`.`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs takes a whole number from 1 to 100, not "${values.runs}".`);
  const steps = await listSteps();
  const chosen = values.step === undefined ? steps : [findStep(steps, values.step)].filter((step) => step !== undefined);
  if (chosen.length === 0) throw new UsageError(`There is no step "${values.step}".`);

  const burners = keepCoresBusy();
  console.log(pc.bold(`Each step's solution and starter, checked ${runs} times each while ${burners.length} processes keep every core busy:`));
  let stable = true;
  try {
    for (const step of chosen) stable = (await judgeStep(step, runs)) && stable;
  } finally {
    await Promise.all(burners.map(endBurner));
  }
  console.log(stable ? pc.green(pc.bold('✔ Every verdict was the same every time.')) : pc.red(pc.bold('✗ Some verdicts changed from run to run: see above.')));
  return stable ? 0 : 1;
}

async function judgeStep(step: Step, runs: number): Promise<boolean> {
  const solution: Run[] = [];
  const starter: Run[] = [];
  for (let index = 0; index < runs; index += 1) {
    solution.push(await checkOnce(step, ['--solution']));
    starter.push(await checkOnce(step, ['--dir', join(step.dir, 'starter')]));
    if (process.stdout.isTTY) process.stdout.write(pc.dim(`\r  ${step.folder}: ${index + 1}/${runs}`));
  }
  if (process.stdout.isTTY) process.stdout.write('\r');
  const passes = solution.filter((each) => each.code === 0 && !each.runnerWords).length;
  const failures = new Map<string, number>();
  for (const each of starter) failures.set(each.firstFailure, (failures.get(each.firstFailure) ?? 0) + 1);
  const [usual] = [...failures.entries()].sort((a, b) => b[1] - a[1]);
  const sameFailure = starter.filter((each) => each.code === 1 && each.firstFailure === usual?.[0] && !each.runnerWords).length;
  const ok = passes === runs && sameFailure === runs;
  const line = `  ${step.folder.padEnd(18)} solution passed ${passes}/${runs} · starter failed ${sameFailure}/${runs} on "${usual?.[0] ?? '?'}"`;
  console.log(ok ? line : pc.red(line));
  for (const each of solution.filter((one) => one.code !== 0 || one.runnerWords)) console.log(pc.red(`      solution: ${each.runnerWords ? `runner's words "${each.runnerWords}"` : `failed on "${each.firstFailure}"`}`));
  for (const [failure, count] of failures) if (failure !== usual?.[0]) console.log(pc.red(`      starter: ${count}× first failure "${failure}"`));
  for (const each of starter.filter((one) => one.runnerWords)) console.log(pc.red(`      starter: runner's words "${each.runnerWords}"`));
  return ok;
}

function checkOnce(step: Step, extra: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['checker/kit.js', 'check', String(step.number), ...extra], { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1' }, ...ownProcessGroup });
    track(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('close', (code) => {
      const failed = /^\s*✗ (.+)$/m.exec(output)?.[1]?.trim();
      const firstFailure = failed ?? (/did not start|stopped before/i.test(output) && code !== 0 ? 'did not start' : code === 0 ? '' : 'no check marked ✗');
      resolve({ code, firstFailure, runnerWords: runnerWords.exec(output)?.[0] });
    });
  });
}

/**
 * Ends a process that keeps a core busy, and resolves once it is gone: on busy cores a process
 * killed takes a moment to end, and the command must leave nothing running when it returns.
 */
async function endBurner(burner: ChildProcess): Promise<void> {
  const gone = burner.exitCode !== null || burner.signalCode !== null ? Promise.resolve() : once(burner, 'exit');
  killGroup(burner);
  await gone;
}

/** One process per core, each spinning until it is ended. */
function keepCoresBusy() {
  return Array.from({ length: availableParallelism() }, () => {
    const burner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', ...ownProcessGroup });
    track(burner);
    return burner;
  });
}
