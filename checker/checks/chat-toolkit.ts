// What every chat check does, written once: join with a nickname (and say why a client was not
// let in), ask the server something and wait for its answer through the acknowledgement, read that
// answer ({ ok: true } or { ok: false, error }), tell a lost connection from a refusal, and make
// sure the server still runs after a client sent something odd. Steps reach it through check.ts.
import type { Socket } from 'socket.io-client';
import { fail } from './check-failure.ts';
import { answerWithinMs, seconds } from './deadlines.ts';
import type { LearnerApp } from './learner-app.ts';
import type { ConnectOptions, EventsMap, ReceivedEvents } from './socket-client.ts';
import { untilUnheard, wasUnheard } from './unheard-events.ts';

export const json = (value: unknown) => JSON.stringify(value);

/** What a check says when the server did not answer: the same words, and the same deadline, everywhere. */
export const noAnswerWithin = `no answer came within ${seconds(answerWithinMs)}`;

/**
 * What a check says when the learner's server got `event` and nothing listened for it (see
 * unheard-events.ts), with the usual causes: a name spelt otherwise, a listener on something else
 * than the client's socket, or one added only after an `await`, once the event had come.
 */
export const unheardWords = (event: string) =>
  `your server got "${event}", and nothing listened for it on that client's socket: inside io.on('connection', (socket) => …), add socket.on('${event}', …), the event name spelt exactly so, before any await`;

/** unheardWords(event) if the server got `event` with nothing to hear it (on socket `socketId`, or on any, when not given); `otherwise` if not. */
export const unheardOr = <T>(event: string, otherwise: T, socketId?: string): string | T => (wasUnheard(event, socketId) ? unheardWords(event) : otherwise);

/** Why a client got no answer to `event`: nothing listened for it, or no answer came in time. */
export const noAnswerTo = (event: string, socketId?: string) => unheardOr(event, noAnswerWithin, socketId);

/**
 * The server's answer to an event sent with an acknowledgement, or undefined when none came in
 * time, or at once when the server got the event with nothing to hear it (noAnswerTo() says which).
 */
export function askServer(socket: { timeout(ms: number): unknown }, event: string, ...args: unknown[]): Promise<unknown> {
  return askServerWithin(answerWithinMs, socket, event, ...args);
}

/**
 * askServer with a deadline of its own, for an answer that waits on something else first (a
 * private message is answered once its recipient confirmed it, or gave up waiting).
 */
export function askServerWithin(timeoutMs: number, socket: { timeout(ms: number): unknown }, event: string, ...args: unknown[]): Promise<unknown> {
  const client = socket as Socket;
  const asking = (client.timeout(timeoutMs) as unknown as Socket).emitWithAck(event, ...args).catch(() => undefined);
  return untilUnheard(client.id, event, asking, undefined);
}

/**
 * Emits 'typing' from `socket` (with `args`, if any), then again every 100 ms, until `heard`
 * settles, and resolves as it does. The lessons have the server pass 'typing' on as a volatile
 * event, which Socket.IO drops when the receiver's connection is busy writing at that moment (on a
 * busy machine, now and then): one 'typing' that never arrives proves nothing, for the server or
 * against it.
 */
export async function keepTypingUntil<T>(socket: { emit: unknown }, heard: () => Promise<T>, ...args: unknown[]): Promise<T> {
  const sayTyping = () => (socket as unknown as Socket).emit('typing', ...args);
  sayTyping();
  const timer = setInterval(sayTyping, 100);
  try {
    return await heard();
  } finally {
    clearInterval(timer);
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

/** Why a client that should have got in did not: a handshake never answered, a server that stopped (with its error), or its refusal. */
export async function whyNotLetIn(app: LearnerApp, error: string): Promise<string> {
  if (error === 'timeout') return 'the server never answered the handshake: every path of the middleware must call next(), with an Error to refuse';
  if (lostConnection(error)) {
    const crash = await app.crashError();
    return `the connection failed: your server seems to have stopped${crash ? ` after "${crash}"` : ''}`;
  }
  return `the server refused it with "${error}"`;
}

export interface JoinExpectation {
  /** Who must get in, e.g. 'a client with the nickname "ann"'. */
  who: string;
  lesson: string;
}

/** A client connected with `options` (its handshake's auth); fails the check, saying why, if the server does not let it in. */
export async function joinOrFail<S extends EventsMap, C extends EventsMap>(app: LearnerApp, options: ConnectOptions, { who, lesson }: JoinExpectation): Promise<{ socket: Socket<S, C>; received: ReceivedEvents }> {
  const attempt = await app.tryConnect<S, C>(options);
  if (!attempt.connected) fail({ expected: `${who} to be let in`, actual: await whyNotLetIn(app, attempt.error), lesson });
  return { socket: attempt.socket, received: attempt.received };
}

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
