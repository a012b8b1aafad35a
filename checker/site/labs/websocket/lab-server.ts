// The WebSocket lab on the site's own HTTP server: the studied socket at /labs/websocket/socket
// (RFC 6455 by hand, echoing every message), the reports to the page at /labs/websocket/events,
// and /labs/websocket/ping, which asks the server to ping, since a browser cannot.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Lab } from '../index.ts';
import { CloseCode, defaultLabLimits, LabPath, type LabLimits } from './constants.ts';
import { WebSocketConnection } from './connection.ts';
import { acceptResponse, checkUpgradeRequest, computeAccept, rejectResponse } from './handshake.ts';
import { reportFrame, reportMessage, reportProtocolError } from './lab-events.ts';
import { LabSession } from './lab-session.ts';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const STOPPING = 'The site is stopping.';

export function attachWebSocketLab(server: Server, options: Partial<LabLimits> = {}): Lab {
  const limits: LabLimits = { ...defaultLabLimits, ...options };
  const sessions = new Map<string, LabSession>();
  const connections = new Set<WebSocketConnection>();
  /** Sockets being sent an HTTP error in place of a handshake. */
  const refused = new Set<Duplex>();
  let closed = false;
  let pings = 0;

  const refuse = (socket: Duplex, status: number, message: string, headers?: Record<string, string>) => {
    refused.add(socket);
    const timer = setTimeout(() => socket.destroy(), limits.closeTimeoutMs);
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      refused.delete(socket);
    });
    socket.end(rejectResponse(status, message, headers));
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // Other upgrades (the Socket.IO lab's) belong to other listeners.
    if (url.pathname !== LabPath.socket) return;
    if (closed) return refuse(socket, 503, STOPPING);
    const session = sessions.get(url.searchParams.get('session') ?? '');
    const check = checkUpgradeRequest(request);
    if (!check.ok) {
      session?.report({ type: 'handshake-rejected', status: check.status, message: check.message });
      return refuse(socket, check.status, check.message, check.headers);
    }
    if (connections.size >= limits.maxConnections) {
      const message = `The lab already has ${limits.maxConnections} connections open: try again in a minute.`;
      session?.report({ type: 'handshake-rejected', status: 503, message });
      return refuse(socket, 503, message, { 'Retry-After': '60' });
    }
    const accept = computeAccept(check.key);
    const response = acceptResponse(accept.accept);
    socket.write(response);
    if (socket instanceof Socket) socket.setNoDelay(true);
    session?.report({
      type: 'handshake',
      request: {
        method: request.method ?? '',
        url: request.url ?? '',
        httpVersion: request.httpVersion,
        headers: pairs(request.rawHeaders),
      },
      accept,
      response,
    });
    const connection = new WebSocketConnection(socket, head, limits);
    connections.add(connection);
    session?.connections.add(connection);
    connection.on('frame-received', (frame) => session?.report(reportFrame(frame, 'client-to-server')));
    connection.on('frame-sent', (frame) => session?.report(reportFrame(frame, 'server-to-client')));
    connection.on('protocol-error', (error) => session?.report(reportProtocolError(error)));
    connection.on('message', (type, data, frameCount) => {
      session?.report(reportMessage(type, data, frameCount));
      connection.send(type, data);
    });
    connection.on('close', (closedConnection) => {
      connections.delete(connection);
      session?.connections.delete(connection);
      session?.report({ type: 'closed', ...closedConnection });
    });
  };

  const openSession = (request: IncomingMessage, response: ServerResponse) => {
    if (sessions.size >= limits.maxSessions) {
      // Make room by pausing the oldest page that has no socket open; refuse if every page has one.
      const idle = [...sessions.values()].find((session) => session.connections.size === 0);
      if (!idle) return sendJson(response, 503, { error: `The lab is open in ${limits.maxSessions} pages already: close one and reload.` });
      idle.end('Another page opened the lab, so this one was paused: reload it to go on.');
      sessions.delete(idle.id);
    }
    const session = new LabSession(response);
    sessions.set(session.id, session);
    response.on('close', () => sessions.delete(session.id));
    session.report({ type: 'session', id: session.id, maxPayload: limits.maxPayload, idleTimeoutMs: limits.idleTimeoutMs });
  };

  const requestPing = (url: URL, response: ServerResponse) => {
    const session = sessions.get(url.searchParams.get('session') ?? '');
    if (!session) return sendJson(response, 404, { error: 'This lab page is no longer known to the server: reload it.' });
    const open = [...session.connections].filter((connection) => connection.state === 'open');
    if (open.length === 0) return sendJson(response, 409, { error: 'Connect first: there is no open WebSocket to ping.' });
    pings += 1;
    const payload = Buffer.from(`ping ${pings}`);
    for (const connection of open) connection.ping(payload);
    sendJson(response, 202, { payload: payload.toString() });
  };

  /** Answers the lab's own HTTP paths; false for every other request, which goes to the site. */
  const handleRequest = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = routes.find(([path]) => path === url.pathname);
    if (!route) return false;
    const [, method, handle] = route;
    request.resume();
    if (request.method !== method) {
      response.setHeader('Allow', method);
      sendJson(response, 405, { error: `Use ${method} here.` });
    } else {
      handle(url, request, response);
    }
    return true;
  };

  const routes: [path: string, method: string, handle: (url: URL, request: IncomingMessage, response: ServerResponse) => void][] = [
    [LabPath.events, 'GET', (_url, request, response) => openSession(request, response)],
    [LabPath.ping, 'POST', (url, _request, response) => requestPing(url, response)],
    [LabPath.socket, 'GET', (_url, _request, response) => sendJson(response, 426, { error: 'Open this address with a WebSocket.' }, { 'Sec-WebSocket-Version': '13', Upgrade: 'websocket' })],
  ];

  // Every 'request' listener sees every request, so a listener put first could answer the lab's
  // paths but not stop the site from answering them too (a 404): the site's listeners are wrapped
  // instead, as engine.io does it.
  const siteListeners = server.listeners('request') as RequestListener[];
  const onRequest: RequestListener = (request, response) => {
    if (!closed && handleRequest(request, response)) return;
    for (const listener of siteListeners) listener.call(server, request, response);
  };
  server.removeAllListeners('request');
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);

  return {
    async close() {
      if (closed) return;
      closed = true;
      server.off('upgrade', onUpgrade);
      if (server.listeners('request').includes(onRequest)) {
        server.off('request', onRequest);
        for (const listener of siteListeners) server.on('request', listener);
      }
      const ended = [...connections].map((connection) => new Promise<void>((resolve) => connection.once('close', () => resolve())));
      for (const connection of connections) connection.close(CloseCode.goingAway, STOPPING);
      for (const session of sessions.values()) session.end(STOPPING);
      sessions.clear();
      for (const socket of refused) socket.destroy();
      await Promise.all(ended);
    },
  };
}

/** rawHeaders, ["Host", "x", "Upgrade", "websocket"], as pairs in the order they came. */
function pairs(rawHeaders: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) result.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return result;
}

function sendJson(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
