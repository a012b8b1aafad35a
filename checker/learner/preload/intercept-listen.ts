// Runs inside the learner's process, before their code: wraps net.Server#listen, which every
// HTTP server ends up calling (app.listen, server.listen, new Server(3000)…), so the kit can
// see, and in checks choose, the port without asking the learner to write anything special.
import net from 'node:net';

export interface ListenInterceptor {
  /** Rewrites the arguments of a listen() call; return them unchanged to keep them. */
  rewrite?: (args: unknown[], server: net.Server) => unknown[];
  onListening?: (server: net.Server) => void;
  /** Called when listening fails and the learner's code has no 'error' listener of its own. */
  onUnhandledError?: (error: NodeJS.ErrnoException, server: net.Server) => void;
}

export function interceptListen(interceptor: ListenInterceptor): void {
  const originalListen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    if (interceptor.onListening) this.once('listening', () => interceptor.onListening!(this));
    if (interceptor.onUnhandledError) {
      const onError = (error: NodeJS.ErrnoException) => {
        // Ours is not the only listener: the learner handles errors, leave it to them.
        if (this.listenerCount('error') > 0) return;
        interceptor.onUnhandledError!(error, this);
      };
      this.once('error', onError);
      this.once('listening', () => this.off('error', onError));
    }
    const finalArgs = interceptor.rewrite ? interceptor.rewrite(args, this) : args;
    return originalListen.apply(this, finalArgs as Parameters<typeof originalListen>);
  } as typeof originalListen;
}

/** The port of a listening TCP server, or undefined for a pipe or Unix socket. */
export function listeningPort(server: net.Server): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : undefined;
}
