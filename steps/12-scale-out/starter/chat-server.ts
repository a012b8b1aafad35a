// The chat server of one process: step 11's chat, made for several processes side by side.
import { setupWorker } from '@socket.io/sticky';
import express from 'express';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from './events.ts';
import { chooseAdapter } from './adapter.ts';
import { messagesSince, save } from './history.ts';

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
/** How long the server waits for a recipient's page to confirm a private message. */
const deliveryTimeoutMs = 5000;

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

/** A message id as pages make them: crypto.randomUUID() gives 36 characters. */
function isMessageId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 8 && id.length <= 64;
}

const noSuchRoom = `Pick one of the rooms: ${rooms.map((room) => `#${room}`).join(', ')}.`;
const notText = `A message must be some text, at most ${maxMessageLength} characters.`;
const noId = 'A message needs an id: crypto.randomUUID() makes one.';
const tooFast = 'You are sending messages too fast: wait a moment.';

export async function startChatServer(port: number): Promise<void> {
  const app = express();
  const server = createServer(app);
  const { adapter, description } = await chooseAdapter();
  // TODO 7: the adapter that adapter.ts chose for this process is not used yet: give it to the
  //         server, `adapter,` in the options of new Server below. And keep connection state
  //         recovery for a process without an adapter only (`adapter ? undefined : { … }`): the
  //         cluster and Redis adapters cannot recover a connection, and with recovery on, every
  //         emit to one socket would go through them to every process.
  // A client that drops for less than two minutes gets back its socket: same id, same rooms, same
  // socket.data, and every packet it missed. The middleware is not run again: it was checked once.
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server, {
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true },
  });

  app.get('/', (req, res) => {
    res.sendFile(pagePath);
  });

  // TODO 8: this lists the sockets of this process only. Ask every process: make it async, and
  //         return the nicknames of (await io.fetchSockets()), or, should that fail, of
  //         (await io.local.fetchSockets()), this process's own. Then await it wherever it is
  //         used: in broadcastOnline() (async too), in the middleware (io.use(async …)) and in
  //         'private message'.
  function onlineNicknames(): string[] {
    return [...io.of('/').sockets.values()].map((socket) => socket.data.nickname);
  }
  /** Sends everyone the list of who is online. */
  function broadcastOnline(): void {
    io.emit('online', onlineNicknames());
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

  // Runs for every handshake, before 'connection': the nickname is checked once, here.
  // TODO 11: asking who is online, then letting in, takes a round trip to every process, and a
  //          socket counts as online only once it is in: two handshakes for one nickname, on two
  //          processes, can both find it free. Take the nickname in one step instead, from the
  //          keeper that nicknames.ts chooses: `const nicknames = await chooseNicknameClaims();`
  //          once, above; here, `const release = await nicknames.claim(nickname)`, refused when it
  //          is undefined (and when claim() throws), and `socket.conn.once('close', release)` to
  //          give it back (or release() at once, if socket.conn.readyState is 'closed' by then). A recovered socket (one process) skips the middleware: in the
  //          connection listener, take its nickname again, and disconnect it if someone has it.
  io.use((socket, next) => {
    const wanted: unknown = socket.handshake.auth.nickname;
    const nickname = typeof wanted === 'string' ? wanted.trim() : '';
    if (nickname === '') return next(new Error('Choose a nickname first.'));
    if (nickname.length > maxNicknameLength) return next(new Error(`A nickname has at most ${maxNicknameLength} characters.`));
    const taken = onlineNicknames().some((other) => other.toLowerCase() === nickname.toLowerCase());
    if (taken) return next(new Error(`${nickname} is already taken: choose another nickname.`));
    socket.data.nickname = nickname;
    next();
  });

  io.on('connection', (socket) => {
    const { nickname } = socket.data;
    if (socket.recovered) {
      // Back within two minutes: Socket.IO gave back its rooms and sent what it missed already.
      console.log(`${nickname} reconnected`);
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

    socket.on('chat message', (message: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      const { id, room, text } = (message ?? {}) as { id?: unknown; room?: unknown; text?: unknown };
      if (!isMessageId(id)) return answer({ ok: false, error: noId });
      if (!isRoom(room)) return answer({ ok: false, error: noSuchRoom });
      if (!socket.rooms.has(room)) return answer({ ok: false, error: `Join #${room} first.` });
      if (!isText(text)) return answer({ ok: false, error: notText });
      if (!withinRate()) return answer({ ok: false, error: tooFast });
      const stored = save({ id, room, author: nickname, text });
      // Stored already: this is the same message sent again, its acknowledgement was lost. Say yes
      // again, so that the client stops trying, but pass nothing on.
      if (!stored) return answer({ ok: true });
      console.log(`message from ${nickname} in #${room}: ${text}`);
      stopTyping();
      socket.to(room).emit('chat message', stored);
      answer({ ok: true });
    });

    socket.on('private message', async (message: unknown, reply: unknown) => {
      const answer = replyTo(reply);
      const { id, to, text } = (message ?? {}) as { id?: unknown; to?: unknown; text?: unknown };
      if (!isMessageId(id)) return answer({ ok: false, error: noId });
      if (typeof to !== 'string' || to === '') return answer({ ok: false, error: 'Say who the message is for.' });
      if (to === nickname) return answer({ ok: false, error: 'That is you: pick someone else.' });
      if (!onlineNicknames().includes(to)) return answer({ ok: false, error: `${to} is not online.` });
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

    // Volatile: if a client cannot take it right now, it is dropped. A late "is typing…" is worse
    // than none, and a new one comes with the next keystrokes. The nickname goes in an object: a
    // string as the last argument of a volatile event would become the receiver's recovery offset.
    socket.on('typing', () => {
      typing = true;
      socket.broadcast.volatile.emit('typing', { nickname });
    });
    // Answered too: a client with `retries` waits for an acknowledgement of everything it sends.
    socket.on('stop typing', (reply: unknown) => {
      stopTyping();
      replyTo(reply)({ ok: true });
    });

    socket.on('disconnect', () => {
      console.log(`${nickname} disconnected`);
      stopTyping();
      socket.broadcast.emit('notice', `${nickname} left`);
      broadcastOnlineSoon();
    });
  });

  // TODO 4: in a worker (cluster.isWorker), the primary holds the port: do not listen, call
  //         setupWorker(io), which takes the connections the primary hands over, and log
  //         `worker ${cluster.worker!.id} (process ${process.pid}) ready: ${description}`.
  //         Anywhere else, listen as below.
  server.listen(port, () => {
    console.log(`server running at http://localhost:${port} (process ${process.pid}, ${description})`);
  });
}
