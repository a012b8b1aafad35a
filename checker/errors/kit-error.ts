// The kit's one error model. An error the kit can explain is a KitError: one sentence for the
// person at the keyboard, and a kind that sets the exit code. Anything else that reaches the top
// of a command is a bug of the kit, and the reporter (checker/commands/report-error.ts) says so.
// No imports: every layer of the kit may throw one.

/**
 * - `usage`: the command, an option or a setting was typed wrong (exit code 2);
 * - `files`: the learner's or the course's files stand in the way: a page, hints.md, a backup (1);
 * - `machine`: this machine lacks something, or refused (a program, a port, a folder) (1).
 */
export type KitErrorKind = 'usage' | 'files' | 'machine';

export class KitError extends Error {
  constructor(
    message: string,
    readonly kind: KitErrorKind,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get exitCode(): 1 | 2 {
    return this.kind === 'usage' ? 2 : 1;
  }
}

/** A mistake in how a command was called: shown as one sentence that says what to type instead. */
export class UsageError extends KitError {
  constructor(message: string) {
    super(message, 'usage');
  }
}
