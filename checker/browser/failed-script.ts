// Why a script of the learner's page did not load, told from the request itself: its URL, and
// the status that came back or the network error when nothing did. The Socket.IO client is the
// script learners most often fetch from the wrong place: from node_modules/, which Express does
// not serve, or from a CDN the checker's browser cannot reach; their server has it all along.
import type { FailedRequest } from './chat-page.ts';

const clientTag = '<script src="/socket.io/socket.io.js"></script>';

const isSocketIoClient = (url: URL) => /socket\.io[^/]*\.js$/.test(url.pathname);

/** A script from the page's own server, or Socket.IO's client from anywhere: a chat page cannot work without it. */
export function isNeededScript(request: FailedRequest, pageUrl: string): boolean {
  const url = new URL(request.url);
  return url.origin === new URL(pageUrl).origin || isSocketIoClient(url);
}

/** The end of a sentence that starts "Expected …, but": what failed, how, and what to change. */
export function describeFailedScript(request: FailedRequest, pageUrl: string): string {
  const url = new URL(request.url);
  const page = new URL(pageUrl);
  const sameServer = url.origin === page.origin;
  const shown = sameServer ? url.pathname : request.url;
  const outcome = request.status !== undefined ? `${sameServer ? 'your server' : 'that server'} answered ${request.status}` : `${sameServer ? 'the browser could not reach your server' : "the checker's browser could not reach that server"} (${request.error ?? 'no answer'})`;
  const what = `the page could not load its script ${shown}: ${outcome}`;
  const client = isSocketIoClient(url);

  if (sameServer) {
    if (url.pathname === '/socket.io/socket.io.js') {
      return `${what}. Your Socket.IO server hands out that file when it is attached to the server that listens: \`new Server(server)\`, then \`server.listen(…)\` (not app.listen)`;
    }
    if (request.status === 404 && url.pathname.split('/').includes('node_modules')) {
      return `${what}: Express does not serve the files of node_modules/. Socket.IO's server hands out its client itself, at /socket.io/socket.io.js: write ${clientTag}`;
    }
    if (request.status === 404) {
      return `${what}: it has no route or file at that path${client ? `. Socket.IO's server hands out its client at /socket.io/socket.io.js: write ${clientTag}` : ''}`;
    }
    return what;
  }
  if (isLoopback(url.hostname) && url.port !== page.port) {
    return (
      `${what}. That address names port ${url.port || (url.protocol === 'https:' ? 443 : 80)}, but the checker runs your server on a port of its own (${page.port} this time): ` +
      `leave the address out and write the path alone${client ? `, ${clientTag}` : ''}`
    );
  }
  if (client) {
    return `${what}. Your own server hands out the same client at /socket.io/socket.io.js, so the page needs no other server: write ${clientTag}`;
  }
  return what;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}
