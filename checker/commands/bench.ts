// `npm run bench [-- --runs N] [-- --step N | --site]`: how long a learner waits for a verdict, from
// `npm run check` and from a save under `npm run watch` (bench-watch.ts), and, for every step,
// the site's figures (bench-site.ts). Each `npm run check` run is the whole `npm run check N`
// process, as a learner types it, on the reference solution (every check runs, as when a step
// passes); the figure is the median of several runs. Times depend on the machine, so each is also
// given as a ratio to a yardstick timed in turns with it, `expressworks verify` (bench-yardstick.ts),
// and the goals are ratios.
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { findStep, listSteps, type Step } from '../course/steps.ts';
import { median, spawnNpm } from './spawn-npm.ts';
import { UsageError } from '../errors/kit-error.ts';
import { benchSite } from './bench-site.ts';
import { benchWatch, saveKinds } from './bench-watch.ts';
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
  const yardstickMs = median(yardstickTimes);
  console.log(pc.bold(`\nnpm run watch N: from saving a file to the new verdict, median of ${runs} saves of each kind (expressworks verify took ${(yardstickMs / 1000).toFixed(2)} s):`));
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

/** Milliseconds for one `npm run check N -- --solution`; a failing check is an error here. */
function timeCheck(step: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawnNpm(['run', '-s', 'check', String(step), '--', '--solution'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`npm run check ${step} -- --solution failed (exit ${code}): run it to see why`));
    });
  });
}
