import express from 'express';
import { createServer } from 'node:http';

const port = Number(process.env.PORT) || 3000;

const app = express();
const server = createServer(app);

app.get('/', (req, res) => {
  res.send('<h1>Hello world</h1>');
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
