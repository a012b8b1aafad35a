// The opening handshake (RFC 6455, section 4.2): checking the client's upgrade request, computing
// Sec-WebSocket-Accept, and writing the 101 answer or an HTTP error.
import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { WEBSOCKET_GUID, WEBSOCKET_VERSION } from './constants.ts';

/** Each step from the client's key to the server's accept value, for the page to show. */
export interface AcceptComputation {
  key: string;
  keyWithGuid: string;
  sha1Hex: string;
  accept: string;
}

export function computeAccept(key: string): AcceptComputation {
  const keyWithGuid = key + WEBSOCKET_GUID;
  const sha1 = createHash('sha1').update(keyWithGuid, 'latin1').digest();
  return { key, keyWithGuid, sha1Hex: sha1.toString('hex'), accept: sha1.toString('base64') };
}

export type UpgradeCheck =
  | { ok: true; key: string }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

/** A key is 16 random bytes in base64: 22 characters and `==`. */
const keyPattern = /^[A-Za-z0-9+/]{22}==$/;

const hasToken = (header: string | undefined, token: string) =>
  (header ?? '').split(',').some((part) => part.trim().toLowerCase() === token);

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Whether an upgrade request is a valid WebSocket opening handshake, and if not, the HTTP answer. */
export function checkUpgradeRequest(request: IncomingMessage): UpgradeCheck {
  const { headers } = request;
  if (request.method !== 'GET') {
    return { ok: false, status: 405, message: 'A WebSocket handshake is a GET request.', headers: { Allow: 'GET' } };
  }
  if (!hasToken(headers.upgrade, 'websocket')) {
    return { ok: false, status: 400, message: 'The Upgrade header must be "websocket".' };
  }
  if (!hasToken(headers.connection, 'upgrade')) {
    return { ok: false, status: 400, message: 'The Connection header must include "Upgrade".' };
  }
  if (!headers.host) return { ok: false, status: 400, message: 'The Host header is missing.' };
  // A page of another site may not use the lab's connections (section 10.2).
  if (headers.origin && !sameHost(headers.origin, headers.host)) {
    return { ok: false, status: 403, message: 'Only pages of this site may open the lab.' };
  }
  if (headers['sec-websocket-version'] !== WEBSOCKET_VERSION) {
    return {
      ok: false,
      status: 426,
      message: `This server speaks WebSocket version ${WEBSOCKET_VERSION} only.`,
      headers: { 'Sec-WebSocket-Version': WEBSOCKET_VERSION },
    };
  }
  const key = headers['sec-websocket-key'];
  if (!key || !keyPattern.test(key)) {
    return { ok: false, status: 400, message: 'Sec-WebSocket-Key must be 16 bytes in base64.' };
  }
  return { ok: true, key };
}

/** The 101 answer. No Sec-WebSocket-Extensions: the lab declines permessage-deflate, so RSV1 stays 0. */
export function acceptResponse(accept: string): string {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n');
}

/** A complete HTTP error answer, after which the server closes the connection. */
export function rejectResponse(status: number, message: string, headers: Record<string, string> = {}): string {
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
