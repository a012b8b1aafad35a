// The reference solution as a learner would write it. Its files carry region markers
// (`// #region name` … `// #endregion`, `<!-- #region … -->` in HTML) so that lessons can include
// parts of them, and they sit in `solution/`, one folder below the learner's files, so they
// import the step's shared files as '../events.ts' where the learner writes './events.ts'.

export const regionStart = /^\s*(?:\/\/|<!--)\s*#region\s+(\S+)/;
export const regionEnd = /^\s*(?:\/\/|<!--)\s*#endregion\b/;

export function isRegionMarker(line: string): boolean {
  return regionStart.test(line) || regionEnd.test(line);
}

/** `text` without its region marker lines; every other line as it is. */
export function withoutRegionMarkers(text: string): string {
  return text
    .split('\n')
    .filter((line) => !isRegionMarker(line))
    .join('\n');
}

/** The solution's imports of the step folder's files ('../events.ts') as the learner writes them ('./events.ts'). */
export function withStepFolderImports(text: string): string {
  return text.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(['"])\.\.\//g, '$1$2./');
}

/** A solution file's text as the learner would write it in the step folder. */
export function asLearnerCode(text: string): string {
  return withStepFolderImports(withoutRegionMarkers(text));
}
