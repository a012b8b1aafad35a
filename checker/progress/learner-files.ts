// The files of a step that belong to the learner: everything in the step's folder but what the
// kit owns (the lesson, the checks, the reference solution, the pristine starter) and the data
// the learner's server writes there (its chat.db): progress, reset and restore are about code.
// (variants.ts is the author's: the learners' mistakes the kit's own tests judge.)
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const kitOwned = new Set(['README.md', 'check.ts', 'hints.md', 'variants.ts', 'solution', 'starter']);
/** The chat's SQLite database (steps 11-12) and its journals: data the server writes, not code. */
export function isDatabaseFile(name: string): boolean {
  return /\.db(-wal|-shm|-journal)?$/.test(name);
}

/** Paths relative to `dir`, with `/` separators, sorted. */
export async function listLearnerFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (folder === dir && kitOwned.has(entry.name)) continue;
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || isDatabaseFile(entry.name)) continue;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await visit(dir);
  return found.sort();
}

/** One hash of every learner file's name and bytes: any edit, new file or deletion changes it. */
export async function hashLearnerFiles(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listLearnerFiles(dir)) {
    hash.update(file).update('\0');
    hash.update(await readFile(join(dir, file))).update('\0');
  }
  return hash.digest('hex');
}
