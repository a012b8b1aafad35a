// Starts the chat: one process, as before (`npm run step 12`); several on this machine
// (`WORKERS=2 npm run step 12`); or one of several servers sharing a Redis server
// (`REDIS_URL=redis://localhost:6379 PORT=3001 npm run step 12`, once per server).
import cluster from 'node:cluster';

const port = Number(process.env.PORT) || 3000;
const workers = Number(process.env.WORKERS) || 1;

// #region entry
// Each process loads only the module it runs: the primary runs no chat, so it never loads the chat
// server and its libraries (express, Socket.IO), and starts sooner.
if (cluster.isPrimary && workers > 1) {
  const { startPrimary } = await import('./primary.ts');
  startPrimary(workers, port);
} else {
  const { startChatServer } = await import('./chat-server.ts');
  await startChatServer(port);
}
// #endregion
