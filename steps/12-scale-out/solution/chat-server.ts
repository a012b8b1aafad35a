// The chat server of one process: step 11's chat, made for several processes side by side.
import { setupWorker } from '@socket.io/sticky';
import express from 'express';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from '../events.ts';
import { chooseAdapter } from './adapter.ts';
import { messagesSince, save } from './history.ts';
import { chooseNicknameClaims } from './nicknames.ts';

const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));
const maxNicknameLength = 32;
const maxMessageLength = 1000;
/** At most this many messages from one connection in each fixed window of `rateWindowMs` (the first opens at connection). */
const rateLimit = 5;
const rateWindowMs = 3000;
/** The chat's rooms: a fixed list, so that nobody can make up new ones. */
const rooms = ['general', 'random', 'help'];
/** The room of one user, for private messages: named after the nickname, which outlives a connection. */
const userRoom = (nickname: string) => `user:${nickname}`;
// #region timeouts
/** How long the server waits for a recipient's page to confirm a private message. */
const deliveryTimeoutMs = 5000;
// #endregion

/** The acknowledgement a client passed, or a stand-in that does nothing if it passed none. */
function replyTo(reply: unknown): (answer: Reply) => void {
  return (answer) => {
    if (typeof reply === 'function') reply(answer);
  };
}

function isRoom(room: unknown): room is string {
  return typeof room === 'string' && rooms.includes(room);
}

function isText(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== '' && text.length <= maxMessageLength;
}

// #region message-ids
/** A message id as pages make them: crypto.randomUUID() gives 36 characters. */
function isMessageId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 8 && id.length <= 64;
}
// #endregion

const noSuchRoom = `Pick one of the rooms: ${rooms.map((room) => `#${room}`).join(', ')}.`;
const notText = `A message must be some text, at most ${maxMessageLength} characters.`;
const noId = 'A message needs an id: crypto.randomUUID() makes one.';
const tooFast = 'You are sending messages too fast: wait a moment.';

export async function startChatServer(port: number): Promise<void> {
  const app = express();
  const server = createServer(app);
  // #region adapter
  const { adapter, description } = await chooseAdapter();
  // Connection state recovery only for one process on its own. The cluster and Redis adapters
  // cannot recover a connection (Redis Streams can), and with them it is not free: every emit to
  // one socket, each message of a history replay included, would go through the adapter to every
  // process, and the cluster adapter would add an empty offset to every event. Without it, a
  // client that comes back is new, and the history replays what it missed.
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server, {
    adapter,
    connectionStateRecovery: adapter ? undefined : { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true },
  });
  // #endregion

  app.get('/', (req, res) => {
    res.sendFile(pagePath);
  });

  // #region online
  // Everyone online in every process: fetchSockets() asks the other processes through the adapter.
  // io.of('/').sockets would list the sockets of this process only. A process that has just died
  // may still be counted, and never answers: fetchSockets then fails after 5 s, and only this
  // process's own sockets are left to go by. Uncaught, that failure would end this process too.
  async function onlineNicknames(): Promise<string[]> {
    const sockets = await io.fetchSockets().catch(() => io.local.fetchSockets());
    return sockets.map((socket) => socket.data.nickname);
  }
  /** Sends everyone the list of who is online. */
  async function broadcastOnline(): Promise<void> {
    io.emit('online', await onlineNicknames());
  }
  // One list for a burst of joins and leaves. Sent at every join, the list would make the
  // server send n names n times as n people come in: 1,000 joining, a million names. And
  // fetchSockets() asks every process each time.
  let onlineSoon: ReturnType<typeof setTimeout> | undefined;
  function broadcastOnlineSoon(): void {
    onlineSoon ??= setTimeout(() => {
      onlineSoon = undefined;
      void broadcastOnline();
    }, 100);
  }
  // #endregion

  // #region hold-nickname
  // Who holds which nickname, in every process: see nicknames.ts.
  const nicknames = await chooseNicknameClaims();
  /** Takes `nickname` for this connection, and gives it back when the connection is gone: false if someone holds it. */
  async function holdNickname(socket: Socket, nickname: string): Promise<boolean> {
    const release = await nicknames.claim(nickname);
    if (!release) return false;
    // The client may have given up while the claim was on its way: then give the name back at once.
    if (socket.conn.readyState === 'closed') {
      release();
      return false;
    }
    // The connection, not the socket: it also closes for a handshake that never gets as far as 'connection'.
    socket.conn.once('close', release);
    return true;
  }
  // #endregion

  // #region middleware
  // Runs for every handshake, before 'connection': the nickname is checked once, here.
  io.use(async (socket, next) => {
    const wanted: unknown = socket.handshake.auth.nickname;
    const nickname = typeof wanted === 'string' ? wanted.trim() : '';
    if (nickname === '') return next(new Error('Choose a nickname first.'));
    if (nickname.length > maxNicknameLength) return next(new Error(`A nickname has at most ${maxNicknameLength} characters.`));
    try {
      if (!(await holdNickname(socket, nickname))) return next(new Error(`${nickname} is already taken: choose another nickname.`));
    } catch (error) {
      console.error(`Could not take the nickname ${nickname}: ${(error as Error).message}`);
      return next(new Error('Nicknames cannot be checked right now: try again in a moment.'));
    }
    socket.data.nickname = nickname;
    next();
  });
  // #endregion

  io.on('connection', (socket) => {
    const { nickname } = socket.data;
    // #region connection
    if (socket.recovered) {
      // Back within two minutes: Socket.IO gave back its rooms and sent what it missed already.
      console.log(`${nickname} reconnected`);
      // The nickname went back when the connection dropped: take it again, unless someone has meanwhile.
      void holdNickname(socket, nickname).catch(() => false).then((held) => {
        if (held) return;
        socket.emit('notice', `Someone took ${nickname} while you were away: join again with another nickname.`);
        socket.disconnect(true);
      });
    } else {
      console.log(`${nickname} connected`);
      socket.join('general');
      socket.join(userRoom(nickname));
      const wantedRooms: unknown = socket.handshake.auth.rooms;
      if (Array.isArray(wantedRooms)) socket.join(wantedRooms.filter(isRoom));
      // New, away too long, or the server restarted: the history has what this client has not seen,
      // after the last offset it got (0, for a page just opened: the latest messages).
      const lastOffset = Number(socket.handshake.auth.serverOffset);
      const after = Number.isSafeInteger(lastOffset) && lastOffset > 0 ? lastOffset : 0;
      for (const message of messagesSince(after, [...socket.rooms].filter(isRoom))) {
        socket.emit('chat message', message);
      }
    }
    // #endregion
    socket.broadcast.emit('notice', `${nickname} joined`);
    broadcastOnlineSoon();

    // Whether this user's last word was 'typing': 'stop typing' goes out only then. Sent with every
    // message, it would double what the server sends.
    let typing = false;
    const stopTyping = () => {
      if (!typing) return;
      typing = false;
      socket.broadcast.emit('stop typing', nickname);
    };

    let windowStart = Date.now();
    let sentInWindow = 0;
    const withinRate = () => {
      if (Date.now() - windowStart > rateWindowMs) {
        windowStart = Date.now();
        sentInWindow = 0;
      }
      sentInWindow += 1;
      return sentInWindow <= rateLimit;
    };

    socket.on('join room', (room: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      if (!isRoom(room)) return answer({ ok: false, error: noSuchRoom });
      if (!socket.rooms.has(room)) {
        socket.join(room);
        socket.to(room).emit('notice', `${nickname} joined #${room}`);
      }
      answer({ ok: true });
    });
    socket.on('leave room', (room: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      if (!isRoom(room)) return answer({ ok: false, error: noSuchRoom });
      if (socket.rooms.has(room)) {
        socket.leave(room);
        socket.to(room).emit('notice', `${nickname} left #${room}`);
      }
      answer({ ok: true });
    });

    // #region relay
    socket.on('chat message', (message: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      const { id, room, text } = (message ?? {}) as { id?: unknown; room?: unknown; text?: unknown };
      if (!isMessageId(id)) return answer({ ok: false, error: noId });
      if (!isRoom(room)) return answer({ ok: false, error: noSuchRoom });
      if (!socket.rooms.has(room)) return answer({ ok: false, error: `Join #${room} first.` });
      if (!isText(text)) return answer({ ok: false, error: notText });
      if (!withinRate()) return answer({ ok: false, error: tooFast });
      // #region store-and-relay
      const stored = save({ id, room, author: nickname, text });
      // Stored already: this is the same message sent again, its acknowledgement was lost. Say yes
      // again, so that the client stops trying, but pass nothing on.
      if (!stored) return answer({ ok: true });
      console.log(`message from ${nickname} in #${room}: ${text}`);
      stopTyping();
      socket.to(room).emit('chat message', stored);
      answer({ ok: true });
      // #endregion
    });
    // #endregion

    // #region private-message
    socket.on('private message', async (message: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      const { id, to, text } = (message ?? {}) as { id?: unknown; to?: unknown; text?: unknown };
      if (!isMessageId(id)) return answer({ ok: false, error: noId });
      if (typeof to !== 'string' || to === '') return answer({ ok: false, error: 'Say who the message is for.' });
      if (to === nickname) return answer({ ok: false, error: 'That is you: pick someone else.' });
      if (!(await onlineNicknames()).includes(to)) return answer({ ok: false, error: `${to} is not online.` });
      if (!isText(text)) return answer({ ok: false, error: notText });
      if (!withinRate()) return answer({ ok: false, error: tooFast });
      console.log(`private message from ${nickname} to ${to}`);
      // An acknowledgement the other way: the recipient's page confirms, and only then is the
      // sender told yes. A message sent again reaches the recipient again; their page drops it by id.
      try {
        const confirmations = await io.to(userRoom(to)).timeout(deliveryTimeoutMs).emitWithAck('private message', { id, from: nickname, text });
        // No confirmation at all: nobody was in the room any more, they left a moment ago.
        answer(confirmations.length > 0 ? { ok: true } : { ok: false, error: `${to} is not online.` });
      } catch {
        answer({ ok: false, error: `${to} did not confirm it within ${deliveryTimeoutMs / 1000} s: try again.` });
      }
    });
    // #endregion

    // Volatile: if a client cannot take it right now, it is dropped. A late "is typing…" is worse
    // than none, and a new one comes with the next keystrokes. The nickname goes in an object: a
    // string as the last argument of a volatile event would become the receiver's recovery offset.
    socket.on('typing', () => {
      typing = true;
      socket.broadcast.volatile.emit('typing', { nickname });
    });
    // #region stop-typing
    // Answered too: a client with `retries` waits for an acknowledgement of everything it sends.
    socket.on('stop typing', (reply: unknown) => {
      stopTyping();
      replyTo(reply)({ ok: true });
    });
    // #endregion

    socket.on('disconnect', () => {
      console.log(`${nickname} disconnected`);
      stopTyping();
      socket.broadcast.emit('notice', `${nickname} left`);
      broadcastOnlineSoon();
    });
  });

  // #region listen
  if (cluster.isWorker) {
    // The primary listens and hands this worker its connections.
    setupWorker(io);
    console.log(`worker ${cluster.worker!.id} (process ${process.pid}) ready: ${description}`);
  } else {
    server.listen(port, () => {
      console.log(`server running at http://localhost:${port} (process ${process.pid}, ${description})`);
    });
  }
  // #endregion
}
