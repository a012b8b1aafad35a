// How far a learner has climbed each ladder of hints: one small JSON file per step under
// <state>/hints/, holding how many hints of each check were shown. It is written whole to a
// temporary name and renamed into place, so a reader never sees half a file; a file that cannot
// be read is treated as empty, and the learner is told in one line.
import { mkdir, readFile, rm } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import type { Step } from '../course/steps.ts';
import { stateDir } from '../progress/state-dir.ts';

interface LadderFile {
  step: string;
  /** Check id → how many of its hints were shown. */
  shown: Record<string, number>;
}

export interface NextHint {
  /** 1-based: which hint of the ladder to show now. */
  position: number;
  /** One sentence for the learner when the saved positions had to be forgotten. */
  warning?: string;
}

export function hintsStateDir(): string {
  return join(stateDir(), 'hints');
}

function ladderFile(step: Step): string {
  return join(hintsStateDir(), `${step.folder}.json`);
}

function isLadderFile(value: unknown, step: Step): value is LadderFile {
  const ladder = value as LadderFile;
  return (
    typeof ladder === 'object' &&
    ladder !== null &&
    ladder.step === step.folder &&
    typeof ladder.shown === 'object' &&
    ladder.shown !== null &&
    Object.values(ladder.shown).every((count) => Number.isInteger(count) && count >= 0)
  );
}

async function readLadder(step: Step): Promise<{ ladder: LadderFile; warning?: string }> {
  const empty: LadderFile = { step: step.folder, shown: {} };
  const file = ladderFile(step);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ladder: empty };
    text = '';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isLadderFile(parsed, step)) return { ladder: parsed };
  return { ladder: empty, warning: `Which hints of step ${step.number} you had seen could not be read (${file}), so they start again from the first.` };
}

async function writeLadder(step: Step, ladder: LadderFile): Promise<void> {
  await mkdir(hintsStateDir(), { recursive: true });
  const file = ladderFile(step);
  // Written whole to a temporary file, then renamed into place.
  await writeFileAtomic(file, `${JSON.stringify(ladder, null, 2)}\n`);
}

/**
 * Moves one rung up the ladder of `checkId` (of `length` hints) and saves it. Past the top it
 * stays there: the last hint, the exact code, is shown again.
 */
export async function climbHintLadder(step: Step, checkId: string, length: number): Promise<NextHint> {
  const { ladder, warning } = await readLadder(step);
  const position = Math.min((ladder.shown[checkId] ?? 0) + 1, length);
  ladder.shown[checkId] = position;
  const notSaved = await writeLadder(step, ladder).then(
    () => undefined,
    (error: Error) => `Which hint you have seen could not be saved (${error.message}), so the next one may be this one again.`,
  );
  return { position, warning: [warning, notSaved].filter(Boolean).join(' ') || undefined };
}

/** Forgets how far the learner climbed the ladders of `step`: once it passes, a later failure starts over. */
export async function forgetHintLadders(step: Step): Promise<void> {
  await rm(ladderFile(step), { force: true });
}

/**
 * Forgets the ladders of the checks in `checkIds` alone: a check that passed since its hints were
 * shown is fixed, and if it fails again later, that is a new problem whose hints start from the first.
 */
export async function forgetLaddersOf(step: Step, checkIds: readonly string[]): Promise<void> {
  const { ladder, warning } = await readLadder(step);
  if (warning) return;
  const climbed = checkIds.filter((id) => id in ladder.shown);
  if (climbed.length === 0) return;
  for (const id of climbed) delete ladder.shown[id];
  await writeLadder(step, ladder);
}
