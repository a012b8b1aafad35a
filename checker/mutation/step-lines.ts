// The lines a step asks the learner to write: those of the solution that its starter lacks. Mutation
// testing measures the step's checks on them; the rest of the solution is the known-good code of
// earlier steps, whose own checks measure it (a later lesson does not ask for it again).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';

/** Stryker's `mutate` patterns for `file` (relative to the step folder): `path:from-to` per run of new lines, or the whole file when the starter has none. */
export function stepLinePatterns(stepDir: string, solutionPath: string, file: string): string[] {
  const starter = join(stepDir, 'starter', file);
  const solution = readFileSync(join(stepDir, 'solution', file), 'utf8');
  if (!existsSync(starter)) return [solutionPath];
  const ranges: [from: number, to: number][] = [];
  let line = 1;
  for (const part of diffLines(readFileSync(starter, 'utf8'), solution)) {
    const count = part.count ?? part.value.split('\n').length - 1;
    if (part.removed) continue;
    if (part.added && count > 0) ranges.push([line, line + count - 1]);
    line += count;
  }
  const inScripts = file.endsWith('.html') ? toScriptLines(solution, ranges) : ranges;
  return inScripts.map(([from, to]) => `${solutionPath}:${from}-${to}`);
}

/**
 * Stryker compares a range of an HTML file with the lines of the `<script>` it mutates counted
 * from that script's own first line, so file lines are given as the script's: a range is moved
 * by the line of the script it starts in, and a range outside every script (markup) is dropped.
 */
function toScriptLines(html: string, ranges: [number, number][]): [number, number][] {
  const scriptLines = html
    .split('\n')
    .map((text, index) => (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text) ? index + 1 : 0))
    .filter((line) => line > 0);
  const moved: [number, number][] = [];
  for (const [from, to] of ranges) {
    const scriptLine = scriptLines.filter((line) => line <= from).at(-1);
    if (scriptLine === undefined) continue;
    moved.push([from - scriptLine + 1, to - scriptLine + 1]);
  }
  return moved;
}
