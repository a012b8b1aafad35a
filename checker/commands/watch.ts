// `npm run watch [N]`: judges the first unfinished step (or step N) and judges it again every
// time a file of it is saved, showing the verdict in place. On a pass it offers the next step.
import { createInterface } from 'node:readline';
import { relative, sep } from 'node:path';
import pc from 'picocolors';
import { repoRoot, variantDir, type Step } from '../course/steps.ts';
import { openJudgeSession, type JudgeSession } from '../judge/judge-step.ts';
import { firstUnfinishedStep } from '../progress/first-unfinished.ts';
import { formatJudgement } from '../report/print-judgement.ts';
import { watchFolder, type FolderWatcher } from '../watch/folder-watcher.ts';
import { chooseWatchMethod } from '../watch/watch-method.ts';
import { readStepArguments } from './arguments.ts';
import { judgeAndRecord } from './judge-and-record.ts';

export async function run(args: string[]): Promise<number> {
  const { step: asked, steps, variant, dir: customDir } = await readStepArguments(args, 'watch');
  const learnerWork = variant === 'learner' && customDir === undefined;
  const first = asked ?? (await firstUnfinishedStep(steps));
  if (!first) {
    console.log(pc.green(pc.bold(`✔ All ${steps.length} steps pass.`)) + ' `npm run watch N` watches one of them again.');
    return 0;
  }

  let step: Step = first;
  let watcher: FolderWatcher | undefined;
  // vitest, its worker and the browser stay up while a step is watched: only the learner's
  // server starts again at each save.
  let session: JudgeSession | undefined;
  let passedStep: Step | undefined;

  const watchStep = async (current: Step) => {
    await watcher?.close();
    await session?.close();
    session = openJudgeSession(current, variant, { dir: customDir, typecheck: false, ahead: 'checks and learner' });
    step = current;
    passedStep = undefined;
    const dir = customDir ?? variantDir(current, variant);
    const shown = relative(repoRoot, dir).split(sep).join('/') || '.';
    const method = await chooseWatchMethod(dir);
    const next = steps[steps.indexOf(current) + 1];
    const header = [
      pc.bold(`Watching ${shown}/`) + pc.dim(' — save a file to check it again; Ctrl+C to stop.'),
      ...(method.usePolling ? [pc.yellow(`! Checking for saves every 250 ms, since ${method.reason}`)] : []),
      '',
    ].join('\n');

    const judge = async (savedAt?: number) => {
      const judgement = await judgeAndRecord(current, variant, { dir: customDir, typecheck: false }, learnerWork, session);
      if (process.stdout.isTTY) console.clear();
      console.log(header);
      console.log(formatJudgement(judgement, next, { offerHints: learnerWork, watching: true }));
      const when = new Date().toLocaleTimeString();
      console.log(pc.dim(savedAt === undefined ? `(${when})` : `(${when}: ${((performance.now() - savedAt) / 1000).toFixed(2)} s from your save to this verdict)`));
      const passed = judgement.verdict.kind === 'checked' && judgement.verdict.passed;
      passedStep = passed ? current : undefined;
      if (passed && next && learnerWork) {
        console.log(process.stdin.isTTY ? pc.bold(`Press Enter to go on to step ${next.number}, or keep editing this one.`) : `Run \`npm run watch ${next.number}\` to go on.`);
      }
    };
    console.log(header);
    console.log(pc.dim(`Checking ${current.title}…`));
    watcher = watchFolder(dir, method, judge);
    await watcher.ready;
  };

  // Enter after a pass moves on to the next step.
  createInterface({ input: process.stdin }).on('line', () => {
    const next = passedStep && learnerWork ? steps[steps.indexOf(passedStep) + 1] : undefined;
    if (next && passedStep === step) void watchStep(next);
  });

  await watchStep(step);
  // Until Ctrl+C, which ends the kit, the learner's server and the browser together.
  return new Promise<number>(() => {});
}
