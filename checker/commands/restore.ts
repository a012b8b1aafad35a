// `npm run restore N`: brings back the files that the newest `npm run reset N` saved, after
// saving the ones it replaces, and says what changed and where the replaced files are.
import pc from 'picocolors';
import { forgetHintLadders } from '../hints/hint-ladder.ts';
import { backupsDir } from '../workspace/backup.ts';
import { restoreStep } from '../workspace/restore-step.ts';
import { showPath } from '../workspace/shown-path.ts';
import { readOwnStepArgument } from './own-step-argument.ts';

export async function run(args: string[]): Promise<number> {
  const step = await readOwnStepArgument(args, 'restore');
  // A WorkspaceError says, in one sentence, what is safe and what to do: the kit's reporter prints it.
  const outcome = await restoreStep(step);
  // Other files, another stuck spell: the step's hints start again from the first.
  if (outcome.kind === 'restored') await forgetHintLadders(step).catch(() => {});
  if (outcome.kind === 'no-backup') {
    console.error(`✖ There is no backup of step ${step.number} to restore: \`npm run reset ${step.number}\` makes one each time it puts the starter back.`);
    return 1;
  }
  console.log(pc.bold(step.title));
  const backup = `${showPath(outcome.from.dir)}/`;
  if (outcome.kind === 'already-restored') {
    console.log(`Your files already are those of the newest backup, ${backup}: nothing to restore.`);
    return 0;
  }
  for (const file of outcome.restored) console.log(`  ${pc.green('↺')} ${file}`);
  for (const file of outcome.removed) console.log(`  ${pc.red('−')} ${file} ${pc.dim('(removed: it was not there when the backup was made)')}`);
  console.log(`Your files are back as \`npm run reset ${step.number}\` saved them in ${backup}.`);
  console.log(
    outcome.saved
      ? `The files this replaced are saved in ${showPath(outcome.saved.dir)}/, should you want them back (all backups are in ${showPath(backupsDir(step))}/).`
      : `The files this replaced were the starter's, which \`npm run reset ${step.number}\` puts back at any time.`,
  );
  return 0;
}
