// Who may see the diff with the reference solution: the instructor's choice, in package.json:
//   "workshop": { "solutionDiff": "always" | "after-passing" | "never" }   ("always" when absent)
// WORKSHOP_SOLUTION_DIFF overrides it for one run. The kit's tests use it: they must not edit
// package.json, which the instructor owns and other processes read meanwhile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import { KitError } from '../errors/kit-error.ts';

export const diffSettings = ['always', 'after-passing', 'never'] as const;
export type DiffSetting = (typeof diffSettings)[number];

export const defaultDiffSetting: DiffSetting = 'always';

/** The setting has a value the kit does not know: one sentence naming where it is and what it may be. */
export class DiffSettingError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

const allowed = `"always", "after-passing" or "never"`;

/** `manifest` is the course's package.json; the kit's tests pass one of their own. */
export async function readDiffSetting(manifest = join(repoRoot, 'package.json')): Promise<DiffSetting> {
  const override = process.env['WORKSHOP_SOLUTION_DIFF'];
  if (override) {
    if (isDiffSetting(override)) return override;
    throw new DiffSettingError(`WORKSHOP_SOLUTION_DIFF is "${override}", which is not a setting: use ${allowed}, or unset it to follow package.json.`);
  }
  let settings: { workshop?: { solutionDiff?: unknown } };
  try {
    settings = JSON.parse(await readFile(manifest, 'utf8'));
  } catch (error) {
    throw new DiffSettingError(`${manifest} could not be read as JSON (${(error as Error).message}): fix it, then run the command again.`);
  }
  const value = settings.workshop?.solutionDiff;
  if (value === undefined) return defaultDiffSetting;
  if (isDiffSetting(value)) return value;
  throw new DiffSettingError(`package.json sets "workshop": { "solutionDiff": ${JSON.stringify(value)} }, which is not a setting: use ${allowed}.`);
}

function isDiffSetting(value: unknown): value is DiffSetting {
  return (diffSettings as readonly unknown[]).includes(value);
}
