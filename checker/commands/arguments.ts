// Reads a command's arguments: the step, and whether to use the reference solution.
// `npm run check 4 --solution` (without `--`) reaches us as npm_config_solution, so both count.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeStepChoices, findStep, listSteps, type Step, type Variant } from '../course/steps.ts';
import { findNpmFlagTypo } from './npm-flag-typos.ts';
import { UsageError } from '../errors/kit-error.ts';

export interface StepArguments {
  /** The step asked for, or undefined when none was given. */
  step: Step | undefined;
  steps: Step[];
  variant: Variant;
  /** For authors and the kit's tests: judge the files in this folder as if they were the step's. */
  dir: string | undefined;
  /**
   * Every --dir given: `npm run check N` judges each in turn, with one warm vitest and browser;
   * 'stdin' for `--dir -`, folders read from stdin, one a line, each judged as it comes.
   */
  dirs: string[] | 'stdin';
}

export async function readStepArguments(args: string[], command: string): Promise<StepArguments> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { solution: { type: 'boolean' }, dir: { type: 'string', multiple: true } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: the only option is --solution, e.g. \`npm run ${command} 4 -- --solution\`.`);
  }
  const typo = findNpmFlagTypo();
  if (typo) throw new UsageError(`There is no option --${typo.typed}: did you mean --${typo.meant}? e.g. \`npm run ${command} ${parsed.positionals[0] ?? 4} -- --${typo.meant}\`.`);
  const flagFromNpm = process.env['npm_config_solution'];
  const solution = parsed.values.solution === true || (flagFromNpm !== undefined && flagFromNpm !== '' && flagFromNpm !== 'false');
  const steps = await listSteps();
  const [query, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`\`npm run ${command}\` takes one step, not ${parsed.positionals.length}: e.g. \`npm run ${command} ${query}\`.`);
  let step: Step | undefined;
  if (query !== undefined) {
    step = findStep(steps, query);
    if (!step) throw new UsageError(`There is no step "${query}". ${describeStepChoices(steps)}`);
  }
  const given = parsed.values.dir ?? [];
  if (given.includes('-')) {
    if (given.length > 1 || command !== 'check' || step === undefined) throw new UsageError('`--dir -` (folders read from stdin) goes alone, with `npm run check N`.');
    return { step, steps, variant: solution ? 'solution' : 'learner', dir: undefined, dirs: 'stdin' };
  }
  const dirs = given.map((dir) => resolve(dir));
  const notStep = dirs.find((dir) => !existsSync(join(dir, 'index.ts')));
  if (notStep !== undefined) throw new UsageError(`There is no index.ts in ${notStep}: --dir takes a folder laid out like a step's.`);
  if (dirs.length > 1 && (command !== 'check' || step === undefined)) {
    throw new UsageError(`Only \`npm run check N\` judges several folders; \`npm run ${command}\` takes one --dir.`);
  }
  return { step, steps, variant: solution ? 'solution' : 'learner', dir: dirs[0], dirs };
}
