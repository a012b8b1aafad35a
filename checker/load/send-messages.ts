// Sends the load test's chat messages: `rate` a second in total, taken in turn by each client, so
// that each one stays far under the chat's rate limit. A timer checks often how many messages are
// due by now, which keeps the rate exact even when a tick comes late.
import { randomUUID } from 'node:crypto';
import type { WireClient } from './wire-client.ts';
import { BroadcastRecorder } from './broadcast-recorder.ts';

/** Every client starts in #general, so every other client gets each message. */
const room = 'general';
const tickMs = 10;

export interface Traffic {
  rate: number;
  durationMs: number;
  /** How many clients are connected now: each message should reach all but its sender. */
  connectedClients(): number;
  /** Whether the server acknowledges each message (the chat) or nothing (the bare io.emit chat). */
  acknowledged: boolean;
  /** Whether the sender gets its own message back, as with io.emit; the chat sends it to the others only. */
  echoesToSender: boolean;
}

/** Resolves once the last message is sent, after `durationMs`, or at once if `signal` aborts. */
export function sendMessages(sockets: WireClient[], { rate, durationMs, connectedClients, acknowledged, echoesToSender }: Traffic, recorder: BroadcastRecorder, signal: AbortSignal): Promise<void> {
  const total = Math.round((rate * durationMs) / 1000);
  const started = performance.now();
  let next = 0;
  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1000));
      while (recorder.sent < due) {
        const socket = nextConnected();
        if (!socket) return finish();
        const id = randomUUID();
        recorder.recordSend(id, connectedClients() - (echoesToSender ? 0 : 1), acknowledged);
        const message = { id, room, text: BroadcastRecorder.textFor(id) };
        if (acknowledged) socket.emit('chat message', [message], (answer: unknown) => recorder.recordAnswer(id, answer));
        else socket.emit('chat message', [message]);
      }
      if (recorder.sent >= total) finish();
    };
    const nextConnected = (): WireClient | undefined => {
      for (let tries = 0; tries < sockets.length; tries += 1) {
        const socket = sockets[next++ % sockets.length]!;
        if (socket.connected) return socket;
      }
      return undefined;
    };
    const timer = setInterval(tick, tickMs);
    signal.addEventListener('abort', finish);
  });
}
