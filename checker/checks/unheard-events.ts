// The Socket.IO events the learner's server got in this judgement with nothing listening for them,
// as its processes report them (learner/preload/report-unheard-events.ts; not a cluster's
// workers). A check that waits for the server to do something about an event it sent (answer it,
// log it, send it on) stops waiting once the event is known to be unheard: nothing can come of it.
// By socket id, which is the same on the server and in the client.

/** Per socket id, the events unheard on it. */
const unheard = new Map<string, Set<string>>();
/** Per socket id and event, who waits to hear that it was unheard. */
const watchers = new Map<string, Set<() => void>>();

const key = (socketId: string, event: string) => `${socketId}\n${event}`;

/** From the relay: `event` came on socket `socketId` with no listener. */
export function noteUnheard(socketId: string, event: string): void {
  const events = unheard.get(socketId) ?? unheard.set(socketId, new Set()).get(socketId)!;
  events.add(event);
  for (const watcher of watchers.get(key(socketId, event)) ?? []) watcher();
}

/** A new judgement: what the last one's server got says nothing of this one's. */
export function forgetUnheard(): void {
  unheard.clear();
}

/** Whether `event` came on the socket `socketId` (a client's `socket.id`) with nothing to hear it; with no socket, on any. */
export function wasUnheard(event: string, socketId?: string): boolean {
  if (socketId !== undefined) return unheard.get(socketId)?.has(event) ?? false;
  return [...unheard.values()].some((events) => events.has(event));
}

/** The names of the events unheard in this judgement, on any socket: what a page sent that the server does not listen for, say. */
export function unheardEventNames(): string[] {
  return [...new Set([...unheard.values()].flatMap((events) => [...events]))];
}

/**
 * Calls `then` once `event` is known to have come unheard on socket `socketId` (at once if it
 * has); returns how to stop watching, for when the wait ends otherwise.
 */
export function whenUnheard(socketId: string | undefined, event: string, then: () => void): () => void {
  if (socketId === undefined) return () => {};
  if (wasUnheard(event, socketId)) {
    then();
    return () => {};
  }
  const watching = key(socketId, event);
  const set = watchers.get(watching) ?? watchers.set(watching, new Set()).get(watching)!;
  const watcher = () => {
    stop();
    then();
  };
  const stop = () => {
    set.delete(watcher);
    if (set.size === 0) watchers.delete(watching);
  };
  set.add(watcher);
  return stop;
}

/**
 * `waiting`'s outcome, or `unheardOutcome` as soon as `event` is known to have come unheard on
 * socket `socketId`: the wait for what the server does about an event, cut short when it cannot do anything.
 */
export function untilUnheard<T>(socketId: string | undefined, event: string, waiting: Promise<T>, unheardOutcome: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = whenUnheard(socketId, event, () => resolve(unheardOutcome));
    waiting.then(resolve, reject).finally(stop);
  });
}
