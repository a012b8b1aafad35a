// The checker starts the learner's process and the browser in its main process (so they start
// while vitest is still starting up), but the checks run in a vitest worker. This relay streams
// what the process does (its output, its port, its exit) and the browser to use to the worker
// over a loopback socket, as JSON lines, replaying what happened before the worker connected.
import { once } from 'node:events';
import net from 'node:net';
import type { BrowserChoice } from '../checks/context.ts';
import type { LearnerServer, Listening } from './learner-process.ts';

export type RelayEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'listening'; listening: Listening }
  | { type: 'start-failed' }
  | { type: 'exited'; code: number | null; signal: string | null }
  | { type: 'browser'; browser: BrowserChoice };

export interface Relay {
  port: number;
  publish(event: RelayEvent): void;
  close(): void;
}

export async function startRelay(learner: LearnerServer): Promise<Relay> {
  const history: string[] = [];
  const sockets = new Set<net.Socket>();
  const publish = (event: RelayEvent) => {
    const line = `${JSON.stringify(event)}\n`;
    history.push(line);
    for (const socket of sockets) socket.write(line);
  };
  for (const chunk of learner.output.chunks) publish({ type: 'output', ...chunk });
  const unsubscribe = learner.output.subscribe((chunk) => publish({ type: 'output', ...chunk }));
  learner.listening.then(
    (listening) => publish({ type: 'listening', listening }),
    () => publish({ type: 'start-failed' }),
  );
  void learner.exited.then(({ code, signal }) => publish({ type: 'exited', code, signal }));

  const server = net.createServer((socket) => {
    socket.on('error', () => sockets.delete(socket));
    socket.on('close', () => sockets.delete(socket));
    for (const line of history) socket.write(line);
    sockets.add(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    publish,
    close() {
      unsubscribe();
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** The worker's end: calls `onEvent` for every event, past and future. */
export function subscribeToRelay(port: number, onEvent: (event: RelayEvent) => void): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (data: string) => {
    pending += data;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      onEvent(JSON.parse(pending.slice(0, newline)) as RelayEvent);
      pending = pending.slice(newline + 1);
    }
  });
  socket.on('error', () => {});
  socket.unref();
  return socket;
}
