import express from 'express';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT) || 3000;
// An absolute path to the page, built from where this file lives: it works from any
// working directory, on Windows too, and in folders whose names contain spaces.
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);

app.get('/', (req, res) => {
  res.sendFile(pagePath);
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
