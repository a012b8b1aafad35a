// Preloaded into the learner's process by the checker: every server listens on a free port
// chosen by the system (port 0) instead of the one in the code, so a check never needs port
// 3000 and never collides with `npm run step` left running; the real port and address are
// reported to the checker over the IPC channel.
import cluster from 'node:cluster';
import { interceptListen } from './intercept-listen.ts';

export interface ListeningMessage {
  type: 'listening';
  port: number;
  address: string;
}

// The IPC channel must not keep the learner's process alive: code that never listens should end
// by itself, as it would without the checker. node:cluster starts its workers with the primary's
// flags, so this runs in them too; there the channel leads to the primary, not to the checker,
// and it is what keeps a worker alive: a worker leaves it alone and reports nothing.
if (cluster.isPrimary) process.channel?.unref();

/** Reports a TCP address (a pipe or a Unix socket has no port, and is not reported). */
function report(address: { address?: string | null; port?: number } | string | null): void {
  if (typeof address !== 'object' || address === null || typeof address.port !== 'number') return;
  const message: ListeningMessage = { type: 'listening', port: address.port, address: address.address ?? '' };
  process.send?.(message);
}

interceptListen({
  // In a worker too: its listen() binds through the primary, which must not take port 3000 either.
  rewrite(args) {
    const [first, ...rest] = args;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return [0, ...rest];
    if (first && typeof first === 'object' && 'port' in first) return [{ ...first, port: 0 }, ...rest];
    return args;
  },
  onListening(server) {
    if (cluster.isPrimary) report(server.address());
  },
});

// Workers that listen (without @socket.io/sticky) share a port the primary holds. With round-robin
// scheduling (Linux, macOS) the primary listens itself, and is reported above; with the system's
// scheduling (Windows) it only hears of it here.
if (cluster.isPrimary) cluster.on('listening', (_worker, address) => report(address));
