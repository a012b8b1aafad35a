import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);
const io = new Server<ClientToServerEvents, ServerToClientEvents>(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

io.on('connection', (socket) => {
  console.log('a user connected');
  // #region joined
  // Everyone but the newcomer: they know they joined.
  socket.broadcast.emit('notice', 'a user joined');
  // #endregion
  // #region relay
  socket.on('chat message', (text) => {
    console.log(`message: ${text}`);
    // The sender's page already shows the message: only the others need it.
    socket.broadcast.emit('chat message', text);
  });
  // #endregion
  // #region left
  socket.on('disconnect', () => {
    console.log('user disconnected');
    socket.broadcast.emit('notice', 'a user left');
  });
  // #endregion
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
