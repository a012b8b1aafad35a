// The course's steps, read from the folders under steps/: the folder name gives the
// number and slug, the lesson's first heading gives the title. One source of truth.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// WORKSHOP_STEPS_DIR points the kit at a copy of steps/: the tests of `npm run reset` and
// `npm run restore` rewrite a step's files, and must never touch the course itself.
export const stepsRoot = process.env['WORKSHOP_STEPS_DIR'] ? resolve(process.env['WORKSHOP_STEPS_DIR']) : join(repoRoot, 'steps');

export interface Step {
  /** 1, 2, 3… */
  number: number;
  /** The folder name, e.g. `04-emit`. */
  folder: string;
  /** e.g. `emit` */
  slug: string;
  /** The lesson's first heading, e.g. `Step 04 · Emit a chat message`. */
  title: string;
  /** Absolute path of the step folder. */
  dir: string;
}

/** Whose files to run: the learner's (the step folder) or the reference (its `solution/`). */
export type Variant = 'learner' | 'solution';

const stepFolderPattern = /^(\d{2})-([a-z0-9-]+)$/;

export async function listSteps(): Promise<Step[]> {
  const entries = await readdir(stepsRoot, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && stepFolderPattern.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(folders.map(readStep));
}

async function readStep(folder: string): Promise<Step> {
  const [, number, slug] = stepFolderPattern.exec(folder)!;
  const dir = join(stepsRoot, folder);
  const lesson = await readFile(join(dir, 'README.md'), 'utf8').catch(() => '');
  const heading = /^#\s+(.+)$/m.exec(lesson)?.[1]?.trim();
  return { number: Number(number), folder, slug, dir, title: heading ?? `Step ${number}` };
}

/** Finds a step by what a learner types: `4`, `04`, `emit` or `04-emit`. */
export function findStep(steps: Step[], query: string): Step | undefined {
  const wanted = query.trim().toLowerCase();
  if (/^\d+$/.test(wanted)) return steps.find((step) => step.number === Number(wanted));
  return steps.find((step) => step.slug === wanted || step.folder === wanted);
}

/** The folder holding the files to run: the step folder itself, or its `solution/`. */
export function variantDir(step: Step, variant: Variant): string {
  return variant === 'solution' ? join(step.dir, 'solution') : step.dir;
}

export function describeStepChoices(steps: Step[]): string {
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last) return 'There are no steps yet.';
  return `Steps go from ${first.number} to ${last.number}, e.g. \`${first.number}\`, \`0${first.number}\` or \`${first.slug}\`.`;
}
