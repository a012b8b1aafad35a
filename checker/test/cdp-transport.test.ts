// The checker's own DevTools connection, against a real WebSocket server on loopback: it asks for
// no compression, hands each message on as an object, and a message it cannot read ends it.
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { openCdpTransport } from '../browser/cdp-transport.ts';

let server: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that offers compression, as Chromium's does; resolves with its first connection and the extensions it was asked for. */
async function listen(): Promise<{ url: string; connected: Promise<{ peer: WebSocket; extensions: string | undefined }> }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  await new Promise((resolve) => server!.once('listening', resolve));
  const connected = new Promise<{ peer: WebSocket; extensions: string | undefined }>((resolve) =>
    server!.once('connection', (peer, request) => resolve({ peer, extensions: request.headers['sec-websocket-extensions'] })),
  );
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/devtools/browser/x`, connected };
}

test('asks for no compression, and carries messages both ways as objects', async () => {
  const { url, connected } = await listen();
  const transport = await openCdpTransport(url, 5000);
  const { peer, extensions } = await connected;
  expect(extensions).toBeUndefined();
  const sent = new Promise<string>((resolve) => peer.once('message', (data) => resolve(String(data))));
  transport.send({ id: 1, method: 'Browser.getVersion' });
  expect(JSON.parse(await sent)).toEqual({ id: 1, method: 'Browser.getVersion' });
  const received = new Promise<object>((resolve) => (transport.onmessage = resolve));
  peer.send(JSON.stringify({ id: 1, result: { product: 'Chrome' } }));
  expect(await received).toEqual({ id: 1, result: { product: 'Chrome' } });
  transport.close();
});

test('a message that is not JSON ends the connection, which playwright is told', async () => {
  const { url, connected } = await listen();
  const transport = await openCdpTransport(url, 5000);
  const { peer } = await connected;
  const closed = new Promise<string>((resolve) => (transport.onclose = () => resolve('closed')));
  transport.onmessage = () => {};
  peer.send('not json');
  expect(await Promise.race([closed, delay(5000, 'still open')])).toBe('closed');
});

test('an address where nothing listens is refused, not waited for', async () => {
  const { url } = await listen();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  await expect(openCdpTransport(url, 5000)).rejects.toThrow(/ECONNREFUSED/);
});
