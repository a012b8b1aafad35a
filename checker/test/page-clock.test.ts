// A page opened with a clock: the checks skip through the page's own time (checks/skipped-time.ts)
// instead of idling through it, and only as far as the page's connection survives.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatPage } from '../browser/chat-page.ts';
import { openChromiumPage } from '../browser/chromium-engine.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';
import { pageNow, pageShowsWithin } from '../checks/skipped-time.ts';

/** A page whose timer marks it `seconds` after it connected, served with these ping settings. */
async function serve(pingTimeout: number): Promise<{ url: string; close: () => Promise<void> }> {
  const page = `<!doctype html><script src="/socket.io/socket.io.js"></script><script>
    const socket = io({ transports: ['websocket'] });
    socket.on('connect', () => {
      window.connectedAt = Date.now();
      setTimeout(() => { window.markedAt = Date.now(); window.marked = true; }, 5000);
    });
  </script>`;
  const http: HttpServer = createServer((request, response) => {
    if (request.url === '/') response.end(page);
  });
  const io = new Server(http, { pingTimeout, pingInterval: 25_000 });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/`, close: () => io.close() };
}

const chromium = findBrowser();
let browser: LaunchedBrowser | undefined;
beforeAll(async () => {
  if (chromium) browser = await launchBrowser(chromium);
});
afterAll(async () => {
  await browser?.close();
});

async function openConnected(url: string, clock: boolean): Promise<ChatPage> {
  const page = new ChatPage(await openChromiumPage(browser!, url, 4000, { clock }));
  expect(await page.engine.waitUntil('socket.connected', 4000)).toBe(true);
  return page;
}

describe.runIf(chromium)('the page clock', () => {
  test('skips through a 5 s timer of the page: the page sees the time passed, the checker did not wait it', async () => {
    const server = await serve(20_000);
    try {
      const page = await openConnected(server.url, true);
      const before = await pageNow(page);
      const started = performance.now();
      expect(await pageShowsWithin(page, 'window.marked === true', 6000)).toBe(true);
      // Read in the page, between its connection and its timer: the test learns of the connection
      // later, by however long a busy machine takes to tell it.
      expect(await page.engine.evaluate<number>('window.markedAt - window.connectedAt')).toBeGreaterThanOrEqual(4900);
      const pagePassed = (await pageNow(page)) - before;
      // Whatever the machine's speed: the page's time ran ahead of the real time by what was skipped.
      expect(pagePassed - (performance.now() - started)).toBeGreaterThan(2000);
      await page.close();
    } finally {
      await server.close();
    }
  });

  test('a wait that ends without its condition says so, after the page time it was given', async () => {
    const server = await serve(20_000);
    try {
      const page = await openConnected(server.url, true);
      const before = await pageNow(page);
      expect(await pageShowsWithin(page, 'window.marked === true', 2000)).toBe(false);
      const passed = (await pageNow(page)) - before;
      expect(passed).toBeGreaterThanOrEqual(2000);
      expect(passed).toBeLessThan(5000);
      await page.close();
    } finally {
      await server.close();
    }
  });

  test('never skips more than the connection survives: with a ping timeout of 2 s, it waits in real time', async () => {
    const server = await serve(2000);
    try {
      const page = await openConnected(server.url, true);
      expect(await page.engine.skipAhead!(250)).toBe(false);
      await page.close();
    } finally {
      await server.close();
    }
  });

  test('a page opened without a clock is not skipped', async () => {
    const server = await serve(20_000);
    try {
      const page = await openConnected(server.url, false);
      expect(await page.engine.skipAhead!(250)).toBe(false);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
