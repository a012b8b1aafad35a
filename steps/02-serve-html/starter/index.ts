// Step 02: serve the chat page from its own file.
// Read steps/02-serve-html/README.md, then replace each TODO below.
import express from 'express';
import { createServer } from 'node:http';
// TODO 1: import `fileURLToPath` from 'node:url'.

const port = Number(process.env.PORT) || 3000;
// TODO 2: build the absolute path of index.html from this module's URL:
//         const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));

const app = express();
const server = createServer(app);

app.get('/', (req, res) => {
  // TODO 3: send the page with res.sendFile(pagePath) instead of this heading.
  res.send('<h1>Hello world</h1>');
});

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
