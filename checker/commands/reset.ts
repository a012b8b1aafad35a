// `npm run reset N`: puts step N's starter back, after saving the learner's files in a backup,
// and says which files came back, where the backup is and how to undo it.
import pc from 'picocolors';
import { forgetHintLadders } from '../hints/hint-ladder.ts';
import { resetStep } from '../workspace/reset-step.ts';
import { showPath } from '../workspace/shown-path.ts';
import { readOwnStepArgument } from './own-step-argument.ts';

export async function run(args: string[]): Promise<number> {
  const step = await readOwnStepArgument(args, 'reset');
  // A WorkspaceError says, in one sentence, what is safe and what to do: the kit's reporter prints it.
  const outcome = await resetStep(step);
  // Other files, another stuck spell: the step's hints start again from the first.
  if (outcome.kind === 'reset') await forgetHintLadders(step).catch(() => {});
  console.log(pc.bold(step.title));
  // Files the learner added are never removed: saying so keeps them from wondering.
  const keptLine = outcome.kept.length > 0 ? [`Not part of the starter, so left untouched: ${outcome.kept.map((file) => `\`${file}\``).join(', ')}.`] : [];
  if (outcome.kind === 'already-starter') {
    console.log([`Your files are the starter already: nothing to reset, so no backup was made.`, ...keptLine].join(' '));
    return 0;
  }
  for (const { file, wasMissing } of outcome.putBack) console.log(`  ${pc.green('↺')} ${file}${wasMissing ? pc.dim(' (you had deleted it)') : ''}`);
  const count = outcome.putBack.length === 1 ? 'This file is' : `These ${outcome.putBack.length} files are`;
  console.log([`${count} the starter's again.`, ...keptLine].join(' '));
  console.log(`Your files as they were are saved in ${showPath(outcome.backup.dir)}/; \`npm run restore ${step.number}\` brings them back.`);
  return 0;
}
