// What a learner reads after `npm run check N`: one line per check, and for a failure what was
// expected, what happened and where in the lesson to look; then the one next thing to do.
import pc from 'picocolors';
import { relative, sep } from 'node:path';
import { repoRoot, type Step } from '../course/steps.ts';
import type { Judgement } from '../judge/judge-step.ts';
import type { CheckResult } from '../judge/collect-results.ts';
import { slugify } from '../course/slugify.ts';
import { describeStartFailure } from './describe-start-failure.ts';

const indent = '      ';

export function lessonPath(step: Step): string {
  return relative(repoRoot, step.dir).split(sep).join('/') + '/README.md';
}

/** A step's lesson on the workshop site (`npm start`), at one of its sections when given. */
export function lessonUrl(step: Step, section?: string): string {
  return `http://localhost:${process.env['DOCS_PORT'] || 4000}/steps/${step.folder}/${section ? `#${slugify(section)}` : ''}`;
}

/** Where to read a step's lesson next: the site shows its code, which the raw README only names. */
export function nextLesson(step: Step): string {
  return `read the lesson of step ${step.number} at ${lessonUrl(step)} (\`npm start\` serves it) or in ${lessonPath(step)}`;
}

export interface FormatOptions {
  /** Point at `npm run hint N` under a failure: only for the learner's own files, which it checks. */
  offerHints?: boolean;
  /** `npm run watch`: the next check runs at the next save, so the advice is to save, not to run a command. */
  watching?: boolean;
}

export function formatJudgement(judgement: Judgement, next: Step | undefined, { offerHints = false, watching = false }: FormatOptions = {}): string {
  const { step, verdict } = judgement;
  const hintLine = offerHints ? [`${indent}${pc.dim('Stuck?  ')} \`npm run hint ${step.number}\` gives a hint, one step closer each time.`] : [];
  const lines: string[] = [];
  const whose = judgement.variant === 'solution' ? ' (the reference solution)' : '';
  lines.push(pc.bold(`${step.title}${whose}`));

  if (verdict.kind === 'did-not-start') {
    lines.push(...describeStartFailure(verdict, judgement.variant).map((line, index) => (index === 0 ? `  ${pc.red('✗')} ${line}` : `${indent}${line}`)));
    lines.push(...hintLine);
  } else {
    for (const result of verdict.results) {
      lines.push(...formatResult(result, step));
      if (result.state === 'failed' && result.id !== undefined) lines.push(...hintLine);
    }
    for (const error of verdict.errors) lines.push(`  ${pc.red('✗')} The checks themselves failed to run: ${error}`);
  }

  if (judgement.typeErrors.length > 0) {
    const found = judgement.typeErrors.length === 1 ? 'a type error' : `${judgement.typeErrors.length} type errors`;
    lines.push('', pc.yellow(`  TypeScript found ${found}. Type errors do not fail a step, but they often explain why something does not work:`));
    for (const note of judgement.typeErrors.slice(0, 5)) lines.push(`${indent}${note.location}  ${note.message}`);
    if (judgement.typeErrors.length > 5) lines.push(`${indent}…and ${judgement.typeErrors.length - 5} more.`);
  }
  if (judgement.typecheckUnfinishedMs !== undefined) {
    const seconds = Math.round(judgement.typecheckUnfinishedMs / 1000);
    lines.push('', pc.yellow(`  TypeScript's type check had not finished ${seconds} s after the checks, so type errors, if any, are not listed this time.`));
  }

  lines.push('', nextAction(judgement, next, watching));
  const engine =
    judgement.engine === 'chromium'
      ? 'pages checked in Chromium'
      : judgement.engine === 'jsdom'
        ? `pages checked in jsdom (${judgement.browserFailure ?? (process.env['CHECK_ENGINE'] === 'jsdom' ? 'CHECK_ENGINE=jsdom' : 'no Chrome or Chromium found; set CHROME_PATH to use one')})`
        : undefined;
  const warm = judgement.warm ? judgedByWarmChecker : undefined;
  lines.push(pc.dim([`checked in ${(judgement.ms / 1000).toFixed(2)} s`, warm, engine].filter(Boolean).join(' · ')));
  return lines.join('\n');
}

/** Ends the verdict's last line when the warm checker of `npm start` judged. */
export const judgedByWarmChecker = 'by the warm checker of `npm start`';

function formatResult(result: CheckResult, step: Step): string[] {
  if (result.state === 'passed') return [`  ${pc.green('✓')} ${result.title}`];
  if (result.state === 'not-run') return [`  ${pc.dim('·')} ${result.title} ${pc.dim('(checked once the one above passes)')}`];
  if (result.state === 'skipped') return [`  ${pc.dim('–')} ${result.title} ${pc.dim(`(not checked: ${result.note ?? 'skipped'})`)}`];
  const lines = [`  ${pc.red('✗')} ${result.title}`];
  const failure = result.failure;
  if (failure?.expected && failure.actual) {
    lines.push(`${indent}${pc.dim('Expected')} ${failure.expected}`);
    // A second line on (a server's last words, say) stays under the first.
    lines.push(`${indent}${pc.dim('but     ')} ${failure.actual.replaceAll('\n', `\n${indent}         `)}`);
  } else if (failure) {
    lines.push(`${indent}${failure.message}`);
  }
  if (failure?.lesson) {
    lines.push(`${indent}${pc.dim('Read    ')} "${failure.lesson}" in ${lessonPath(step)}`);
    // The same section on the site, where the lesson's code is shown (a terminal makes it a link).
    lines.push(`${indent}         ${pc.dim(`or at ${lessonUrl(step, failure.lesson)}`)}`);
  }
  return lines;
}

function nextAction(judgement: Judgement, next: Step | undefined, watching: boolean): string {
  const { step, verdict } = judgement;
  const command = `npm run check ${step.number}${judgement.variant === 'solution' ? ' -- --solution' : ''}`;
  if (watching && !(verdict.kind === 'checked' && verdict.passed)) {
    const what = verdict.kind === 'did-not-start' ? 'Fix that' : 'Fix the check marked ✗';
    return `${what} and save: it is checked again at once.`;
  }
  if (watching) return pc.green(pc.bold(`✔ Step ${String(step.number).padStart(2, '0')} passes.`)) + (next ? '' : ' That was the last step: well done!');
  if (verdict.kind === 'checked' && verdict.passed) {
    const then = next ? ` Next: ${nextLesson(next)}, then run \`npm run step ${next.number}\`.` : ' That was the last step: well done!';
    return pc.green(pc.bold(`✔ Step ${String(step.number).padStart(2, '0')} passes.`)) + then;
  }
  if (verdict.kind === 'did-not-start') return `Fix that, then run \`${command}\` again (\`npm run step ${step.number}\` shows what your code prints).`;
  const passedCount = verdict.results.filter((result) => result.state === 'passed').length;
  const tally = pc.red(`${passedCount} of ${verdict.results.length} checks pass.`);
  return `Your server started, but it does not do all this step asks yet: ${tally} Fix the one marked ✗, then run \`${command}\` again.`;
}
