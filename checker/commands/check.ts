// `npm run check [N] [--solution]`: judges one step, or every step in order with a summary.
// `npm run check N -- --mutants` measures the step's checks instead (checker/mutation/), and
// `npm run check N -- --author` runs the kit's own tests of that step (author-checks.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { describeStepChoices, findStep, listSteps, type Step, type Variant } from '../course/steps.ts';
import { openJudgeSession, type Judgement } from '../judge/judge-step.ts';
import { formatProgressBar, readCourseProgress } from '../progress/progress-bar.ts';
import { formatJudgement, lessonPath } from '../report/print-judgement.ts';
import { readStepArguments } from './arguments.ts';
import { judgeAndRecord, passed } from './judge-and-record.ts';
import { UsageError } from '../errors/kit-error.ts';

export async function run(args: string[]): Promise<number> {
  if (args.includes('--mutants') || typedWithoutDashes('mutants')) return runMutantsCommand(args);
  if (args.includes('--author') || typedWithoutDashes('author')) return runAuthorCommand(args);
  const { step, steps, variant, dir, dirs } = await readStepArguments(args, 'check');
  const learnerWork = variant === 'learner' && dir === undefined;
  if (step && (dirs === 'stdin' || dirs.length > 1)) return judgeFolders(step, steps, variant, dirs === 'stdin' ? foldersFromStdin(steps) : dirs.map((each) => ({ dir: each })));
  if (step) {
    const judgement = await judgeAndRecord(step, variant, { dir }, learnerWork);
    console.log(formatJudgement(judgement, steps[steps.indexOf(step) + 1], { offerHints: learnerWork }));
    if (learnerWork) console.log(`\n${formatProgressBar(await readCourseProgress(steps))}`);
    return passed(judgement) ? 0 : 1;
  }

  const judgements: Judgement[] = [];
  // One session turned from step to step: vitest, its thread and the browser start once.
  const options = { typecheck: false, alone: true };
  const session = openJudgeSession(steps[0]!, variant, options);
  try {
    for (const each of steps) {
      await session.turnTo(each);
      const judgement = await judgeAndRecord(each, variant, options, learnerWork, session);
      judgements.push(judgement);
      console.log(summaryLine(judgement));
    }
  } finally {
    await session.close();
  }
  if (learnerWork) console.log(`\n${formatProgressBar(await readCourseProgress(steps))}`);
  const firstToDo = judgements.find((judgement) => !passed(judgement));
  console.log('');
  if (!firstToDo) {
    console.log(pc.green(pc.bold(`✔ All ${steps.length} steps pass.`)));
    return 0;
  }
  const done = judgements.filter(passed).length;
  console.log(`${done} of ${steps.length} steps pass. Work on step ${firstToDo.step.number} next: ${lessonPath(firstToDo.step)}, then \`npm run check ${firstToDo.step.number}\` for the details.`);
  return 1;
}

interface FolderToJudge {
  dir: string;
  /** The ids of the checks to run, when not all. */
  only?: string[];
  /** The step to judge it as, when not the one before (a line `step N` of stdin). */
  step?: Step;
}

/**
 * `npm run check N -- --dir A --dir B …`, for authors and the kit's tests: judges each folder as the
 * step, in turn, with one vitest and one browser kept between them (as `npm run watch` does).
 * `--dir -` reads the folders from stdin, one a line, and judges each as it comes, until stdin
 * ends: the kit's tests keep a few such judges warm. A line may name, after a tab, the ids of the
 * checks to run, separated by commas: the others are left out, and so is the type check, which
 * those checks do not need (what such a judgement proves is which check catches the folder's
 * mistake, and the kit's tests run hundreds of them). A line `step N` makes the folders after it
 * step N's: the session turns to step N, whose checks run in the same vitest, thread and browser.
 * Each verdict is printed between a line `── judging <folder>` and a line `── <folder> passes`
 * (or `fails`); the exit code is 0 only when every folder passes.
 */
async function judgeFolders(firstStep: Step, steps: Step[], variant: Variant, folders: Iterable<FolderToJudge> | AsyncIterable<FolderToJudge>): Promise<number> {
  // Each next judgement's checks are loaded while the folder before is printed and the next is named.
  const session = openJudgeSession(firstStep, variant, { ahead: 'checks' });
  let allPassed = true;
  try {
    for await (const { dir, only, step = firstStep } of folders) {
      await session.turnTo(step);
      console.log(`── judging ${dir}`);
      const judgement = await session.judge(dir, only ? { only, typecheck: false } : {});
      console.log(formatJudgement(judgement, steps[steps.indexOf(step) + 1], { offerHints: false }));
      console.log(`── ${dir} ${passed(judgement) ? 'passes' : 'fails'}`);
      allPassed &&= passed(judgement);
    }
  } finally {
    await session.close();
  }
  return allPassed ? 0 : 1;
}

/**
 * The folders named on stdin, one a line, each with the checks to run after a tab, and lines
 * `step N` that make the folders after them step N's; a folder without index.ts, or a step that
 * does not exist, is a usage mistake.
 */
async function* foldersFromStdin(steps: Step[]): AsyncIterable<FolderToJudge> {
  let step: Step | undefined;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const stepLine = /^step (\S+)$/.exec(line.trim());
    if (stepLine) {
      step = findStep(steps, stepLine[1]!);
      if (!step) throw new UsageError(`There is no step "${stepLine[1]}" (stdin said "${line.trim()}"). ${describeStepChoices(steps)}`);
      continue;
    }
    const [folder = '', checks] = line.split('\t');
    const dir = resolve(folder.trim());
    if (!existsSync(join(dir, 'index.ts'))) throw new UsageError(`There is no index.ts in ${dir}: each line of stdin names a folder laid out like a step's.`);
    const only = checks?.split(',').map((id) => id.trim()).filter(Boolean);
    yield { dir, ...(only && only.length > 0 ? { only } : {}), ...(step ? { step } : {}) };
  }
}

/** `npm run check N -- --mutants [--concurrency N] [--whole-files]`, for authors: see checker/mutation/run-mutants.ts. */
async function runMutantsCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { mutants: { type: 'boolean' }, concurrency: { type: 'string', default: '1' }, 'whole-files': { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: mutation testing takes a step, --concurrency and --whole-files, e.g. \`npm run check 7 -- --mutants --concurrency 2\`.`);
  }
  const steps = await listSteps();
  const [query] = parsed.positionals;
  const step = query === undefined ? undefined : findStep(steps, query);
  if (!step) throw new UsageError(`Mutation testing takes one step: e.g. \`npm run check 7 -- --mutants\`. ${describeStepChoices(steps)}`);
  const concurrency = Number(parsed.values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) throw new UsageError(`--concurrency takes a whole number from 1 to 8, not "${parsed.values.concurrency}".`);
  const { runMutants } = await import('../mutation/run-mutants.ts');
  return runMutants(step, { concurrency, wholeFiles: parsed.values['whole-files'] === true });
}

/** `npm run check 7 --author`, without `--`: npm keeps the flag and hands it over as npm_config_author. */
function typedWithoutDashes(flag: string): boolean {
  const value = process.env[`npm_config_${flag}`];
  return value !== undefined && value !== '' && value !== 'false';
}

/** `npm run check N -- --author`, for authors: see author-checks.ts. */
async function runAuthorCommand(args: string[]): Promise<number> {
  const positionals = args.filter((arg) => arg !== '--author');
  const unknown = positionals.find((arg) => arg.startsWith('-'));
  if (unknown) throw new UsageError(`The author checks take a step and no other option, not ${unknown}: e.g. \`npm run check 7 -- --author\`.`);
  const steps = await listSteps();
  const step = positionals.length === 1 ? findStep(steps, positionals[0]!) : undefined;
  if (!step) throw new UsageError(`The author checks take one step: e.g. \`npm run check 7 -- --author\`. ${describeStepChoices(steps)}`);
  const { runAuthorChecks } = await import('./author-checks.ts');
  return runAuthorChecks(step);
}

function summaryLine({ step, verdict }: Judgement): string {
  const name = `${String(step.number).padStart(2, '0')} ${step.title.replace(/^Step \d+\s*[·:.-]\s*/, '')}`;
  if (verdict.kind === 'did-not-start') return `  ${pc.red('✗')} ${name} ${pc.dim('— the code did not start')}`;
  if (verdict.passed) return `  ${pc.green('✓')} ${name}`;
  const passedCount = verdict.results.filter((result) => result.state === 'passed').length;
  return `  ${pc.red('✗')} ${name} ${pc.dim(`— ${passedCount} of ${verdict.results.length} checks pass`)}`;
}

