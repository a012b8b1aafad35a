// Opens the load test's clients: real Socket.IO connections, WebSocket only (long-polling clients
// would measure HTTP requests instead), in batches so that the server is not flooded with
// handshakes at once. Each client is `load-<n>`, and reports the id of every chat message it
// receives. They are WireClients rather than socket.io-client's: the same to the server, a small
// part of the CPU to this tool, which must leave the cores to the server it measures.
import { readReceiptId } from './receipt-id.ts';
import { WireClient } from './wire-client.ts';

/** Handshakes in flight at once. */
const batchSize = 50;
const connectTimeoutMs = 10_000;

export interface ClientEvents {
  /** A chat message arrived at one client: the id of the message. */
  onMessage(id: string): void;
  /** A connected client lost its connection (not by closeClients), and why. */
  onDrop(reason: string): void;
  /** A batch has been answered: how many clients are connected so far. */
  onBatch(connected: number): void;
}

export interface OpenedClients {
  sockets: WireClient[];
  /** Why clients could not connect, with how many each. */
  failures: Map<string, number>;
  ms: number;
}

/** Connects `count` clients, spread evenly over `urls`; stops early if `signal` aborts. */
export async function openClients(urls: string[], count: number, events: ClientEvents, signal: AbortSignal): Promise<OpenedClients> {
  const started = performance.now();
  const sockets: WireClient[] = [];
  const failures = new Map<string, number>();
  for (let first = 0; first < count && !signal.aborted; first += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - first) }, (_, index) => first + index);
    const results = await Promise.allSettled(
      batch.map((n) =>
        WireClient.connect(urls[n % urls.length]!, {
          auth: { nickname: `load-${n + 1}` },
          timeoutMs: connectTimeoutMs,
          onEventFrame: (bytes, start, end) => {
            const id = readReceiptId(bytes, start, end);
            if (id !== null) events.onMessage(id);
          },
          onDrop: (reason) => events.onDrop(reason),
        }),
      ),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') sockets.push(result.value);
      else failures.set(result.reason.message, (failures.get(result.reason.message) ?? 0) + 1);
    }
    events.onBatch(sockets.length);
    // A server that turned the first batch away will turn the others away too.
    if (sockets.length === 0) break;
  }
  return { sockets, failures, ms: performance.now() - started };
}

export function closeClients(sockets: WireClient[]): void {
  for (const socket of sockets) socket.close();
}
