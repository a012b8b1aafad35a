// `npm run bench [-- --runs N] [-- --step N]`: how long a learner waits for a verdict, from
// `npm run check` and from a save under `npm run watch` (bench-watch.ts), and, for every step,
// the site's figures (bench-site.ts). Each `npm run check` run
// is the whole `npm run check N` process, as a learner types it, on the reference solution
// (every check runs, as when a step passes); the figure is the median of several runs.
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { findStep, listSteps } from '../course/steps.ts';
import { median as medianOf, spawnNpm } from './spawn-npm.ts';
import { UsageError } from './usage-error.ts';
import { benchSite } from './bench-site.ts';
import { benchWatch } from './bench-watch.ts';

const goalSeconds = 0.8;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { runs: { type: 'string', default: '7' }, step: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: try \`npm run bench -- --runs 5 --step 1\`.`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new UsageError(`--runs takes a whole number from 1 to 50, not "${values.runs}".`);
  const steps = await listSteps();
  const chosen = values.step === undefined ? steps : [findStep(steps, values.step)].filter((step) => step !== undefined);
  if (chosen.length === 0) throw new UsageError(`There is no step "${values.step}".`);

  console.log(pc.bold(`npm run check N -- --solution, whole process, median of ${runs} runs (after one warm-up run):`));
  for (const step of chosen) {
    await timeCheck(step.number);
    const times: number[] = [];
    for (let index = 0; index < runs; index += 1) times.push(await timeCheck(step.number));
    times.sort((a, b) => a - b);
    const median = medianOf(times) / 1000;
    const verdict = median <= goalSeconds ? pc.green(`≤ ${goalSeconds} s goal`) : pc.yellow(`over the ${goalSeconds} s goal`);
    console.log(
      `  ${String(step.number).padStart(2, '0')} ${step.slug.padEnd(16)} median ${median.toFixed(2)} s  (min ${(times[0]! / 1000).toFixed(2)}, max ${(times.at(-1)! / 1000).toFixed(2)})  ${verdict}`,
    );
  }
  console.log(pc.bold(`\nnpm run watch N: from saving a file to the new verdict, median of ${runs} saves:`));
  for (const step of chosen) await benchWatch(step, runs);
  if (values.step === undefined) await benchSite(Math.min(runs, 5));
  return 0;
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
