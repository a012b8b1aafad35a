// The baseline of `npm run load`: Socket.IO's classic chat and nothing more, every message sent to
// everyone with io.emit. No nickname, no rooms, no checks, no history, no acknowledgement: what
// the learner's chat costs beyond this is the chat's own. Started like the learner's server, in a
// process of its own, by the same code (the checker's preload gives it a free port).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const server = createServer();
const io = new Server(server);

io.on('connection', (socket) => {
  socket.on('chat message', (message: unknown) => io.emit('chat message', message));
});

server.listen(Number(process.env.PORT) || 3000);
