/** A mistake in how a command was called: shown as one sentence that says what to type instead. */
export class UsageError extends Error {}
