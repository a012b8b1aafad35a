// Judging a step on behalf of a command: `npm run check` and `npm run hint` both save what they
// learn about the learner's own files as progress, the same way.
import pc from 'picocolors';
import type { Step, Variant } from '../course/steps.ts';
import { judgeStep, type JudgeOptions, type JudgeSession, type Judgement } from '../judge/judge-step.ts';
import { judgeWithWarmJudge } from '../judge/warm-judge-client.ts';
import { hashLearnerFiles } from '../progress/learner-files.ts';
import { forgetHintLadders, forgetLaddersOf } from '../hints/hint-ladder.ts';
import { didNotStartId } from '../hints/read-hints.ts';
import { recordProgress } from '../progress/record-progress.ts';

/**
 * Judges a step and, when these are the learner's own files, saves the result as progress.
 * `session` (`npm run watch`) judges with the vitest and browser it keeps between saves.
 */
export async function judgeAndRecord(step: Step, variant: Variant, options: JudgeOptions, learnerWork: boolean, session?: JudgeSession): Promise<Judgement> {
  const filesHash = learnerWork ? await hashLearnerFiles(step.dir) : '';
  // Without a session of its own, the warm judge of `npm start` is asked first.
  const warm = session || options.alone ? undefined : await judgeWithWarmJudge(step, variant, options);
  const judgement = session ? await session.judge() : (warm ?? (await judgeStep(step, variant, options)));
  if (learnerWork) {
    const { warning } = await recordProgress(judgement, filesHash).catch((error: Error) => ({
      warning: `Your progress could not be saved (${error.message}); the check itself is not affected.`,
    }));
    if (warning) console.log(pc.yellow(`! ${warning}`));
    await forgetFixedLadders(step, judgement).catch(() => {});
  }
  return judgement;
}

/**
 * Hints are for one stuck spell. Hints seen on the way to a pass are old news if the step fails
 * again later (after a reset, or an edit), and so are those of a check that passes now while
 * another fails: whichever fails again later starts from its first hint.
 */
async function forgetFixedLadders(step: Step, judgement: Judgement): Promise<void> {
  if (passed(judgement)) return forgetHintLadders(step);
  if (judgement.verdict.kind !== 'checked') return;
  const fixed = judgement.verdict.results.flatMap((result) => (result.state === 'passed' && result.id !== undefined ? [result.id] : []));
  // The code started, so the ladder of "your code starts and listens" is done with too.
  await forgetLaddersOf(step, [didNotStartId, ...fixed]);
}

/** Whether every check of the step passed. */
export function passed(judgement: Judgement): boolean {
  return judgement.verdict.kind === 'checked' && judgement.verdict.passed;
}
