// How the processes of the chat hear each other. An adapter is the part of Socket.IO that sends
// a broadcast to the right sockets; the default one only knows the sockets of its own process.
import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import cluster from 'node:cluster';
import type { ServerOptions } from 'socket.io';

export interface ChosenAdapter {
  adapter?: ServerOptions['adapter'];
  /** In a few words, for the log: which one, and so who hears this process's emits. */
  description: string;
}

// #region choose-adapter
export async function chooseAdapter(): Promise<ChosenAdapter> {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) return { adapter: await redisAdapter(redisUrl), description: `Redis adapter, ${redisUrl}` };
  // #region cluster-adapter
  // A worker of `WORKERS=2 npm run step 12`: its primary passes emits between the workers.
  if (cluster.isWorker) return { adapter: createClusterAdapter(), description: `cluster adapter, worker ${cluster.worker!.id}` };
  // #endregion
  return { description: 'one process, no adapter needed' };
}
// #endregion

// #region redis-adapter
/**
 * Every process publishes its broadcasts on a Redis channel and subscribes to everyone else's.
 * The adapter takes two clients, one to publish and one to subscribe: over RESP2, a connection
 * that has subscribed may not publish, so two connections work with any client and protocol.
 */
async function redisAdapter(url: string): Promise<ServerOptions['adapter']> {
  // Loaded here, when REDIS_URL asks for them, not at the top of the file: the Redis client is some
  // 650 modules, which every other process (one alone, each worker of a cluster) would load for
  // nothing, taking a third longer to start.
  const { createClient } = await import('redis');
  const { createAdapter: createRedisAdapter } = await import('@socket.io/redis-adapter');
  // No time limit on commands: a publish that takes over 5 s (the client's default) under load would
  // be rejected, and the adapter does not catch it, so the whole process would end.
  const publisher = createClient({ url, commandOptions: { timeout: 0 } });
  const subscriber = publisher.duplicate();
  // Our own listener, to log what went wrong: the adapter adds one to each client that only warns
  // "missing 'error' handler". A client with a listener also waits for Redis at start, rather than
  // failing at once; once connected, it reconnects by itself.
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => console.error(`Redis: ${error.message}`));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return createRedisAdapter(publisher, subscriber);
}
// #endregion
