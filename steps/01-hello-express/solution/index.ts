// #region imports
import express from 'express';
import { createServer } from 'node:http';
// #endregion

// #region port
const port = Number(process.env.PORT) || 3000;
// #endregion

// #region app
const app = express();
const server = createServer(app);
// #endregion

// #region route
app.get('/', (req, res) => {
  res.send('<h1>Hello world</h1>');
});
// #endregion

// #region listen
server.listen(port, () => {
  console.log(`server running at http://localhost:${port}`);
});
// #endregion
