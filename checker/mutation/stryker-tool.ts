// Stryker, the mutation-testing tool behind `npm run check N -- --mutants`, is for the course's
// authors: a learner never needs it, so it is not one of the kit's dependencies (it would add some
// 180 packages to every learner's install). It is installed once, on first use, into a cache folder.
import { cacheDir, installedFile } from '../tools/cached-package.ts';

export const strykerVersion = '10.1.1';

/** The path of Stryker's command-line script, installed first if it is not there yet. */
export function strykerBin(): Promise<string> {
  return installedFile({
    dir: cacheDir(`stryker-${strykerVersion}`),
    spec: `@stryker-mutator/core@${strykerVersion}`,
    file: 'node_modules/@stryker-mutator/core/bin/stryker.js',
    purpose: 'for mutation testing',
  });
}
