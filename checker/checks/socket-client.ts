// Real socket.io-client connections to the learner's server, typed with the step's event maps.
import type { Socket } from 'socket.io-client';
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

  named(name: string): unknown[][] {
    return this.events.filter((event) => event.name === name).map((event) => event.args);
  }

  /** Waits until `predicate` holds for the events so far; false if it does not in time. */
  waitUntil(predicate: (received: ReceivedEvents) => boolean, timeoutMs = 2000): Promise<boolean> {
    return this.waiters.waitUntil(() => predicate(this), timeoutMs);
  }
}

/** The same constraint as socket.io's own EventsMap. */
export type EventsMap = Record<string, any>;

export interface ConnectOptions {
  /** Sent with the handshake, as a page's `io({ auth: { … } })` does (step 07's nickname). */
  auth?: Record<string, unknown>;
}

export async function connectClient<S extends EventsMap, C extends EventsMap>(url: string, timeoutMs: number, options: ConnectOptions = {}): Promise<Socket<S, C>> {
  // Imported on first use: steps whose checks need no client do not pay for loading it.
  const { io } = await import('socket.io-client');
  return new Promise((resolve, reject) => {
    const socket: Socket<S, C> = io(url, { forceNew: true, reconnection: false, transports: ['websocket'], timeout: timeoutMs, auth: options.auth });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
