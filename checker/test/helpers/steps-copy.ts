// A copy of steps/ for tests that change a step's own files (its learner files, its checks): the
// course's files stay as they are for every other test. Pointed at with WORKSHOP_STEPS_DIR.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from './run-kit.ts';

export interface StepsCopy {
  /** The copy's steps folder, for WORKSHOP_STEPS_DIR. */
  dir: string;
  remove(): void;
}

/** Copies steps/; its checks import the kit by a path relative to steps/, which is made to point at the real checker/. */
export function copyOfSteps(): StepsCopy {
  const copy = mkdtempSync(join(repoRoot, 'checker', 'test', 'tmp-steps-'));
  const dir = join(copy, 'steps');
  cpSync(join(repoRoot, 'steps'), dir, { recursive: true });
  for (const folder of readdirSync(dir).filter((name) => /^\d\d-/.test(name))) {
    const checkFile = join(dir, folder, 'check.ts');
    const toChecker = relative(join(dir, folder), join(repoRoot, 'checker')).split(sep).join('/');
    writeFileSync(checkFile, readFileSync(checkFile, 'utf8').replaceAll("'../../checker/", `'${toChecker}/`));
  }
  return { dir, remove: () => rmSync(copy, { recursive: true, force: true }) };
}
