// What every chat check does, written once: ask the server something and wait for its answer
// through the acknowledgement, read that answer ({ ok: true } or { ok: false, error }), tell a
// lost connection from a refusal, and make sure the server still runs after a client sent
// something odd. Steps reach it through check.ts.
import type { Socket } from 'socket.io-client';
import { fail } from './check-failure.ts';
import { answerWithinMs, seconds } from './deadlines.ts';
import type { LearnerApp } from './learner-app.ts';

export const json = (value: unknown) => JSON.stringify(value);

/** What a check says when the server did not answer: the same words, and the same deadline, everywhere. */
export const noAnswerWithin = `no answer came within ${seconds(answerWithinMs)}`;

/** The server's answer to an event sent with an acknowledgement, or undefined when none came in time. */
export async function askServer(socket: { timeout(ms: number): unknown }, event: string, ...args: unknown[]): Promise<unknown> {
  try {
    return await ((socket as Socket).timeout(answerWithinMs) as unknown as Socket).emitWithAck(event, ...args);
  } catch {
    return undefined;
  }
}

export const accepted = (answer: unknown) => (answer as { ok?: unknown } | undefined)?.ok === true;

/** `{ ok: false, error }` with a reason a page can show. */
export function refused(answer: unknown): boolean {
  const { ok, error } = (answer ?? {}) as { ok?: unknown; error?: unknown };
  return ok === false && typeof error === 'string' && error.trim() !== '';
}

/**
 * A connection attempt that failed for want of a server, not because the server refused it. A
 * handshake that timed out is not proof of that: a busy server, or a middleware that never calls
 * next(), is slow, not gone.
 */
export const lostConnection = (error: string) => /websocket error|xhr poll error|xhr post error|ECONNREFUSED|disconnected during the handshake/i.test(error);

export interface AliveExpectation {
  /** What happened just before, e.g. "a client sent a number". */
  after: string;
  lesson: string;
  /** The cause to fix when it did stop, e.g. "a listener must never throw". */
  advice?: string;
  /** The handshake a newcomer needs to get in (a nickname from step 07 on). */
  auth?: Record<string, unknown>;
}

let newcomers = 0;

/** Fails the check, with the error that stopped it, if the server no longer lets a newcomer in. */
export async function expectServerAlive(app: LearnerApp, { after, lesson, advice, auth }: AliveExpectation): Promise<void> {
  newcomers += 1;
  const attempt = await app.tryConnect({ auth: auth ?? { nickname: `newcomer-${newcomers}` } });
  if (attempt.connected || !lostConnection(attempt.error)) return;
  const crash = await app.crashError();
  fail({ expected: `the server to keep running after ${after}`, actual: `it stopped${crash ? ` with "${crash}"` : ''}${advice ? `: ${advice}` : ''}`, lesson });
}
