// The one argument of `npm run reset N` and `npm run restore N`: a step. They work on the
// learner's own files in steps/, so the options of `check` and `step` are refused in one sentence
// rather than ignored: a learner who typed --solution must not believe the solution was reset.
import { parseArgs } from 'node:util';
import { describeStepChoices, type Step } from '../course/steps.ts';
import { readStepArguments } from './arguments.ts';
import { UsageError } from '../errors/kit-error.ts';

export async function readOwnStepArgument(args: string[], command: string): Promise<Step> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { solution: { type: 'boolean' }, dir: { type: 'string' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: \`npm run ${command}\` takes a step and nothing else, e.g. \`npm run ${command} 4\`.`);
  }
  // `npm run reset 4 --solution` without `--` reaches us as npm_config_solution: readStepArguments reads it.
  const { step, steps, variant } = await readStepArguments(parsed.positionals, command);
  const option = parsed.values.solution || variant === 'solution' ? '--solution' : parsed.values.dir !== undefined ? '--dir' : undefined;
  if (option) throw new UsageError(`\`npm run ${command}\` works on your own files in steps/, so ${option} does not apply: use \`npm run ${command} ${step?.number ?? 4}\`.`);
  if (!step) throw new UsageError(`Which step? e.g. \`npm run ${command} 4\`. ${describeStepChoices(steps)}`);
  return step;
}
