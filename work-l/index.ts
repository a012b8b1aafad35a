import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, Reply, ServerToClientEvents, SocketData } from '../events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));
// #region limits
const maxNicknameLength = 32;
const maxMessageLength = 1000;
/** At most this many messages from one connection in each fixed window of `rateWindowMs` (the first opens at connection). */
const rateLimit = 5;
const rateWindowMs = 3000;
// #endregion

const app = express();
const server = createServer(app);
// #region typed-io
const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server);
// #endregion

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

// #region online
function onlineNicknames(): string[] {
  return [...io.of('/').sockets.values()].map((socket) => socket.data.nickname);
}
// #endregion

// #region middleware
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
// #endregion

io.on('connection', (socket) => {
  const { nickname } = socket.data;
  console.log(`${nickname} connected`);
  // #region joined
  socket.broadcast.emit('notice', `${nickname} joined`);
  io.emit('online', onlineNicknames());
  // #endregion

  // #region rate-limit
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
  // #endregion

  // #region relay
  // `unknown`, not the types of the event map: a client can send anything at all.
  socket.on('chat message', (text: unknown, reply: unknown) => {
    const answer = (value: Reply) => {
      if (typeof reply === 'function') reply(value);
    };
    if (typeof text !== 'string' || text.trim() === '') return answer({ ok: false, error: 'A message must be some text.' });
    if (text.length > maxMessageLength) return answer({ ok: false, error: `A message has at most ${maxMessageLength} characters.` });
    if (!withinRate()) return answer({ ok: false, error: 'You are sending messages too fast: wait a moment.' });
    console.log(`message from ${nickname}: ${text}`);
    // #region cleared-on-send
    // Sending ends typing, even if the page did not say so.
    socket.broadcast.emit('stop typing', nickname);
    // #endregion
    socket.broadcast.emit('chat message', { author: nickname, text });
    answer({ ok: true });
  });
  // #endregion

  // #region typing
  // Volatile: if a client cannot take it right now, it is dropped. A late "is typing…" is worse
  // than none, and a new one comes with the next keystrokes.
  socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));
  socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));
  // #endregion

  // #region left
  socket.on('disconnect', () => {
    console.log(`${nickname} disconnected`);
    // #region cleared-on-leave
    socket.broadcast.emit('stop typing', nickname);
    // #endregion
    socket.broadcast.emit('notice', `${nickname} left`);
    // The socket is already out of the list: everyone left sees the list without it.
    io.emit('online', onlineNicknames());
  });
  // #endregion
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
