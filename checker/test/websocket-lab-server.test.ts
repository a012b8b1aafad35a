// The WebSocket lab's server against real peers: the `ws` client, raw TCP sockets that break the
// protocol on purpose, and the page's report channel. Each test gets its own server on port 0.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { LabLimits } from '../site/labs/websocket/constants.ts';
import { FrameParser, type Frame } from '../site/labs/websocket/frame-parser.ts';
import { encodeClosePayload, encodeFrame } from '../site/labs/websocket/frame-writer.ts';
import type { LabEvent } from '../site/labs/websocket/lab-events.ts';
import { attachWebSocketLab } from '../site/labs/websocket/lab-server.ts';

const SOCKET_PATH = '/labs/websocket/socket';
const maskingKey = Buffer.from([1, 2, 3, 4]);
const masked = (frame: Parameters<typeof encodeFrame>[0]) => encodeFrame({ maskingKey, ...frame });

interface RunningLab {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const running: RunningLab[] = [];

/** A server that stands for the site (it answers "site" to any request), with the lab attached. */
async function startLab(limits: Partial<LabLimits> = {}): Promise<RunningLab> {
  const server = createServer((_request, response) => response.end('site'));
  const lab = attachWebSocketLab(server, limits);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await lab.close();
      // Resolves only once every socket is gone: a lab that leaves one open fails here, on the hook's timeout.
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    })());
  const running_ = { server, port, url: `ws://127.0.0.1:${port}${SOCKET_PATH}`, close };
  running.push(running_);
  return running_;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((lab) => lab.close()));
});

/** A `ws` client, open. */
async function openClient(url: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  await once(client, 'open');
  return client;
}

/** The lab still echoes for a new reader. */
async function expectEcho(lab: RunningLab): Promise<void> {
  const client = await openClient(lab.url);
  client.send('still here');
  const [data, isBinary] = await once(client, 'message');
  expect({ text: String(data), isBinary }).toEqual({ text: 'still here', isBinary: false });
  client.close(1000);
  await once(client, 'close');
}

/** A raw TCP peer that has done the handshake: it sends any bytes, and reads the server's frames. */
class RawPeer {
  readonly frames: Frame[] = [];
  readonly #parser = new FrameParser({ from: 'server', maxPayload: 1 << 20, onFrame: (frame) => this.#onFrame(frame) });
  #waiters: (() => void)[] = [];
  /** The server ended the TCP connection (a peer that allows half-open connections does not end its own side). */
  readonly ended: Promise<unknown>;

  constructor(readonly socket: Socket) {
    this.ended = Promise.race([once(socket, 'end'), once(socket, 'close')]);
  }

  static async open(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<RawPeer> {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
    socket.write(`GET ${SOCKET_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const peer = new RawPeer(socket);
    let head = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const response = head.subarray(0, end).toString();
        if (!response.startsWith('HTTP/1.1 101')) return reject(new Error(response));
        expect(response).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
        socket.on('data', (data: Buffer) => peer.#parser.push(data));
        peer.#parser.push(head.subarray(end + 4));
        resolve();
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    return peer;
  }

  #onFrame(frame: Frame): void {
    this.frames.push(frame);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** The first frame from the server that matches, waiting for it if need be. */
  async frame(matches: (frame: Frame) => boolean): Promise<Frame> {
    for (;;) {
      const found = this.frames.find(matches);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Sends `bytes`; the close code the server answers with, once it has also ended the TCP connection. */
  async closeCodeAfter(bytes: Buffer): Promise<number> {
    this.socket.write(bytes);
    const close = await this.frame((frame) => frame.opcode === 0x8);
    await this.ended;
    return close.payload.readUInt16BE(0);
  }
}

/** Sends raw bytes over TCP and returns all the server answered before it closed the connection. */
async function rawHttp(port: number, text: string): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.write(text);
  let answer = '';
  socket.on('data', (data) => (answer += data));
  await once(socket, 'close');
  return answer;
}

/** The page's report channel: every event the lab sent, and a way to wait for one. */
async function openEvents(port: number, path = '/labs/websocket/events') {
  const response = await new Promise<IncomingMessage>((resolve, reject) => httpRequest({ port, host: '127.0.0.1', path }, resolve).on('error', reject).end());
  const events: LabEvent[] = [];
  let waiters: (() => void)[] = [];
  let buffered = '';
  response.setEncoding('utf8');
  response.on('data', (text: string) => {
    buffered += text;
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data) events.push(JSON.parse(data) as LabEvent);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const ended = once(response, 'end');
  const next = async <T extends LabEvent['type']>(type: T, matches: (event: Extract<LabEvent, { type: T }>) => boolean = () => true) => {
    for (;;) {
      const found = events.find((event): event is Extract<LabEvent, { type: T }> => event.type === type && matches(event as Extract<LabEvent, { type: T }>));
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const session = await next('session');
  return { response, events, next, ended, session, close: () => response.destroy() };
}

describe('the ws client, a real peer', () => {
  test('text and binary messages come back as they went', async () => {
    const lab = await startLab();
    const client = await openClient(lab.url);
    client.send('hello');
    const [text, textIsBinary] = await once(client, 'message');
    expect([String(text), textIsBinary]).toEqual(['hello', false]);
    client.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const [binary, binaryIsBinary] = await once(client, 'message');
    expect([binary, binaryIsBinary]).toEqual([Buffer.from([0xde, 0xad, 0xbe, 0xef]), true]);
    client.close();
  });

  test('a message in fragments, with a ping between them and a character split across two, comes back whole', async () => {
    const lab = await startLab();
    const client = await openClient(lab.url);
    const pong = once(client, 'pong');
    client.send(Buffer.from('Hel\xc3', 'latin1'), { binary: false, fin: false });
    client.ping('between');
    client.send(Buffer.from('\xa9lo', 'latin1'), { binary: false, fin: true });
    const [data] = await once(client, 'message');
    expect(String(data)).toBe('Helélo');
    expect(String((await pong)[0])).toBe('between');
    client.close();
  });

  test('a ping is answered with a pong carrying the same payload', async () => {
    const lab = await startLab();
    const client = await openClient(lab.url);
    client.ping('are you there?');
    const [payload] = await once(client, 'pong');
    expect(String(payload)).toBe('are you there?');
    client.close();
  });

  test('a close with a code and a reason is answered with the same code, and the server ends TCP', async () => {
    const lab = await startLab();
    const client = await openClient(lab.url);
    client.close(4000, 'done for today');
    const [code, reason] = await once(client, 'close');
    expect([code, String(reason)]).toEqual([4000, 'done for today']);
  });

  test('a message of exactly 64 KiB, the cap, comes back; one byte more closes with 1009', async () => {
    const lab = await startLab();
    const client = await openClient(lab.url);
    client.send(Buffer.alloc(64 * 1024, 1));
    const [data] = await once(client, 'message');
    expect((data as Buffer).length).toBe(64 * 1024);
    client.send(Buffer.alloc(64 * 1024 + 1, 1));
    const [code] = await once(client, 'close');
    expect(code).toBe(1009);
    await expectEcho(lab);
  });
});

describe('a peer that breaks the protocol is closed with the right code, and the lab serves the next reader', () => {
  test.each([
    ['an unmasked frame from the client', encodeFrame({ opcode: 0x1, payload: Buffer.from('hi') }), 1002],
    ['a reserved opcode (0x3)', masked({ opcode: 0x3, payload: Buffer.from('hi') }), 1002],
    ['a reserved control opcode (0xB)', masked({ opcode: 0xb }), 1002],
    ['RSV1 set, with no extension negotiated', masked({ opcode: 0x1, rsv1: true, payload: Buffer.from('hi') }), 1002],
    ['a fragmented ping', masked({ opcode: 0x9, fin: false, payload: Buffer.from('hi') }), 1002],
    ['a ping of 126 bytes', masked({ opcode: 0x9, payload: Buffer.alloc(126) }), 1002],
    ['a continuation frame with no message begun', masked({ opcode: 0x0, payload: Buffer.from('hi') }), 1002],
    ['invalid UTF-8 in a text message', masked({ opcode: 0x1, payload: Buffer.from([0x48, 0xff, 0xfe]) }), 1007],
    [
      'invalid UTF-8 across the fragments of a text message',
      Buffer.concat([masked({ opcode: 0x1, fin: false, payload: Buffer.from([0xc3]) }), masked({ opcode: 0x0, payload: Buffer.from([0x28]) })]),
      1007,
    ],
    ['a close frame with a 1-byte payload', masked({ opcode: 0x8, payload: Buffer.from([0x03]) }), 1002],
    ['a close frame with code 1005, which may not be sent', masked({ opcode: 0x8, payload: encodeClosePayload(1005) }), 1002],
    ['a close reason that is not UTF-8', masked({ opcode: 0x8, payload: Buffer.concat([encodeClosePayload(1000), Buffer.from([0xff])]) }), 1007],
    [
      'a message over 64 KiB in fragments under it',
      Buffer.concat([masked({ opcode: 0x2, fin: false, payload: Buffer.alloc(40_000) }), masked({ opcode: 0x0, payload: Buffer.alloc(40_000) })]),
      1009,
    ],
  ].map(([name, bytes, code]) => ({ name, bytes: bytes as Buffer, code })))('$name → $code', async ({ bytes, code }) => {
    const lab = await startLab();
    const peer = await RawPeer.open(lab.port);
    expect(await peer.closeCodeAfter(bytes)).toBe(code);
    await expectEcho(lab);
  });

  test('a header announcing 1 GiB is refused with 1009 at once: the server waits for none of it', async () => {
    const lab = await startLab();
    const peer = await RawPeer.open(lab.port);
    const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0, ...maskingKey]);
    expect(await peer.closeCodeAfter(header)).toBe(1009);
    await expectEcho(lab);
  });

  test('a frame written a byte at a time is read whole', async () => {
    const lab = await startLab();
    const peer = await RawPeer.open(lab.port);
    peer.socket.setNoDelay(true);
    for (const byte of masked({ opcode: 0x1, payload: Buffer.from('slow') })) {
      await new Promise<void>((resolve) => peer.socket.write(Buffer.from([byte]), () => resolve()));
    }
    const echo = await peer.frame((frame) => frame.opcode === 0x1);
    expect(echo).toMatchObject({ masked: false, fin: true, payload: Buffer.from('slow') });
    peer.socket.destroy();
  });
});

describe('a malformed handshake gets an HTTP error, not a crash', () => {
  const handshake = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
  const base = ['Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade'];
  test.each([
    ['no Sec-WebSocket-Key', [`GET ${SOCKET_PATH} HTTP/1.1`, ...base, 'Sec-WebSocket-Version: 13'], /^HTTP\/1\.1 400 /],
    ['a key that is not 16 bytes', [`GET ${SOCKET_PATH} HTTP/1.1`, ...base, 'Sec-WebSocket-Key: c2hvcnQ=', 'Sec-WebSocket-Version: 13'], /^HTTP\/1\.1 400 /],
    ['version 8', [`GET ${SOCKET_PATH} HTTP/1.1`, ...base, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 8'], /^HTTP\/1\.1 426 [^]*\r\nSec-WebSocket-Version: 13\r\n/],
    ['no version', [`GET ${SOCKET_PATH} HTTP/1.1`, ...base, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='], /^HTTP\/1\.1 426 [^]*\r\nSec-WebSocket-Version: 13\r\n/],
    ['a POST', [`POST ${SOCKET_PATH} HTTP/1.1`, ...base, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', 'Content-Length: 0'], /^HTTP\/1\.1 405 [^]*\r\nAllow: GET\r\n/],
    ['a page of another site', [`GET ${SOCKET_PATH} HTTP/1.1`, ...base, 'Origin: http://elsewhere.example', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'], /^HTTP\/1\.1 403 /],
  ])('%s', async (_name, lines, expected) => {
    const lab = await startLab();
    expect(await rawHttp(lab.port, handshake(lines))).toMatch(expected);
    await expectEcho(lab);
  });

  test('a plain GET of the socket address is told to use a WebSocket', async () => {
    const lab = await startLab();
    const response = await fetch(`http://127.0.0.1:${lab.port}${SOCKET_PATH}`);
    expect(response.status).toBe(426);
    expect(response.headers.get('sec-websocket-version')).toBe('13');
    await response.text();
  });

  test('requests and upgrades for other paths are left to the site and to other labs', async () => {
    const lab = await startLab();
    lab.server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
      if (request.url === '/other') socket.end('HTTP/1.1 418 Not Me\r\nContent-Length: 0\r\n\r\n');
    });
    expect(await (await fetch(`http://127.0.0.1:${lab.port}/labs/websocket-lab/`)).text()).toBe('site');
    expect(await rawHttp(lab.port, 'GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')).toMatch(/^HTTP\/1\.1 418 Not Me\r\nContent-Length: 0\r\n\r\n$/);
  });
});

describe('resources are bounded', () => {
  test('past the cap on connections, a handshake is answered 503 until one closes', async () => {
    const lab = await startLab({ maxConnections: 2 });
    const clients = [await openClient(lab.url), await openClient(lab.url)];
    const refused = new WebSocket(lab.url);
    const [, response] = await once(refused, 'unexpected-response');
    expect((response as IncomingMessage).statusCode).toBe(503);
    refused.on('error', () => {});
    refused.terminate();
    clients[0]!.close();
    await once(clients[0]!, 'close');
    await expectEcho(lab);
    clients[1]!.close();
  });

  test('a connection idle past the idle time is closed with 1001', async () => {
    const lab = await startLab({ idleTimeoutMs: 200 });
    const client = await openClient(lab.url);
    const [code, reason] = await once(client, 'close');
    expect(code).toBe(1001);
    expect(String(reason)).toMatch(/No frame from you/);
  });

  test('a peer that never answers the close frame is dropped after the close timeout', async () => {
    const lab = await startLab({ idleTimeoutMs: 100, closeTimeoutMs: 200 });
    const peer = await RawPeer.open(lab.port, { allowHalfOpen: true });
    await peer.frame((frame) => frame.opcode === 0x8);
    await peer.ended;
    peer.socket.destroy();
  });

  test('Lab.close() closes every connection with 1001 and ends every report stream, so the server can stop', async () => {
    const lab = await startLab();
    const events = await openEvents(lab.port);
    const client = await openClient(`${lab.url}?session=${events.session.id}`);
    const peer = await RawPeer.open(lab.port, { allowHalfOpen: true });
    const clientClosed = once(client, 'close');
    await lab.close();
    const [code] = await clientClosed;
    expect(code).toBe(1001);
    await events.ended;
    await peer.ended;
    peer.socket.destroy();
    expect(events.events.at(-1)).toMatchObject({ type: 'session-ended' });
  });
});

describe('the report channel (Server-Sent Events) tells the page what the server saw', () => {
  test('handshake, frames both ways, messages, and the close', async () => {
    const lab = await startLab();
    const events = await openEvents(lab.port);
    const client = new WebSocket(`${lab.url}?session=${events.session.id}`);
    const opened = once(client, 'open');
    const [upgrade] = (await once(client, 'upgrade')) as [IncomingMessage];
    const handshake = await events.next('handshake');
    const key = handshake.request.headers.find(([name]) => name === 'Sec-WebSocket-Key')![1];
    const sha1 = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest();
    expect(handshake.accept).toEqual({ key, keyWithGuid: `${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`, sha1Hex: sha1.toString('hex'), accept: sha1.toString('base64') });
    expect(upgrade.headers['sec-websocket-accept']).toBe(handshake.accept.accept);
    await opened;
    expect(handshake.request.headers).toContainEqual(['Sec-WebSocket-Version', '13']);
    client.send('hello');
    const sent = await events.next('frame', ({ frame }) => frame.direction === 'client-to-server' && frame.opcode === 1);
    expect(sent.frame).toMatchObject({ fin: true, opcodeName: 'text', masked: true, payloadLength: 5, lengthEncoding: '7-bit', payloadHex: '68 65 6c 6c 6f', text: 'hello' });
    expect(sent.frame.maskingKeyHex).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2}){3}$/);
    const echoed = await events.next('frame', ({ frame }) => frame.direction === 'server-to-client' && frame.opcode === 1);
    expect(echoed.frame).toMatchObject({ masked: false, payloadHex: '68 65 6c 6c 6f', headerHex: '81 05' });
    client.send(Buffer.alloc(300));
    const large = await events.next('frame', ({ frame }) => frame.opcode === 2 && frame.direction === 'client-to-server');
    expect(large.frame).toMatchObject({ payloadLength: 300, lengthEncoding: '16-bit', shownBytes: 256 });
    client.close(4001, 'bye');
    await events.next('closed');
    expect(events.events.find((event) => event.type === 'closed')).toMatchObject({ code: 4001, reason: 'bye', initiatedBy: 'client', clean: true });
    events.close();
  });

  test('POST /labs/websocket/ping makes the server ping, and the client’s pong, masked, is reported', async () => {
    const lab = await startLab();
    const events = await openEvents(lab.port);
    const pingUrl = `http://127.0.0.1:${lab.port}/labs/websocket/ping?session=${events.session.id}`;
    expect((await fetch(pingUrl, { method: 'POST' })).status).toBe(409);
    const client = await openClient(`${lab.url}?session=${events.session.id}`);
    const answer = await fetch(pingUrl, { method: 'POST' });
    expect(answer.status).toBe(202);
    const { payload } = (await answer.json()) as { payload: string };
    const ping = await events.next('frame', ({ frame }) => frame.opcode === 0x9);
    expect(ping.frame).toMatchObject({ direction: 'server-to-client', masked: false, payloadHex: Buffer.from(payload).toString('hex').replace(/(..)(?!$)/g, '$1 ') });
    const pong = await events.next('frame', ({ frame }) => frame.opcode === 0xa);
    expect(pong.frame).toMatchObject({ direction: 'client-to-server', masked: true, payloadHex: ping.frame.payloadHex });
    expect((await fetch(pingUrl.replace(/session=\w+/, 'session=unknown'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(pingUrl)).status).toBe(405);
    client.close();
    events.close();
  });

  test('a protocol error is reported with its code before the connection closes', async () => {
    const lab = await startLab();
    const events = await openEvents(lab.port);
    const socket = connect({ port: lab.port, host: '127.0.0.1' });
    socket.write(`GET ${SOCKET_PATH}?session=${events.session.id} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    socket.write(encodeFrame({ opcode: 0x1, payload: Buffer.from('unmasked') }));
    socket.resume();
    expect(await events.next('protocol-error')).toMatchObject({ code: 'WS_ERR_EXPECTED_MASK', closeCode: 1002 });
    expect(await events.next('closed')).toMatchObject({ code: 1006, initiatedBy: 'server', clean: false });
    events.close();
  });

  test('past the cap on pages, the oldest page with no socket open is paused to make room', async () => {
    const lab = await startLab({ maxSessions: 1 });
    const first = await openEvents(lab.port);
    const second = await openEvents(lab.port);
    await first.ended;
    expect(first.events.at(-1)).toMatchObject({ type: 'session-ended' });
    const client = await openClient(`${lab.url}?session=${second.session.id}`);
    const third = await fetch(`http://127.0.0.1:${lab.port}/labs/websocket/events`);
    expect(third.status).toBe(503);
    await third.text();
    client.close();
    second.close();
  });
});
