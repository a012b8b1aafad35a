// Step 04: send what the user types to the server.
// Read steps/04-emit/README.md, then replace each TODO below (the page has TODOs too).
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
// TODO 1: import the event maps (a type-only import):
//         import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);
// TODO 2: type the server with the maps: new Server<ClientToServerEvents, ServerToClientEvents>(server)
const io = new Server(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

io.on('connection', (socket) => {
  console.log('a user connected');
  // TODO 3: on this socket's 'chat message', log `message: ${text}`.
  socket.on('disconnect', () => {
    console.log('user disconnected');
  });
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
