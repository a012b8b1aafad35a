// Step 06: tell the others who comes and goes, and send each message to the others only.
// Read steps/06-notices/README.md, then replace each TODO below (the page has TODOs too).
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

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
  // TODO 1: tell every other client that someone joined (the newcomer knows it already):
  //         socket.broadcast.emit('notice', 'a user joined');
  socket.on('chat message', (text) => {
    console.log(`message: ${text}`);
    // TODO 2: the sender's page will show its own message at once, so send it on to the
    //         others only: replace io.emit with socket.broadcast.emit.
    io.emit('chat message', text);
  });
  socket.on('disconnect', () => {
    console.log('user disconnected');
    // TODO 3: tell the clients still here that someone left, with a notice as for a newcomer:
    //         socket.broadcast.emit('notice', 'a user left');
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
