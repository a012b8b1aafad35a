// `npm run hint N`: the next hint for the first check of step N that fails, one rung up its
// ladder each time (from a nudge to the exact code). What fails is taken from the saved progress
// when it still matches the learner's files; otherwise the step is checked first.
import pc from 'picocolors';
import { listSteps, type Step } from '../course/steps.ts';
import { readDiffSetting } from '../diff/diff-setting.ts';
import { climbHintLadder } from '../hints/hint-ladder.ts';
import { didNotStartId, readHints } from '../hints/read-hints.ts';
import { readProgress, type StepProgress } from '../progress/progress-store.ts';
import { lessonPath, nextLesson } from '../report/print-judgement.ts';
import { judgeAndRecord } from './judge-and-record.ts';
import { readOwnStepArgument } from './own-step-argument.ts';

/** What a hint is about: a check that failed, or code that did not start. */
interface Stuck {
  id: string | undefined;
  title: string;
}

export async function run(args: string[]): Promise<number> {
  const step = await readOwnStepArgument(args, 'hint');
  const steps = await listSteps();

  const hints = await readHints(step);
  const progress = await currentOutcome(step);
  console.log(pc.bold(step.title));
  if (progress.passed) {
    const next = steps[steps.findIndex((each) => each.folder === step.folder) + 1];
    const then = next ? ` Next: ${nextLesson(next)}, then run \`npm run step ${next.number}\`.` : ' That was the last step: well done!';
    console.log(`${pc.green(pc.bold(`✔ Step ${String(step.number).padStart(2, '0')} passes`))}: no hint needed.${then}`);
    return 0;
  }
  const stuck = firstFailure(progress);
  if (!stuck) {
    console.log(`The checks of step ${step.number} could not run, so there is no hint to give: \`npm run check ${step.number}\` shows why.`);
    return 1;
  }
  const ladder = stuck.id === undefined ? undefined : hints?.get(stuck.id);
  if (!ladder) {
    console.log(`There is no hint for "${stuck.title}" yet: \`npm run check ${step.number}\` says what is wrong and which part of ${lessonPath(step)} to read.`);
    return 0;
  }
  const { position, warning } = await climbHintLadder(step, stuck.id!, ladder.length);
  if (warning) console.log(pc.yellow(`! ${warning}`));
  console.log(pc.bold(`Hint ${position} of ${ladder.length} — ${stuck.title}`));
  console.log(formatHint(ladder[position - 1]!));
  console.log('');
  console.log(position < ladder.length ? `Run \`npm run hint ${step.number}\` again for a more precise hint.` : await afterLastHint(step));
  return 0;
}

/** At the last hint, the diff with the reference solution is the one thing left, if the instructor allows it. */
async function afterLastHint(step: Step): Promise<string> {
  const setting = await readDiffSetting().catch(() => undefined);
  const then = setting === 'always' ? `\`npm run diff ${step.number}\` shows all of the reference solution's changes.` : `Make the change, then run \`npm run check ${step.number}\`.`;
  return `That was the last hint: it shows the exact code. ${then}`;
}

type Outcome = Pick<StepProgress, 'passed' | 'didNotStart' | 'checks'>;

/** The saved progress when it matches the learner's files as they are; otherwise a fresh check. */
async function currentOutcome(step: Step): Promise<Outcome> {
  const status = await readProgress(step).catch(() => ({ kind: 'unchecked' }) as const);
  if (status.kind === 'fresh') return status.progress;
  console.log(pc.dim(`Checking step ${step.number} first…`));
  const { verdict } = await judgeAndRecord(step, 'learner', { typecheck: false }, true);
  if (verdict.kind === 'did-not-start') return { passed: false, didNotStart: true, checks: [] };
  return { passed: verdict.passed, didNotStart: false, checks: verdict.results };
}

function firstFailure(progress: Outcome): Stuck | undefined {
  if (progress.didNotStart) return { id: didNotStartId, title: 'your code starts and listens' };
  return progress.checks.find((check) => check.state === 'failed');
}

/** Inline code in markdown: a run of backticks, the code, the same run again. */
const codeSpan = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;

/** Indented and wrapped to the terminal; code spans are never split, and coloured when colours are on. */
function formatHint(text: string): string {
  const width = Math.max(40, Math.min(process.stdout.columns || 100, 100) - 2);
  const protectedSpaces = text.replace(codeSpan, (span) => span.replaceAll(' ', '\u0000'));
  const lines: string[] = [];
  let line = '';
  for (const word of protectedSpaces.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((each) => `  ${colourCode(each.replaceAll('\u0000', ' '))}`).join('\n');
}

function colourCode(line: string): string {
  if (!pc.isColorSupported) return line;
  return line.replace(codeSpan, (_span, _ticks, code: string) => pc.cyan(code.replace(/^ (.*) $/, '$1')));
}
