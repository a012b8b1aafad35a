import express from 'express';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Server } from 'socket.io';

const app = express();
const server = createServer(app);
const io = new Server(server);

app.get('/', (req, res) => {
  res.sendFile(join(import.meta.dirname, 'index.html'));
});

io.on('connection', (socket) => {
  console.log('a user connected');
  socket.broadcast.emit('notice', 'a user joined');

  socket.on('chat message', (msg) => {
    console.log('message: ' + msg);
    // Tell the others who wrote it
    socket.broadcast.emit('chat message', { from: socket.id, text: msg });
  });

  socket.on('disconnect', () => {
    console.log('user disconnected');
    socket.broadcast.emit('notice', 'a user left');
  });
});

server.listen(3000, () => {
  console.log('server running at http://localhost:3000');
});
