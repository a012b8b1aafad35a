// The primary process of `WORKERS=2 npm run step 12`: it runs no chat itself. It starts the
// workers (and a new one when one dies), listens on the port, hands each connection to a worker
// (always the same worker for the same Socket.IO session), and relays the workers' broadcasts.
import { setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster } from '@socket.io/sticky';
import cluster from 'node:cluster';
import { createServer } from 'node:http';

export function startPrimary(workers: number, port: number): void {
  // TODO 2: start the workers. First cluster.setupPrimary({ serialization: 'advanced' }), for the
  //         workers forked after it (TODO 3 needs it); on cluster's 'fork' event, give each worker
  //         an 'error' listener that logs it; then cluster.fork() `workers` times; and on cluster's
  //         'exit' event, (worker, code, signal), log which worker died and fork another.

  // The primary listens on the port; the workers never do.
  const server = createServer();
  // TODO 3: hand each connection to a worker, and every request of one Socket.IO session to the
  //         same worker: setupMaster(server, { loadBalancingMethod: 'least-connection' }). Each
  //         worker's side of it is TODO 4, in chat-server.ts.
  // TODO 5: relay what one worker broadcasts to the others: setupPrimary(), the primary's side of
  //         the cluster adapter (each worker's side is TODO 6, in adapter.ts).
  // TODO 12: the primary keeps the nicknames of every worker, and frees those of a worker that
  //          dies: keepNicknamesForWorkers(), from nicknames.ts. A worker asks it to take one (TODO 11).
  server.listen(port, () => {
    console.log(`server running at http://localhost:${port} (${workers} worker processes)`);
  });
}
