// Real socket.io-client connections to the learner's server, typed with the step's event maps.
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { ConditionWaiters } from './condition-waiters.ts';

/** Every event a client received, in order, with a way to wait for more. */
export class ReceivedEvents {
  readonly events: { name: string; args: unknown[] }[] = [];
  private readonly waiters = new ConditionWaiters();

  constructor(socket: Socket<any, any>) {
    socket.onAny((name: string, ...args: unknown[]) => {
      this.events.push({ name, args });
      this.waiters.wake();
    });
  }

  /**
   * The events received from index `from` on, but those named in `except`, with their payloads, for a failure message:
   * `"chat message" with {"text":"hi"}, "notice" with "a user joined"`; `nothing` if none came.
   */
  describe({ from = 0, except = [] as string[], limit = 3 } = {}): string {
    const events = this.events.slice(from).filter((event) => !except.includes(event.name));
    if (events.length === 0) return 'nothing';
    const shown = events.slice(0, limit).map(({ name, args }) => `"${name}"${args.length > 0 ? ` with ${args.map(quote).join(', ')}` : ''}`);
    return `${shown.join(', ')}${events.length > limit ? `, and ${events.length - limit} more` : ''}`;
  }

  named(name: string): unknown[][] {
    return this.events.filter((event) => event.name === name).map((event) => event.args);
  }

  /** Waits until `predicate` holds for the events so far; false if it does not in time. */
  waitUntil(predicate: (received: ReceivedEvents) => boolean, timeoutMs = 2000): Promise<boolean> {
    return this.waiters.waitUntil(() => predicate(this), timeoutMs);
  }
}

/** A payload as JSON, cut short when long; a function (an acknowledgement) by name. */
function quote(value: unknown): string {
  if (typeof value === 'function') return 'a callback';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

/**
 * Whether a client's `connect_error` is the server's answer to its handshake (a middleware's
 * `next(new Error(…))`), not an attempt to reach the server that failed on the way ("websocket
 * error", "timeout"), which a reconnecting client gets while the network is down, and now and then
 * just after it is back: the error of an attempt cut while offline can arrive after that.
 * socket.io-client gives a refusal the `data` of the server's error, even when there is none.
 */
export function isRefusal(error: Error): boolean {
  return 'data' in error;
}

/** The same constraint as socket.io's own EventsMap. */
export type EventsMap = Record<string, any>;

export interface ConnectOptions {
  /** Sent with the handshake, as a page's `io({ auth: { … } })` does (step 07's nickname). */
  auth?: Record<string, unknown>;
  /** Connect through this proxy (from `app.proxy()`) rather than straight to the server. */
  via?: { readonly url: string };
  /**
   * socket.io-client options over the checker's own (no reconnection, WebSocket only), e.g.
   * `{ reconnection: true, reconnectionDelay: 100, ackTimeout: 500, retries: 3 }` for steps 10-11.
   */
  client?: Partial<ManagerOptions & SocketOptions>;
}

/** `onCreated` gets the socket before it connects: a listener added there hears every event, even one that comes in the same tick as `connect`. */
export async function connectClient<S extends EventsMap, C extends EventsMap>(
  url: string,
  timeoutMs: number,
  options: ConnectOptions = {},
  onCreated?: (socket: Socket<S, C>) => void,
): Promise<Socket<S, C>> {
  // Imported on first use: steps whose checks need no client do not pay for loading it.
  const { io } = await import('socket.io-client');
  return new Promise((resolve, reject) => {
    const socket: Socket<S, C> = io(url, { forceNew: true, reconnection: false, transports: ['websocket'], timeout: timeoutMs, auth: options.auth, ...options.client });
    onCreated?.(socket);
    // Once the connection is open, Socket.IO's client waits for the server's CONNECT as long as
    // it takes, and says nothing if the server goes away meanwhile: both must end the attempt.
    let connectTimer: NodeJS.Timeout | undefined;
    const giveUp = (error: Error) => {
      clearTimeout(connectTimer);
      socket.close();
      reject(error);
    };
    const onDisconnect = (reason: string) => giveUp(new Error(`disconnected during the handshake (${reason})`));
    socket.io.once('open', () => {
      connectTimer = setTimeout(() => giveUp(new Error('timeout')), timeoutMs);
    });
    socket.once('disconnect', onDisconnect);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      // A client that reconnects (steps 10-11) fails attempts on its way back: that is no handshake failure.
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', giveUp);
      resolve(socket);
    });
    socket.once('connect_error', giveUp);
  });
}
