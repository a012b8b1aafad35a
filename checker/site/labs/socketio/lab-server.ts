// The Socket.IO lab: one chat for everyone who has the lab's page open, on a path of its own on
// the site's server. The page shows the packets of its own connection; the server only relays
// messages, after checking each one.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Lab } from '../index.ts';
import type { ChatReply, ClientToServerEvents, ServerToClientEvents } from './events.ts';
import { LAB_PATH, MAX_HTTP_BUFFER_SIZE, RATE_LIMIT_BURST, RATE_LIMIT_REFILL_MS } from './limits.ts';
import { createRateLimiter } from './rate-limit.ts';
import { validateChatMessage } from './validate-chat-message.ts';

type LabServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LabSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export const slowDownNotice = `Slow down: ${RATE_LIMIT_BURST} messages at once at most, then one every ${RATE_LIMIT_REFILL_MS / 1000} s.`;

export function attachSocketIoLab(server: HttpServer): Lab {
  const io: LabServer = new Server(server, {
    path: LAB_PATH,
    // Another lab answers WebSocket upgrades on its own path of this server: leave those alone.
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    // Pages of other sites never get here: the site's request guard refuses them first
    // (checker/site/request-guard.ts), for every path of the server.
  });
  const countReaders = () => io.emit('readers', io.of('/').sockets.size);
  io.on('connection', (socket) => {
    relayChat(io, socket);
    countReaders();
    socket.on('disconnect', countReaders);
  });
  return {
    // Not io.close(): that would close the site's server too, which is not the lab's to close.
    async close() {
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}

// #region relay
function relayChat(io: LabServer, socket: LabSocket): void {
  const limiter = createRateLimiter(RATE_LIMIT_BURST, RATE_LIMIT_REFILL_MS);
  let warned = false;
  socket.use((_packet, next) => {
    if (limiter.take()) {
      warned = false;
      return next();
    }
    // Dropped: `next` is never called. One notice per flood, sent on the next
    // tick, as Socket.IO handles the events let through: after their broadcasts.
    if (!warned) process.nextTick(() => socket.emit('notice', slowDownNotice));
    warned = true;
  });

  // `unknown`, not the types of ClientToServerEvents: a client can send anything.
  socket.on('chat message', (text: unknown, ack: unknown) => {
    type Reply = (reply: ChatReply) => void;
    const reply = typeof ack === 'function' ? (ack as Reply) : undefined;
    const message = validateChatMessage(text);
    if (!message.ok) {
      if (reply) reply({ ok: false, error: message.error });
      else socket.emit('notice', message.error);
      return;
    }
    io.emit('chat message', message.text);
    reply?.({ ok: true });
  });
}
// #endregion
