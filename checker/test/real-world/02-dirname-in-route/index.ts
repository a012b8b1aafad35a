import express from 'express';
import { createServer } from 'node:http';
import { join } from 'node:path';

const app = express();
const server = createServer(app);

// Send the chat page
app.get('/', (req, res) => {
  res.sendFile(join(__dirname, 'index.html'));
});

server.listen(3000, () => {
  console.log('server running at http://localhost:3000');
});
