// A network path between clients and the learner's server that a check can break on purpose:
// cut every connection, stay offline for a while, or lose the bytes going one way. Steps 10 and
// 11 are about what a chat does when the network fails; this makes it fail, for real, on TCP.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { ConditionWaiters } from './condition-waiters.ts';

/** One client's connection through the proxy, and its connection on to the server. */
class Link {
  dropRequests = false;
  dropReplies = false;
  /** Connected to the server too: a connection the server can see. */
  established = false;

  constructor(
    readonly client: Socket,
    readonly server: Socket,
    on: { established: () => void; closed: () => void },
  ) {
    server.once('connect', () => {
      this.established = true;
      on.established();
    });
    forward(client, server, () => this.dropRequests);
    forward(server, client, () => this.dropReplies);
    let closed = false;
    const close = () => {
      this.cut();
      if (!closed) on.closed();
      closed = true;
    };
    for (const socket of [client, server]) {
      socket.on('close', close);
      // An error ends the link: both ends are destroyed, as a network drop would leave them.
      socket.on('error', close);
    }
  }

  cut(): void {
    this.client.destroy();
    this.server.destroy();
  }
}

/** Copies what `from` receives to `to`, except while `dropped()` says to lose it; honours back-pressure. */
function forward(from: Socket, to: Socket, dropped: () => boolean): void {
  from.on('data', (chunk: Buffer) => {
    if (dropped()) return;
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}

export class CuttableProxy {
  private readonly links = new Set<Link>();
  private readonly waiters = new ConditionWaiters();
  private offline = false;

  private constructor(
    private readonly server: Server,
    /** e.g. `http://127.0.0.1:41234/`: give it to a client, or open a page through it. */
    readonly url: string,
  ) {}

  /** A proxy on a free loopback port; `target()` is read at each new connection, so it follows a restarted server. */
  static async open(target: () => string): Promise<CuttableProxy> {
    const server = createServer({ allowHalfOpen: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const proxy = new CuttableProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    server.on('connection', (client) => proxy.accept(client, new URL(target())));
    return proxy;
  }

  /**
   * Connections open through the proxy now, on to the server. A WebSocket-only client makes one;
   * a page makes several (its HTTP requests, long-polling, then the WebSocket).
   */
  get connections(): number {
    return [...this.links].filter((link) => link.established).length;
  }

  /** Resolves true once at least `count` connections are open through the proxy; false if not within `timeoutMs`. */
  waitForConnections(count: number, timeoutMs = 2000): Promise<boolean> {
    return this.waiters.waitUntil(() => this.connections >= count, timeoutMs);
  }

  /** Destroys every open connection, both ends: the server and the clients see it die, as on a network drop. */
  cut(): void {
    for (const link of this.links) link.cut();
  }

  /** Cuts, and from now on destroys each new connection at once: a client's attempts to reconnect fail fast, and it keeps trying. */
  goOffline(): void {
    this.offline = true;
    this.cut();
  }

  /** Lets new connections through again. */
  goOnline(): void {
    this.offline = false;
  }

  /** From now on, what the server sends on the open connections is lost (an acknowledgement, say); later connections are normal. */
  dropReplies(): void {
    for (const link of this.links) link.dropReplies = true;
  }

  /** From now on, what the clients send on the open connections is lost (a message on its way in); later connections are normal. */
  dropRequests(): void {
    for (const link of this.links) link.dropRequests = true;
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.cut();
    await closed;
  }

  private accept(client: Socket, target: URL): void {
    if (this.offline) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    // The hostname of an IPv6 URL comes in brackets, which connect() does not take.
    const server = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port), noDelay: true, allowHalfOpen: true });
    const link = new Link(client, server, {
      established: () => this.waiters.wake(),
      closed: () => {
        this.links.delete(link);
        this.waiters.wake();
      },
    });
    this.links.add(link);
    this.waiters.wake();
  }
}
