// Step 11: recovery after a drop, and a history that outlives the server.
// Read steps/11-recovery/README.md, then replace each TODO below (history.ts and the page have TODOs too).
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from './events.ts';
import { messagesSince, save } from './history.ts';

const port = Number(process.env.PORT) || 3000;
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

const app = express();
const server = createServer(app);
// TODO 1: turn on connection state recovery, with a second argument to new Server():
//         { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } }
const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

function onlineNicknames(): string[] {
  return [...io.of('/').sockets.values()].map((socket) => socket.data.nickname);
}

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

/**
 * The ids of the last messages passed on, oldest first. A client that got no acknowledgement
 * sends its message again, with the same id: if the first one did arrive, this is how the server
 * knows, and passes it on only once. Bounded, so that it cannot grow forever.
 */
const seenIds = new Set<string>();
const maxSeenIds = 10_000;

/** Notes an id as passed on; past `maxSeenIds`, forgets the oldest (a Set keeps the order ids came in). */
function remember(id: string): void {
  seenIds.add(id);
  if (seenIds.size > maxSeenIds) seenIds.delete(seenIds.values().next().value!);
}

const noSuchRoom = `Pick one of the rooms: ${rooms.map((room) => `#${room}`).join(', ')}.`;
const notText = `A message must be some text, at most ${maxMessageLength} characters.`;
const noId = 'A message needs an id: crypto.randomUUID() makes one.';
const tooFast = 'You are sending messages too fast: wait a moment.';

// Runs for every handshake, before 'connection': the nickname is checked once, here.
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
  // TODO 6: a socket back within 2 minutes is recovered (socket.recovered is true): Socket.IO
  //         gave it back its rooms and sent it what it missed, so only log `${nickname} reconnected`.
  //         Any other (a new page, one away too long, any after a restart) is logged and joins
  //         its rooms, as the lines below do, then gets from the history what it has not seen:
  //         messagesSince(after, rooms), where `after` is its handshake's auth.serverOffset (0
  //         unless a whole number above 0) and `rooms` the chat rooms it is in now,
  //         [...socket.rooms].filter(isRoom). Emit each message it returns to this socket.
  console.log(`${nickname} connected`);
  // Everyone is in #general and in a room of their own. A page that reconnects also says, in its
  // handshake, which other rooms it was in: joined here, before any message it sends again is read.
  socket.join('general');
  socket.join(userRoom(nickname));
  const wantedRooms: unknown = socket.handshake.auth.rooms;
  if (Array.isArray(wantedRooms)) socket.join(wantedRooms.filter(isRoom));
  socket.broadcast.emit('notice', `${nickname} joined`);
  io.emit('online', onlineNicknames());

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
    // Sent again: the first one came through, only its acknowledgement was lost. Say yes again,
    // so that the client stops trying, but pass nothing on (and count nothing against the limit).
    // TODO 4: this Set forgets every id when the server stops: let the database tell instead.
    //         After withinRate(), const stored = save({ id, room, author: nickname, text });
    //         when it is undefined, return answer({ ok: true }) and pass nothing on. Otherwise
    //         pass on `stored`, which has its real offset, instead of the object below (whose
    //         offset: 0 only stands in until then). Delete seenIds, maxSeenIds and remember()
    //         above: the database does their job.
    if (seenIds.has(id)) return answer({ ok: true });
    if (!withinRate()) return answer({ ok: false, error: tooFast });
    remember(id);
    console.log(`message from ${nickname} in #${room}: ${text}`);
    socket.broadcast.emit('stop typing', nickname);
    socket.to(room).emit('chat message', { id, room, author: nickname, text, offset: 0 });
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
  socket.on('typing', () => socket.broadcast.volatile.emit('typing', { nickname }));
  // Answered too: a client with `retries` waits for an acknowledgement of everything it sends.
  socket.on('stop typing', (reply: unknown) => {
    socket.broadcast.emit('stop typing', nickname);
    replyTo(reply)({ ok: true });
  });

  socket.on('disconnect', () => {
    console.log(`${nickname} disconnected`);
    socket.broadcast.emit('stop typing', nickname);
    socket.broadcast.emit('notice', `${nickname} left`);
    io.emit('online', onlineNicknames());
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
