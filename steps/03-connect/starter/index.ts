// Step 03: connect the page to the server with Socket.IO.
// Read steps/03-connect/README.md, then replace each TODO below.
import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
// TODO 1: import `Server` from 'socket.io'.

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);
// TODO 2: create the Socket.IO server on the HTTP server: const io = new Server(server);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

// TODO 3: on every 'connection', log 'a user connected';
//         on that socket's 'disconnect', log 'user disconnected'.

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
