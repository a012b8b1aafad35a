// The order of the kit's test files, two at a time: the longest first, so that the files that end
// the run are short ones. variants.test.ts judges every step's variants and takes about half of
// the suite; the others named here take 10 to 70 s each on two cores, in the order given. The rest
// follow in vitest's own order (failed first, then the longest by the last run's times, then the
// largest). The list matters on a clean clone, which has no times recorded yet: there vitest's
// order alone started steps.test.ts (50 s) last, and it ran alone after everything else had ended.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const longestFirst = ['variants', 'steps', 'site', 'real-world', 'stopped-by-signal', 'survival', 'hints', 'warm-checker', 'learner-app-powers', 'load'];

/** The place of a file in longestFirst, or the list's length for the others. */
function rank(spec: TestSpecification): number {
  const name = /([^\\/]+)\.test\.ts$/.exec(spec.moduleId)?.[1];
  const index = name === undefined ? -1 : longestFirst.indexOf(name);
  return index === -1 ? longestFirst.length : index;
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
