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

export async function chooseAdapter(): Promise<ChosenAdapter> {
  // TODO 6: in a worker of a cluster (cluster.isWorker), the cluster adapter: return
  //         { adapter: createClusterAdapter(), description: `cluster adapter, worker ${cluster.worker!.id}` }.
  return { description: 'one process, no adapter needed' };
}

// TODO 9: several servers, on one machine or several, share one Redis server. Write
//         async function redisAdapter(url: string): Promise<ServerOptions['adapter']>. First it
//         loads the libraries, there and only then: const { createClient } = await import('redis')
//         and const { createAdapter: createRedisAdapter } = await import('@socket.io/redis-adapter')
//         (the Redis client is some 650 modules, which a process without Redis would load for
//         nothing). Then two Redis clients, publisher = createClient({ url, commandOptions:
//         { timeout: 0 } }) (no 5 s limit per command: the adapter does not catch a timed-out
//         publish, which would end the process) and subscriber = publisher.duplicate(); an
//         'error' listener on each that logs the error; await both client.connect(); then return
//         createRedisAdapter(publisher, subscriber). In chooseAdapter(), first of all, when
//         process.env.REDIS_URL is set, return { adapter: await redisAdapter(url), description: … }.
