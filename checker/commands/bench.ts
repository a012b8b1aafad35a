// `npm run bench [-- --runs N] [-- --step N | --site]`: how long a learner waits for a verdict, from
// `npm run check` and from a save under `npm run watch` (bench-watch.ts), and, for every step,
// the site's figures (bench-site.ts). Each `npm run check` run is the whole `npm run check N`
// process, as a learner types it, on the reference solution (every check runs, as when a step
// passes); the figure is the median of several runs. Times depend on the machine, so each is also
// given as a ratio to a yardstick timed in turns with it, `expressworks verify` (bench-yardstick.ts),
// and the goals are ratios. `npm run check` is timed twice: alone, and while `npm start` runs, when
// the site's warm checker judges (checker/judge/warm-judge-server.ts).
import { existsSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { findStep, listSteps, type Step } from '../course/steps.ts';
import { median, spawnNpm } from './spawn-npm.ts';
import { UsageError } from '../errors/kit-error.ts';
import { judgedByWarmChecker } from '../report/print-judgement.ts';
import { benchSite } from './bench-site.ts';
import { benchWatch, readingMs, saveKinds } from './bench-watch.ts';
import { prepareYardstick, ratio } from './bench-yardstick.ts';

/** Goals, as ratios to the yardstick: step 01 is a hello world, as the yardstick's is; 10-12 start several processes or restart one. */
const checkGoal = (step: Step) => (step.number === 1 ? 0.5 : step.number <= 9 ? 1 : 2);
const watchGoal = (step: Step) => checkGoal(step) / 2;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { runs: { type: 'string', default: '7' }, step: { type: 'string' }, site: { type: 'boolean', default: false } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: try \`npm run bench -- --runs 5 --step 1\`.`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new UsageError(`--runs takes a whole number from 1 to 50, not "${values.runs}".`);
  if (values.site) {
    if (values.step !== undefined) throw new UsageError('--site measures the site alone: leave out --step.');
    await benchSite(runs);
    return 0;
  }
  const steps = await listSteps();
  const chosen = values.step === undefined ? steps : [findStep(steps, values.step)].filter((step) => step !== undefined);
  if (chosen.length === 0) throw new UsageError(`There is no step "${values.step}".`);

  const timeYardstick = await prepareYardstick();
  await timeYardstick();
  const yardstickTimes: number[] = [];
  console.log(pc.bold(`npm run check N -- --solution, whole process, median of ${runs} runs (after one warm-up run), in turns with expressworks verify:`));
  for (const step of chosen) {
    await timeCheck(step.number);
    const times: number[] = [];
    const yardstick: number[] = [];
    for (let index = 0; index < runs; index += 1) {
      times.push(await timeCheck(step.number));
      yardstick.push(await timeYardstick());
    }
    yardstickTimes.push(...yardstick);
    console.log(`  ${label(step)} ${figure(times, median(yardstick), checkGoal(step))}  (expressworks verify ${(median(yardstick) / 1000).toFixed(2)} s)`);
  }
  console.log(pc.bold(`\nThe same while \`npm start\` runs, so that its warm checker judges (${runs} runs after one warm-up run, in turns with expressworks verify):`));
  const site = await startSiteWithWarmChecker();
  try {
    for (const step of chosen) {
      await timeCheck(step.number, site.env);
      const times: number[] = [];
      const yardstick: number[] = [];
      for (let index = 0; index < runs; index += 1) {
        times.push(await timeCheck(step.number, site.env));
        yardstick.push(await timeYardstick());
      }
      yardstickTimes.push(...yardstick);
      console.log(`  ${label(step)} ${figure(times, median(yardstick), checkGoal(step))}  (expressworks verify ${(median(yardstick) / 1000).toFixed(2)} s)`);
    }
  } finally {
    await site.stop();
  }
  const yardstickMs = median(yardstickTimes);
  console.log(pc.bold(`\nnpm run watch N: from saving a file to the new verdict, median of ${runs} saves of each kind, each ${readingMs / 1000} s after the verdict before it (expressworks verify took ${(yardstickMs / 1000).toFixed(2)} s):`));
  for (const step of chosen) {
    const times = await benchWatch(step, runs);
    console.log(`  ${label(step)}`);
    for (const kind of saveKinds) console.log(`     ${kind.padEnd(22)} ${figure(times[kind], yardstickMs, watchGoal(step))}`);
  }
  if (values.step === undefined) await benchSite(Math.min(runs, 5));
  return 0;
}

const label = (step: Step) => `${String(step.number).padStart(2, '0')} ${step.slug.padEnd(16)}`;

/** "median 1.34 s (min 1.30, max 1.52)  0.76× expressworks  ≤ 1× goal" */
function figure(times: number[], yardstickMs: number, goal: number): string {
  const ms = median(times);
  const met = ms / yardstickMs <= goal;
  return [
    `median ${(ms / 1000).toFixed(2)} s (min ${(Math.min(...times) / 1000).toFixed(2)}, max ${(Math.max(...times) / 1000).toFixed(2)})`,
    `${ratio(ms, yardstickMs)} expressworks`,
    met ? pc.green(`≤ ${goal}× goal`) : pc.yellow(`over the ${goal}× goal`),
  ].join('  ');
}

/**
 * Milliseconds for one `npm run check N -- --solution`; a failing check is an error here. With
 * `warm` (the environment of a site started by startSiteWithWarmChecker), the check must have
 * been judged by the site's warm checker, or the figure would be of something else.
 */
function timeCheck(step: number, warm?: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawnNpm(['run', '-s', 'check', String(step), '--', '--solution'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1', ...warm } });
    let output = '';
    child.stdout!.on('data', (data) => (output += data));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`npm run check ${step} -- --solution failed (exit ${code}): run it to see why`));
      else if (warm && !output.includes(judgedByWarmChecker)) reject(new Error(`npm run check ${step} -- --solution was not judged by the warm checker of the site the bench started:\n${output}`));
      else resolve(ms);
    });
  });
}


/** `npm start` on a free port, with its warm checker, in a state folder of its own; ready once its checker is. */
async function startSiteWithWarmChecker(): Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void> }> {
  const state = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_WARM_JUDGE: 'on' };
  const site = spawnNpm(['run', '-s', 'start'], { env: { ...process.env, ...env, DOCS_PORT: '0', NO_COLOR: '1' }, stdio: 'ignore', detached: process.platform !== 'win32' });
  const exited = new Promise((resolve) => site.once('exit', resolve));
  const stop = async () => {
    try {
      process.kill(-site.pid!, 'SIGINT');
    } catch {
      site.kill('SIGINT');
    }
    await exited;
    rmSync(state, { recursive: true, force: true });
  };
  // The checker writes its address once it listens: a few seconds after the site, whose pages come first.
  if (!(await fileAppears(state, 'warm-judge.json', 60_000, exited))) {
    await stop();
    throw new Error('the site started for the bench never had its warm checker ready (within 60 s)');
  }
  return { env, stop };
}

/** Resolves true once `name` is in `dir` (told by the folder's change events), false after `timeoutMs` or once `gone` resolves. */
function fileAppears(dir: string, name: string, timeoutMs: number, gone: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (appeared: boolean) => {
      watcher.close();
      clearTimeout(timer);
      resolve(appeared);
    };
    const watcher = watch(dir, () => existsSync(join(dir, name)) && done(true));
    const timer = setTimeout(() => done(false), timeoutMs);
    void gone.then(() => done(false));
    if (existsSync(join(dir, name))) done(true);
  });
}
