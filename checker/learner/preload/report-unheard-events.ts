// Runs inside the learner's server for the checks: tells the checker each Socket.IO event that
// comes from a client with nothing on its socket to hear it (see unheard() below), at the moment
// Socket.IO hands it to the socket's listeners. Such an event can never be answered, logged or
// sent on, whatever the server does later: a check waiting for that knows it at once, and can
// say why, instead of waiting out its deadline. Nothing else changes.
//
// Only where the checker listens: not in a cluster's workers, whose channel leads to the
// primary, where the learner's code reads it. There the checks wait, as before.
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { UnheardEventMessage } from './unheard-protocol.ts';

/** The part of Socket.IO's server Socket this reads. */
interface ServerSocket {
  id: string;
  listenerCount(event: string): number;
  listenersAny(): unknown[];
  /** Its socket.use() middlewares (private in Socket.IO's types). */
  fns?: unknown[];
  /** The Engine.IO connection underneath: Socket.IO listens to its 'data', never to its 'packet'. */
  conn?: { listenerCount(event: string): number };
}

/**
 * Nothing can come of `event` on `socket`: no listener for it, none for every event, and no
 * socket.use() middleware, nor a listener of the connection's own packets, which may have done
 * something with it on its way (logged it, answered it).
 */
function unheard(socket: ServerSocket, event: string): boolean {
  return (
    socket.listenerCount(event) === 0 &&
    socket.listenersAny().length === 0 &&
    (socket.fns?.length ?? 0) === 0 &&
    (socket.conn?.listenerCount('packet') ?? 0) === 0 &&
    (socket.conn?.listenerCount('data') ?? 0) <= 1
  );
}

type SocketClass = abstract new (...args: never[]) => ServerSocket;

/**
 * Socket.IO as the learner's code resolves it, from its folder: the same module, so the same
 * class. None when it has none (steps 01 and 02): then there is nothing to report.
 */
function learnersSocketClass(): SocketClass | undefined {
  const require = createRequire(join(process.cwd(), 'index.ts'));
  try {
    return (require('socket.io') as { Socket: SocketClass }).Socket;
  } catch {
    return undefined;
  }
}

function report(socketId: string, event: string): void {
  if (!process.connected) return;
  const message: UnheardEventMessage = { chatWorkshopUnheard: { socketId, event } };
  // A channel that closes meanwhile is no error of the learner's.
  process.send?.(message, undefined, {}, () => {});
}

const Socket = cluster.isPrimary && process.send ? learnersSocketClass() : undefined;
if (Socket) {
  // A socket hands a client's event to its listeners with emitUntyped(), inherited from Socket.IO's
  // StrictEventEmitter (which a Namespace uses too, for what other servers send it).
  const parent = Object.getPrototypeOf(Socket.prototype) as { emitUntyped?: (event: unknown, ...args: unknown[]) => unknown };
  const emitUntyped = parent.emitUntyped;
  if (typeof emitUntyped === 'function') {
    parent.emitUntyped = function emitUntypedReportingUnheard(this: unknown, event: unknown, ...args: unknown[]) {
      if (this instanceof Socket && typeof event === 'string' && unheard(this, event)) report(this.id, event);
      return Reflect.apply(emitUntyped, this, [event, ...args]);
    };
  }
}
