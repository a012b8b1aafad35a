// Step 07: nicknames, who's online, and a server that checks everything it receives.
// Read steps/07-nicknames/README.md, then replace each TODO below (the page has TODOs too).
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
// TODO 1: import InterServerEvents, Reply and SocketData as well, and give the server all four
//         maps: new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(server)
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));
// TODO 2: name the limits: nicknames of at most 32 characters, messages of at most 1000,
//         and at most 5 messages from one connection in each window of 3 seconds.

const app = express();
const server = createServer(app);
const io = new Server<ClientToServerEvents, ServerToClientEvents>(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

// TODO 3: a function onlineNicknames() that returns socket.data.nickname of every socket
//         connected now: [...io.of('/').sockets.values()].map(…)

// TODO 4: a middleware, io.use((socket, next) => { … }), that reads socket.handshake.auth.nickname
//         and refuses it, with next(new Error('…why…')), unless it is a string that, trimmed,
//         is not empty, has at most 32 characters and is not online already (compared in lower
//         case). Otherwise it keeps it in socket.data.nickname and calls next().

io.on('connection', (socket) => {
  console.log('a user connected');
  // TODO 5: name the newcomer (socket.data.nickname) in the log and in the notice, then send
  //         everyone, the newcomer included, the new list: io.emit('online', onlineNicknames());
  socket.broadcast.emit('notice', 'a user joined');
  // TODO 6: count this connection's messages in windows of 3 seconds: the first opens at
  //         connection, and a message after the end of a window opens the next one; at most 5 in each.
  socket.on('chat message', (text) => {
    // TODO 7: anyone can send anything: declare (text: unknown, reply: unknown). Answer with
    //         reply({ ok: false, error: '…why…' }) and stop, unless text is a string, not blank
    //         (text.trim() is not ''), of at most 1000 characters, and TODO 6 lets it through;
    //         then send it on and reply({ ok: true }).
    //         Call reply only if it is a function: a script may send no callback at all.
    console.log(`message: ${text}`);
    // TODO 8: the author is the sender's nickname, from socket.data, not 'someone'.
    socket.broadcast.emit('chat message', { author: 'someone', text });
  });
  socket.on('disconnect', () => {
    console.log('user disconnected');
    // TODO 9: name who left, in the log and the notice, then send everyone still here the
    //         list, which no longer holds this socket (as in TODO 5).
    socket.broadcast.emit('notice', 'a user left');
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
