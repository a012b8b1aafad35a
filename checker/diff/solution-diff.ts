// A step's files compared with its reference solution, line by line: what `npm run diff N` shows.
// The solution is read as the learner would write it (no region markers, './events.ts'), and the
// learner's files without region markers either. Only reads.
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { structuredPatch, type StructuredPatchHunk } from 'diff';
import { asLearnerCode, isRegionMarker, withoutRegionMarkers } from '../course/reference-code.ts';
import { repoRoot, variantDir, type Step } from '../course/steps.ts';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { KitError } from '../errors/kit-error.ts';

/** Unchanged lines shown around each change, so that a reader can tell where it goes. */
const contextLines = 3;

export type FileComparison =
  | { kind: 'same'; file: string }
  | { kind: 'different'; file: string; hunks: StructuredPatchHunk[] }
  /** The reference has the file and the learner does not; `lines` is the reference's file. */
  | { kind: 'missing'; file: string; lines: string[] }
  /** Only the learner has the file. `importedByReference`: the solution imports it from the step folder ('../events.ts'). */
  | { kind: 'only-yours'; file: string; importedByReference: boolean };

export interface SolutionDiff {
  step: Step;
  /** The step folder, relative to the course's root: `steps/03-connect`. */
  stepPath: string;
  /** The reference's files first, in order, then the learner's own. */
  files: FileComparison[];
}

/** The step's `solution/` is gone or empty: there is nothing to compare with. */
export class NoSolutionError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

export async function diffWithSolution(step: Step): Promise<SolutionDiff> {
  const solutionDir = variantDir(step, 'solution');
  const stepPath = relative(repoRoot, step.dir).split(sep).join('/');
  const referenceFiles = await listLearnerFiles(solutionDir).catch((): string[] => []);
  if (referenceFiles.length === 0) {
    throw new NoSolutionError(
      `Step ${step.number} has no reference solution (${stepPath}/solution/ is missing or empty): get it back from the workshop's repository, e.g. \`git restore ${stepPath}/solution\`.`,
    );
  }
  const learnerFiles = await listLearnerFiles(step.dir);
  const rawReferences = await Promise.all(referenceFiles.map((file) => readFile(join(solutionDir, file), 'utf8')));

  const files: FileComparison[] = [];
  for (const [index, file] of referenceFiles.entries()) {
    const reference = comparable(asLearnerCode(rawReferences[index]!));
    if (!learnerFiles.includes(file)) {
      files.push({ kind: 'missing', file, lines: reference.split('\n').slice(0, -1) });
      continue;
    }
    // Region markers are the course's, not code: a learner who copied the reference has them too.
    const yoursAsWritten = await readFile(join(step.dir, file), 'utf8');
    const yours = comparable(withoutRegionMarkers(yoursAsWritten));
    if (yours === reference) {
      files.push({ kind: 'same', file });
      continue;
    }
    const { hunks } = structuredPatch(file, file, yours, reference, undefined, undefined, { context: contextLines });
    // "line N of yours" names the line in the file as it is, markers counted.
    const lineAsWritten = linesKeptFrom(yoursAsWritten);
    for (const hunk of hunks) hunk.oldStart = lineAsWritten[hunk.oldStart - 1] ?? hunk.oldStart;
    files.push({ kind: 'different', file, hunks });
  }
  for (const file of learnerFiles.filter((file) => !referenceFiles.includes(file))) {
    const importedByReference = rawReferences.some((text) => text.includes(`'../${file}'`) || text.includes(`"../${file}"`));
    files.push({ kind: 'only-yours', file, importedByReference });
  }
  return { step, stepPath, files };
}

/**
 * Line endings and a missing last newline are not what a learner came to learn: an editor on
 * Windows writes CRLF, and either would otherwise mark every line, or the last one, as changed.
 */
/** For each line left once the region markers are taken out, its number in `text` (1-based). */
function linesKeptFrom(text: string): number[] {
  return text.split(/\r?\n/).flatMap((line, index) => (isRegionMarker(line) ? [] : [index + 1]));
}

function comparable(text: string): string {
  const lf = text.replace(/\r\n/g, '\n');
  return lf === '' || lf.endsWith('\n') ? lf : `${lf}\n`;
}
