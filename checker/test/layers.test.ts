// The folders of checker/ say which process their code runs in (README, "Where the code lives"):
// the site and the judging code share only the course, the progress and the error model, so that
// a change to one never reaches into the other, and only the commands that start the site import it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/run-kit.ts';

const checkerDir = join(repoRoot, 'checker');

/** Every TypeScript file of the kit under `dir`, but the tests. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(checkerDir, path).startsWith('test'));
}

/** The kit's folders that `file` imports from, as paths relative to checker/ (e.g. `course/steps.ts`). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => relative(checkerDir, resolve(dirname(file), match[1]!)));
}

test('the site imports nothing of the kit but the course, the progress and the error model', () => {
  const outside = sources(join(checkerDir, 'site')).flatMap((file) =>
    importsOf(file)
      .filter((target) => !/^(site|course|progress)\//.test(target) && target !== 'errors/kit-error.ts')
      .map((target) => `${relative(checkerDir, file)} imports ${target}`),
  );
  expect(outside).toEqual([]);
});

test('only the commands that start the site import it', () => {
  const importers = sources(checkerDir)
    .filter((file) => !relative(checkerDir, file).startsWith('site'))
    .filter((file) => importsOf(file).some((target) => target.startsWith('site/')))
    .map((file) => relative(checkerDir, file));
  expect(importers.sort()).toEqual(['commands/bench-site.ts', 'commands/docs-build.ts', 'commands/start.ts']);
});
