// Judging a step on behalf of a command: `npm run check` and `npm run hint` both save what they
// learn about the learner's own files as progress, the same way.
import pc from 'picocolors';
import type { Step, Variant } from '../course/steps.ts';
import { judgeStep, type JudgeOptions, type JudgeSession, type Judgement } from '../judge/judge-step.ts';
import { hashLearnerFiles } from '../progress/learner-files.ts';
import { forgetHintLadders } from '../hints/hint-ladder.ts';
import { recordProgress } from '../progress/record-progress.ts';

/**
 * Judges a step and, when these are the learner's own files, saves the result as progress.
 * `session` (`npm run watch`) judges with the vitest and browser it keeps between saves.
 */
export async function judgeAndRecord(step: Step, variant: Variant, options: JudgeOptions, learnerWork: boolean, session?: JudgeSession): Promise<Judgement> {
  const filesHash = learnerWork ? await hashLearnerFiles(step.dir) : '';
  const judgement = session ? await session.judge() : await judgeStep(step, variant, options);
  if (learnerWork) {
    const { warning } = await recordProgress(judgement, filesHash).catch((error: Error) => ({
      warning: `Your progress could not be saved (${error.message}); the check itself is not affected.`,
    }));
    if (warning) console.log(pc.yellow(`! ${warning}`));
    // Hints seen on the way to a pass are old news if the step fails again later (after a reset,
    // or an edit): its hints start again from the first.
    if (passed(judgement)) await forgetHintLadders(step).catch(() => {});
  }
  return judgement;
}

/** Whether every check of the step passed. */
export function passed(judgement: Judgement): boolean {
  return judgement.verdict.kind === 'checked' && judgement.verdict.passed;
}
