// Turns a judgement of the learner's own files into saved progress. The reference solution and
// `--dir` folders are not the learner's work, so they are never recorded.
import type { Judgement } from '../judge/judge-step.ts';
import { readProgress, writeProgress, type StepProgress } from './progress-store.ts';

export interface Recorded {
  progress: StepProgress;
  /** One sentence for the learner when the saved progress had to be rebuilt. */
  warning?: string;
}

/** `filesHash` is the hash of the learner's files as they were when the judging began. */
export async function recordProgress(judgement: Judgement, filesHash: string): Promise<Recorded> {
  const before = await readProgress(judgement.step).catch(() => undefined);
  const { verdict } = judgement;
  const progress = await writeProgress(judgement.step, {
    passed: verdict.kind === 'checked' && verdict.passed,
    didNotStart: verdict.kind === 'did-not-start',
    checks: verdict.kind === 'checked' ? verdict.results.map(({ id, title, state }) => ({ id, title, state })) : [],
    filesHash,
  });
  const warning =
    before?.kind === 'damaged'
      ? `The saved progress of step ${judgement.step.number} could not be read (${before.file}); it has been rebuilt from this check.`
      : undefined;
  return { progress, warning };
}
