// Starts the chat: one process, as before (`npm run step 12`); several on this machine
// (`WORKERS=2 npm run step 12`); or one of several servers sharing a Redis server
// (`REDIS_URL=redis://localhost:6379 PORT=3001 npm run step 12`, once per server).
import cluster from 'node:cluster';
import { startChatServer } from './chat-server.ts';
import { startPrimary } from './primary.ts';

const port = Number(process.env.PORT) || 3000;
const workers = Number(process.env.WORKERS) || 1;

// #region entry
if (cluster.isPrimary && workers > 1) {
  startPrimary(workers, port);
} else {
  await startChatServer(port);
}
// #endregion
