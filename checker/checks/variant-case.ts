// A step's variants: learner files made from its reference solution with a few edits, each a
// wrong way to do the step (which must fail with the words that help) or a different right way
// (which must pass). Steps declare them as data in variants.ts; checker/test/variants.test.ts
// runs them all.

/** Per file: replacements that must each apply, or the file's whole new text. */
export type Edits = Record<string, [from: string | RegExp, to: string][] | { replaceWith: string }>;

export interface VariantCase {
  name: string;
  edits: Edits;
  /** What the learner must read; absent for a variant that must pass. */
  fails?: RegExp;
  /** For a variant that passes: what it must say all the same. */
  says?: RegExp;
}

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
