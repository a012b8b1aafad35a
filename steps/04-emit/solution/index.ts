import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);
// #region typed-io
const io = new Server<ClientToServerEvents, ServerToClientEvents>(server);
// #endregion

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

io.on('connection', (socket) => {
  console.log('a user connected');
  // #region chat-message
  socket.on('chat message', (text) => {
    console.log(`message: ${text}`);
  // #endregion
  });
  socket.on('disconnect', () => {
    console.log('user disconnected');
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
