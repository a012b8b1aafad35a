// The primary process of `WORKERS=2 npm run step 12`: it runs no chat itself. It starts the
// workers (and a new one when one dies), listens on the port, hands each connection to a worker
// (always the same worker for the same Socket.IO session), and relays the workers' broadcasts.
import { setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster } from '@socket.io/sticky';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { keepNicknamesForWorkers } from './nicknames.ts';

export function startPrimary(workers: number, port: number): void {
  // #region fork
  // The primary sends each connection's first bytes to a worker as a Buffer (setupMaster, below):
  // 'advanced' serialization keeps it one (the default, JSON, would turn it into a plain object).
  // It applies to the workers forked after it.
  cluster.setupPrimary({ serialization: 'advanced' });
  // The primary may be sending a worker something (a connection, an answer) as it dies: the send
  // fails with an 'error' event on that worker. Unheard, it would end the primary, and the chat.
  cluster.on('fork', (worker) => {
    worker.on('error', (error) => console.error(`worker ${worker.id}: ${error.message}`));
  });
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    console.log(`worker ${worker.id} (process ${worker.process.pid}) died (${signal ?? `code ${code}`}): starting another`);
    cluster.fork();
  });
  // #endregion

  // The primary listens on the port; the workers never do.
  const server = createServer();
  // #region sticky
  // Long-polling sends each message as a new HTTP request: all of a session's requests must reach
  // the worker that knows the session. setupMaster reads the session id (sid) of each request
  // and picks that worker; new sessions go to the worker with the fewest.
  setupMaster(server, { loadBalancingMethod: 'least-connection' });
  // #endregion
  // #region relay
  // The primary's side of the cluster adapter: what one worker broadcasts reaches the others.
  setupPrimary();
  // #endregion
  // #region keep-nicknames
  // The one place that knows every worker's nicknames: each worker asks here to take one.
  keepNicknamesForWorkers();
  // #endregion
  server.listen(port, () => {
    console.log(`server running at http://localhost:${port} (${workers} worker processes)`);
  });
}
