// A failed check, told the way a learner can act on it: what was expected, what happened,
// and which section of the step's lesson explains it.
export interface FailureDetails {
  /** What the check wanted to see, in plain words. */
  expected: string;
  /** What it saw instead. */
  actual: string;
  /** The heading of the lesson section to read (its text, as written in the step's README). */
  lesson?: string;
}

export class CheckFailure extends Error {
  readonly expected: string;
  readonly actual: string;
  readonly lesson: string | undefined;

  constructor({ expected, actual, lesson }: FailureDetails) {
    super(`Expected ${expected}, but ${actual}`);
    this.name = 'CheckFailure';
    this.expected = expected;
    this.actual = actual;
    this.lesson = lesson;
  }
}

export function fail(details: FailureDetails): never {
  throw new CheckFailure(details);
}
