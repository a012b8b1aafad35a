// Step 12: scale out, with several server processes.
// Read steps/12-scale-out/README.md, then replace each TODO below and in primary.ts, chat-server.ts,
// adapter.ts and history.ts, in the order of their numbers. nicknames.ts is ready: TODO 11 uses it.
// Starts the chat: one process, as before (`npm run step 12`); several on this machine
// (`WORKERS=2 npm run step 12`); or one of several servers sharing a Redis server
// (`REDIS_URL=redis://localhost:6379 PORT=3001 npm run step 12`, once per server).
import cluster from 'node:cluster';

const port = Number(process.env.PORT) || 3000;
const workers = Number(process.env.WORKERS) || 1;

// TODO 1: with more than one worker wanted, the process you started runs no chat itself: if
//         cluster.isPrimary && workers > 1, load primary.ts and start the workers, with
//         const { startPrimary } = await import('./primary.ts'); then startPrimary(workers, port).
//         Each worker runs this same file again, where cluster.isPrimary is false: there, and with
//         one process, run the chat as below. Each process loads only the module it runs: the
//         primary never loads the chat server and its libraries.
const { startChatServer } = await import('./chat-server.ts');
await startChatServer(port);
