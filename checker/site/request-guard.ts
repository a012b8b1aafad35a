// The site answers only requests that name it, and only pages of its own. Two attacks are kept
// out: DNS rebinding, where a page of another site gets its own name to resolve to this machine
// and then reads the site or opens its sockets as if it were one of its pages (its requests
// carry its own name in Host); and a page of another site that opens a WebSocket or Socket.IO
// connection here (its Origin names that site: CORS does not guard WebSockets).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';

export interface HostPolicyOptions {
  /** Names the site also answers to: the one it was started on, DOCS_ALLOWED_HOSTS. */
  extraNames?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface HostPolicy {
  /** Why this request is refused, in one sentence for the reader of the refusal; undefined if it is not. */
  refusal(request: IncomingMessage): string | undefined;
}

/** `example.com:4000` → `example.com`; `[::1]:4000` → `::1`. */
function nameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
}

/** A name from a request, safe to print in a terminal: printable ASCII, 100 characters at most. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);

/** The forwarded names of this codespace, when the site runs in GitHub Codespaces. */
function codespaceNames(env: NodeJS.ProcessEnv): ((name: string) => boolean) | undefined {
  const codespace = env['CODESPACE_NAME'];
  const domain = env['GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN'];
  if (!codespace || !domain) return undefined;
  const pattern = new RegExp(`^${escapeRegExp(codespace.toLowerCase())}-\\d+\\.${escapeRegExp(domain.toLowerCase())}$`);
  return (name) => pattern.test(name);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createHostPolicy({ extraNames = [], env = process.env }: HostPolicyOptions = {}): HostPolicy {
  const machine = hostname().toLowerCase();
  const names = new Set([machine, ...(machine.includes('.') ? [] : [`${machine}.local`])]);
  const listed = (env['DOCS_ALLOWED_HOSTS'] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of [...extraNames, ...listed]) names.add(nameOf(name));
  const inCodespace = codespaceNames(env);

  // An address typed as digits cannot be rebound, and localhost never leaves the machine.
  const isOurs = (name: string) =>
    isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || names.has(name) || inCodespace?.(name) === true;

  return {
    refusal(request) {
      const host = request.headers.host;
      // A request without Host comes from a program, never from a browser.
      if (host !== undefined && !isOurs(nameOf(host))) {
        const name = printable(nameOf(host));
        return `This workshop site answers only to the names of its own machine (localhost, its addresses), not to "${name}". If that name is yours (a proxy, a forwarded port), start the site with DOCS_ALLOWED_HOSTS=${name} npm start.`;
      }
      const origin = request.headers.origin;
      if (origin !== undefined && !isSameOrigin(origin, host)) {
        return `Only the workshop's own pages may use this site, and this request came from a page of ${printable(origin)}.`;
      }
      return undefined;
    },
  };
}

/** Whether a page of `origin` is a page of the site that `host` names. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    // "null": a sandboxed frame, a file on disk.
    return false;
  }
}

/**
 * Every request and WebSocket upgrade of `server` passes the policy before any listener of the
 * site, its labs or its live progress sees it: one gate, whatever attaches to the server later.
 */
export function guardRequests(server: Server, policy: HostPolicy, onRefused: (reason: string) => void = () => {}): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'request') {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      const reason = policy.refusal(request);
      if (reason) {
        onRefused(reason);
        response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${reason}\n`);
        return true;
      }
    } else if (event === 'upgrade') {
      const [request, socket] = args as [IncomingMessage, Duplex];
      const reason = policy.refusal(request);
      if (reason) {
        onRefused(reason);
        const body = Buffer.from(`${reason}\n`);
        socket.on('error', () => {});
        // Destroyed once written: a client that never closes its side must not keep it open.
        socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`, () => socket.destroy());
        return true;
      }
    }
    return emit(event, ...args);
  }) as Server['emit'];
}
