import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
// #region import-server
import { Server } from 'socket.io';
// #endregion

const port = Number(process.env.PORT) || 3000;
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);
// Socket.IO shares the HTTP server with Express: it answers the requests under /socket.io/
// (the client script and the connection itself) and leaves every other request to the app.
// #region io
const io = new Server(server);
// #endregion

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

// #region connection
io.on('connection', (socket) => {
  console.log('a user connected');
  // #endregion
  // #region disconnect
  socket.on('disconnect', () => {
    console.log('user disconnected');
  });
});
// #endregion

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
