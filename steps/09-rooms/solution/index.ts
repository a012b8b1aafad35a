import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from '../events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));
const maxNicknameLength = 32;
const maxMessageLength = 1000;
/** At most this many messages from one connection in each fixed window of `rateWindowMs` (the first opens at connection). */
const rateLimit = 5;
const rateWindowMs = 3000;
// #region rooms
/** The chat's rooms: a fixed list, so that nobody can make up new ones. */
const rooms = ['general', 'random', 'help'];
/**
 * The room of one user, for private messages. Named after the nickname, which stays the same
 * when they reconnect; their socket.id does not.
 */
const userRoom = (nickname: string) => `user:${nickname}`;
// #endregion

const app = express();
const server = createServer(app);
const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

function onlineNicknames(): string[] {
  return [...io.of('/').sockets.values()].map((socket) => socket.data.nickname);
}

// #region payload-checks
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

const noSuchRoom = `Pick one of the rooms: ${rooms.map((room) => `#${room}`).join(', ')}.`;
const notText = `A message must be some text, at most ${maxMessageLength} characters.`;
const tooFast = 'You are sending messages too fast: wait a moment.';
// #endregion

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
  // #region join-on-connect
  // Everyone starts in #general, and in a room of their own for private messages. Both come
  // before the 'online' list below: whoever sees this user online can write to them.
  socket.join('general');
  socket.join(userRoom(nickname));
  // #endregion
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

  // #region join-leave
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
  // #endregion

  // #region relay
  // `unknown`, not the types of the event map: a client can send anything at all.
  socket.on('chat message', (message: unknown, reply: unknown) => {
    const answer = replyTo(reply);
    // Whatever was sent, even no object at all, each field reads as a value or undefined.
    const { room, text } = (message ?? {}) as { room?: unknown; text?: unknown };
    if (!isRoom(room)) return answer({ ok: false, error: noSuchRoom });
    // socket.rooms: the rooms this socket is in. Only their members may speak in them.
    if (!socket.rooms.has(room)) return answer({ ok: false, error: `Join #${room} first.` });
    if (!isText(text)) return answer({ ok: false, error: notText });
    if (!withinRate()) return answer({ ok: false, error: tooFast });
    console.log(`message from ${nickname} in #${room}: ${text}`);
    // Sending ends typing, even if the page did not say so.
    socket.broadcast.emit('stop typing', nickname);
    // Everyone in the room but the sender, whose page already shows the message.
    socket.to(room).emit('chat message', { room, author: nickname, text });
    answer({ ok: true });
  });
  // #endregion

  // #region private-message
  socket.on('private message', (message: unknown, reply: unknown) => {
    const answer = replyTo(reply);
    const { to, text } = (message ?? {}) as { to?: unknown; text?: unknown };
    if (typeof to !== 'string' || to === '') return answer({ ok: false, error: 'Say who the message is for.' });
    if (to === nickname) return answer({ ok: false, error: 'That is you: pick someone else.' });
    if (!onlineNicknames().includes(to)) return answer({ ok: false, error: `${to} is not online.` });
    if (!isText(text)) return answer({ ok: false, error: notText });
    if (!withinRate()) return answer({ ok: false, error: tooFast });
    // Who wrote to whom, but not what: a private message stays out of the log.
    console.log(`private message from ${nickname} to ${to}`);
    io.to(userRoom(to)).emit('private message', { from: nickname, text });
    answer({ ok: true });
  });
  // #endregion

  // Volatile: if a client cannot take it right now, it is dropped. A late "is typing…" is worse
  // than none, and a new one comes with the next keystrokes.
  socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));
  socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));

  // Rooms need no cleaning up: a socket that disconnects leaves all of them by itself.
  socket.on('disconnect', () => {
    console.log(`${nickname} disconnected`);
    socket.broadcast.emit('stop typing', nickname);
    socket.broadcast.emit('notice', `${nickname} left`);
    // The socket is already out of the list: everyone left sees the list without it.
    io.emit('online', onlineNicknames());
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
