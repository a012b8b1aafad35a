// How long a check may run before it is stopped as stuck. Every wait inside a check has a deadline
// of its own and fails, when it passes, in the check's own words: that is what decides a verdict.
// This limit only ends a check that waits for something with no deadline, a gap in the kit; it is
// long enough that a correct solution on a busy 2-core machine never meets it.
export const stuckAfterMs = 60_000;

/** The learner's words for vitest's "Test timed out in …ms", should a check ever meet the limit. */
export const stuckMessage = `This check was stopped after ${stuckAfterMs / 1000} s, still waiting for something it gave no deadline of its own: a gap in the kit's check, not a verdict on your code. Run it again, and if it stops here again, report it with the output of \`npm run doctor\`.`;
