// A solution diff as the learner reads it: lines only in theirs in red with `-`, lines only in
// the reference in green with `+`. The signs carry the meaning where colours are off (NO_COLOR).
import pc from 'picocolors';
import type { Step } from '../course/steps.ts';
import type { FileComparison, SolutionDiff } from './solution-diff.ts';

export function formatSolutionDiff({ step, stepPath, files }: SolutionDiff): string {
  const lines: string[] = [];
  if (files.some((file) => file.kind === 'different' || file.kind === 'missing')) {
    lines.push(pc.dim('Lines marked - are only in yours, lines marked + only in the reference.'));
  }
  for (const file of files) {
    if (file.kind !== 'only-yours') lines.push('', ...formatFile(file, step, stepPath));
  }
  const shared = files.filter((file) => file.kind === 'only-yours' && file.importedByReference).map((file) => file.file);
  const onlyYours = files.filter((file) => file.kind === 'only-yours' && !file.importedByReference).map((file) => file.file);
  if (shared.length > 0) lines.push('', `${shared.join(', ')}: the reference has no copy of its own; it imports yours.`);
  if (onlyYours.length > 0) lines.push('', `Only in yours (the reference does without): ${onlyYours.join(', ')}.`);
  return lines.join('\n');
}

function formatFile(comparison: Exclude<FileComparison, { kind: 'only-yours' }>, step: Step, stepPath: string): string[] {
  const { file } = comparison;
  switch (comparison.kind) {
    case 'same':
      return [`${pc.green('✓')} ${file}: same as the reference.`];
    case 'missing':
      return [
        pc.bold(`solution/${file} (reference)`),
        pc.yellow(`You have no ${file}; the reference's is below. \`npm run reset ${step.number}\` puts the starter back, keeping a backup.`),
        ...comparison.lines.map((line) => pc.green(`+${line}`)),
      ];
    case 'different':
      return [
        pc.bold(`${stepPath}/${file} (yours) → solution/${file} (reference)`),
        ...comparison.hunks.flatMap((hunk) => [
          pc.cyan(`@@ line ${hunk.oldStart} of yours, line ${hunk.newStart} of the reference @@`),
          ...hunk.lines.map(colourLine),
        ]),
      ];
  }
}

function colourLine(line: string): string {
  if (line.startsWith('-')) return pc.red(line);
  if (line.startsWith('+')) return pc.green(line);
  return line;
}
