import express from 'express';
import { createServer } from 'node:http';
// #region import-url
import { fileURLToPath } from 'node:url';
// #endregion

const port = Number(process.env.PORT) || 3000;
// An absolute path to the page, built from where this file lives: it works from any
// working directory, on Windows too, and in folders whose names contain spaces.
// #region page-path
const pagePath = fileURLToPath(new URL('./index.html', import.meta.url));
// #endregion

const app = express();
const server = createServer(app);

// #region route
app.get('/', (req, res) => {
  res.sendFile(pagePath);
});
// #endregion

server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
