// Runs inside the learner's process, before their code: a primary that hands a connection to a
// worker, worker.send(message, socket), stops reading it first.
//
// Node.js detaches the socket from the primary when it sends it, but the primary's copy keeps
// reading until the worker confirms it got it; what the client sends in that moment is read by the
// primary and thrown away (nodejs/node#8353). @socket.io/sticky's setupMaster hands over every new
// connection that way, and the worker answers the handshake at once, so a client's first Socket.IO
// packet, its CONNECT, was lost now and then: that handshake then waited for an answer that could
// never come. Stopped, the bytes wait in the system until the worker reads them. Nothing else
// changes: the primary could not read that socket any more anyway.
import cluster, { Worker } from 'node:cluster';
import { Socket } from 'node:net';

/** The part of a socket's system handle used here (Node.js's TCP wrap, `socket._handle`). */
interface ReadingHandle {
  readStop?: () => number;
}

/** Stops `handle` reading if it is a socket that `send` hands over (not one it keeps open). */
function stopReadingHandedOver(handle: unknown, options: unknown): void {
  if (!(handle instanceof Socket)) return;
  if (typeof options === 'object' && options !== null && (options as { keepOpen?: unknown }).keepOpen === true) return;
  // Its `reading` flag stays set, so that the stream does not start it again before the handover.
  (handle as unknown as { _handle?: ReadingHandle | null })._handle?.readStop?.();
}

if (cluster.isPrimary) {
  // Every worker.send() goes through here, whenever it comes (sticky calls it per connection).
  const send = Worker.prototype.send;
  Worker.prototype.send = function sendStoppingHandedOverSockets(this: Worker, ...args: unknown[]) {
    stopReadingHandedOver(args[1], args[2]);
    return Reflect.apply(send, this, args) as boolean;
  } as typeof send;
}
