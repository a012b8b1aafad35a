// What the checker and a spare learner process (wait-for-go.ts) say to each other.

/** Set by the checker on a spare alone; the spare removes it at once, so no process its code starts waits too. */
export const spareVariable = 'CHECKER_SPARE';

/** The checker's go: run the learner's code now, with these variables added to the environment. */
export interface GoMessage {
  type: 'go';
  env: Record<string, string>;
}

/**
 * The spare's word that it listens for its go. Sent earlier, a go can be lost: a message that
 * comes before the process listens for it finds nobody (seen on Node.js 22 with a restart soon
 * after its spare started), so the checker holds its go until this comes.
 */
export interface ReadyForGoMessage {
  type: 'ready for go';
}
