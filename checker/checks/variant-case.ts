// A step's variants: learner files made from its reference solution with a few edits, each a
// wrong way to do the step (which must fail with the words that help) or a different right way
// (which must pass). Steps declare them as data in variants.ts; checker/test/variants.test.ts
// runs them all.

/** Per file: replacements that must each apply, or the file's whole new text. */
export type Edits = Record<string, [from: string | RegExp, to: string][] | { replaceWith: string }>;

interface Variant {
  name: string;
  edits: Edits;
}

/** A different right way: it must pass every check. */
interface RightVariant extends Variant {
  fails?: undefined;
  caughtBy?: undefined;
  /** What it must say all the same, if anything. */
  says?: RegExp;
}

/** A wrong way: it must fail, with the words that help. */
interface WrongVariant extends Variant {
  /** What the learner must read. */
  fails: RegExp;
  /**
   * The ids of the checks that must catch it, with the words of `fails`. The kit's test of
   * variants runs these alone, which is quicker and proves which check said the words; a
   * learner's `npm run check` always runs them all.
   */
  caughtBy: string[];
  says?: undefined;
}

export type VariantCase = RightVariant | WrongVariant;

/**
 * A mutant of the reference that the step's checks let through, on purpose: what it changes is
 * outside the lesson's contract, or nothing a learner could observe. `npm run check N -- --mutants`
 * matches it by file, code and replacement, wherever the line moves.
 */
export interface ListedSurvivor {
  /** The file, relative to the step's solution folder. */
  file: string;
  /** The code the mutant replaces, as the reference has it, and the mutant's version of it. */
  code: string;
  mutant: string;
  /** One line: why no check should catch it. */
  why: string;
}

export interface StepVariants {
  cases: VariantCase[];
  /** Mutants of the reference accounted for, each with its reason (see ListedSurvivor). */
  survivors?: ListedSurvivor[];
  /** For a step whose checks take long: the time one variant's whole run may take. */
  timeoutMs?: number;
}
