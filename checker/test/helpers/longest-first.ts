// The order of the kit's test files, two at a time: vitest's own (failed first, then the longest
// by the last run's times, then the largest), except that variants.test.ts starts first. It judges
// every step's variants and takes about half of the suite: started last, as a clean clone would
// (no times recorded yet, and a short file), it would run alone at the end.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const longest = /[\\/]variants\.test\.ts$/;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((spec) => longest.test(spec.moduleId)), ...sorted.filter((spec) => !longest.test(spec.moduleId))];
  }
}
