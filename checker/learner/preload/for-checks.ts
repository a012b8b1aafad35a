// Preloaded into the learner's process by the checker: every server listens on a free port
// chosen by the system (port 0) instead of the one in the code, so a check never needs port
// 3000 and never collides with `npm run step` left running; the real port and address are
// reported to the checker over the IPC channel.
import cluster from 'node:cluster';
import { interceptListen } from './intercept-listen.ts';
// First, before the learner's code takes any timer: the checker may move this clock on.
import './skippable-clock.ts';
// A cluster's primary must not lose what a client sends while it hands the connection over.
import './hand-over-sockets.ts';
// The checks learn at once of an event the learner's server got and nothing listened for.
import './report-unheard-events.ts';

export interface ListeningMessage {
  type: 'listening';
  port: number;
  address: string;
  /** The port the learner's code asked for, before it was replaced: it should be the one in PORT. */
  askedPort?: number;
}

/** The port each server's code asked for, as a number when it named one. */
const askedPorts = new WeakMap<object, number>();

// The IPC channel must not keep the learner's process alive: code that never listens should end
// by itself, as it would without the checker. node:cluster starts its workers with the primary's
// flags, so this runs in them too; there the channel leads to the primary, not to the checker,
// and it is what keeps a worker alive: a worker leaves it alone and reports nothing.
if (cluster.isPrimary) process.channel?.unref();

/** Reports a TCP address (a pipe or a Unix socket has no port, and is not reported). */
function report(address: { address?: string | null; port?: number } | string | null, askedPort?: number): void {
  if (typeof address !== 'object' || address === null || typeof address.port !== 'number') return;
  const message: ListeningMessage = { type: 'listening', port: address.port, address: address.address ?? '', askedPort };
  process.send?.(message);
}

interceptListen({
  // In a worker too: its listen() binds through the primary, which must not take port 3000 either.
  rewrite(args, server) {
    const [first, ...rest] = args;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      askedPorts.set(server, Number(first));
      return [0, ...rest];
    }
    if (first && typeof first === 'object' && 'port' in first) {
      const { port } = first as { port: unknown };
      if (port !== undefined && port !== null && port !== '') askedPorts.set(server, Number(port));
      return [{ ...first, port: 0 }, ...rest];
    }
    return args;
  },
  onListening(server) {
    if (cluster.isPrimary) report(server.address(), askedPorts.get(server));
  },
});

// Workers that listen (without @socket.io/sticky) share a port the primary holds. With round-robin
// scheduling (Linux, macOS) the primary listens itself, and is reported above; with the system's
// scheduling (Windows) it only hears of it here.
if (cluster.isPrimary) cluster.on('listening', (_worker, address) => report(address));
