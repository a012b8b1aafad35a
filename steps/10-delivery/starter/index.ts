// Step 10: delivery: acknowledgements, retries, and message ids.
// Read steps/10-delivery/README.md, then replace each TODO below (the page has TODOs too).
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from './events.ts';

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

// TODO 1: remember the ids of the messages passed on, here, outside the connection listener, so
//         that a message sent again on a new connection is still known: const seenIds = new Set<string>(),
//         and a function remember(id: string) that adds the id and, once the Set holds more than
//         10_000 ids, deletes the oldest one (the first a Set gives back: seenIds.values().next().value!).

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
  console.log(`${nickname} connected`);
  // Everyone starts in #general, and in a room of their own for private messages.
  socket.join('general');
  socket.join(userRoom(nickname));
  // TODO 2: the page now names, in its handshake, the other rooms it is in:
  //         const wantedRooms: unknown = socket.handshake.auth.rooms;
  //         anyone can send anything there, so use it only if Array.isArray(wantedRooms), and join
  //         only the chat's rooms in it: socket.join(wantedRooms.filter(isRoom)).
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
    // TODO 3: a message whose id is in seenIds was passed on already (only its acknowledgement
    //         was lost): say yes again and relay nothing, before the rate check,
    //         if (seenIds.has(id)) return answer({ ok: true });
    //         and after the rate check, remember(id).
    if (!withinRate()) return answer({ ok: false, error: tooFast });
    console.log(`message from ${nickname} in #${room}: ${text}`);
    socket.broadcast.emit('stop typing', nickname);
    socket.to(room).emit('chat message', { id, room, author: nickname, text });
    answer({ ok: true });
  });

  socket.on('private message', (message: unknown, reply: unknown) => {
    const answer = replyTo(reply);
    const { id, to, text } = (message ?? {}) as { id?: unknown; to?: unknown; text?: unknown };
    if (!isMessageId(id)) return answer({ ok: false, error: noId });
    if (typeof to !== 'string' || to === '') return answer({ ok: false, error: 'Say who the message is for.' });
    if (to === nickname) return answer({ ok: false, error: 'That is you: pick someone else.' });
    if (!onlineNicknames().includes(to)) return answer({ ok: false, error: `${to} is not online.` });
    if (!isText(text)) return answer({ ok: false, error: notText });
    if (!withinRate()) return answer({ ok: false, error: tooFast });
    console.log(`private message from ${nickname} to ${to}`);
    // TODO 4: events.ts says the recipient's page now confirms a private message, but this ignores
    //         the confirmation (the empty callback) and says yes at once, arrived or not. Answer
    //         { ok: true } only once it is confirmed: make this listener async, and in a try block,
    //         const confirmations = await io.to(userRoom(to)).timeout(deliveryTimeoutMs).emitWithAck('private message', { id, from: nickname, text });
    //         then answer { ok: true } if confirmations.length > 0 (none: they left a moment ago,
    //         `${to} is not online.`). In the catch (no confirmation in time), answer
    //         { ok: false, error: `${to} did not confirm it within ${deliveryTimeoutMs / 1000} s: try again.` }.
    io.to(userRoom(to)).timeout(deliveryTimeoutMs).emit('private message', { id, from: nickname, text }, () => {});
    answer({ ok: true });
  });

  // Volatile: if a client cannot take it right now, it is dropped. A late "is typing…" is worse
  // than none, and a new one comes with the next keystrokes.
  socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));
  // TODO 5: a page with retries waits for the answer to each event before it sends the next one,
  //         so answer this one too: 'stop typing' carries no payload, so the acknowledgement is the
  //         listener's only parameter, (reply: unknown) => { …; replyTo(reply)({ ok: true }); }.
  socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));

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
