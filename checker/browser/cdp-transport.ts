// The DevTools connection to the browser the checker launched, handed to playwright ready-made.
// Playwright's own asks for permessage-deflate, so that both ends compress every message over
// 10 KB (the browser, all of them): over loopback that only costs CPU, on both sides, at every
// page a check opens. This one does not compress; the messages are the same.
import WebSocket from 'ws';
import type { ConnectOverCDPTransport } from 'playwright-core';

/** A connection to `wsEndpoint` (ws://127.0.0.1:…/devtools/browser/…), once it is open. */
export function openCdpTransport(wsEndpoint: string, timeoutMs: number): Promise<ConnectOverCDPTransport> {
  return new Promise((resolve, reject) => {
    // As playwright's: the protocol's larger answers (a page's content) can be tens of megabytes.
    const socket = new WebSocket(wsEndpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, handshakeTimeout: timeoutMs });
    const transport: ConnectOverCDPTransport = {
      send: (message) => socket.send(JSON.stringify(message)),
      close: () => socket.close(),
    };
    // Each message in a task of its own, as playwright's transport hands them on: what one
    // message sets off runs before the next arrives. One that cannot be read or handled ends the
    // connection, as in playwright's: its pages then fail with the reason, not the worker.
    socket.on('message', (data) =>
      setImmediate(() => {
        try {
          transport.onmessage?.(JSON.parse(String(data)) as object);
        } catch {
          socket.close();
        }
      }),
    );
    socket.once('close', (_code, reason) => transport.onclose?.(String(reason)));
    socket.once('open', () => {
      socket.off('error', reject);
      // Later errors end the connection, which 'close' tells playwright.
      socket.on('error', () => {});
      resolve(transport);
    });
    socket.once('error', reject);
  });
}
