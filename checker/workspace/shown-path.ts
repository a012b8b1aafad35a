// Paths as a learner reads them in a message: from the course's folder when they lie inside it
// (`steps/04-emit/index.ts`, `.workshop/backups/…`), whole otherwise.
import { isAbsolute, relative, sep } from 'node:path';
import { repoRoot } from '../course/steps.ts';

export function showPath(path: string): string {
  const inside = relative(repoRoot, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return path;
  return inside.split(sep).join('/');
}
