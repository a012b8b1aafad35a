// Step 05: send every message to everyone.
// Read steps/05-broadcast/README.md, then replace each TODO below (the page has TODOs too).
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
  socket.on('chat message', (text) => {
    console.log(`message: ${text}`);
    // TODO 1: send the message to every connected client, the sender included:
    //         io.emit('chat message', text);
  });
  socket.on('disconnect', () => {
    console.log('user disconnected');
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
