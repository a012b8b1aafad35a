// The Socket.IO lab (docs/labs/socketio-lab.md): `npm start` on port 0, real socket.io-client
// clients on the lab's path, and the lab's page in Chromium showing its own packets.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import type { ChatReply, ClientToServerEvents, ServerToClientEvents } from '../site/labs/socketio/events.ts';
import { LAB_PATH, MAX_HTTP_BUFFER_SIZE, MAX_MESSAGE_LENGTH, RATE_LIMIT_BURST } from '../site/labs/socketio/limits.ts';
import { createRateLimiter } from '../site/labs/socketio/rate-limit.ts';
import { repoRoot } from './helpers/run-kit.ts';

type LabClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
let site: ChildProcess;
let base = '';
let output = '';

beforeAll(async () => {
  site = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1' } });
  await new Promise<void>((resolve, reject) => {
    site.stdout!.on('data', (data) => {
      output += data;
      const url = /open at (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (url) {
        base = url;
        resolve();
      }
    });
    site.stderr!.on('data', (data) => (output += data));
    site.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
  });
});

afterAll(async () => {
  // The site ended on its own: a reader's packet must never bring it down.
  if (site.exitCode !== null || site.signalCode !== null) throw new Error(`npm start ended during the tests: ${output}`);
  const exited = once(site, 'exit');
  site.kill('SIGINT');
  await exited;
});

const clients: LabClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

/** A connected client of the lab, WebSocket only unless told otherwise; never reconnects. */
async function connectClient(options: Partial<ManagerOptions & SocketOptions> = {}): Promise<LabClient> {
  const client: LabClient = io(base, { path: LAB_PATH, transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

/** Every chat message the client receives, from now on. */
function collectMessages(client: LabClient): string[] {
  const messages: string[] = [];
  client.on('chat message', (text) => messages.push(text));
  return messages;
}

/** Resolves with the next chat message equal to `text` (Socket.IO keeps each connection's order). */
function nextMessage(client: LabClient, text: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (received: string) => {
      if (received !== text) return;
      client.off('chat message', listener);
      resolve();
    };
    client.on('chat message', listener);
  });
}

/** The same client without its types: a misbehaving client sends what the types forbid. */
const untyped = (client: LabClient) => client as unknown as Socket;

test('a chat message from one reader reaches every reader, its author included', async () => {
  const [alice, bob] = [await connectClient(), await connectClient({ transports: ['polling'] })];
  const heard = Promise.all([nextMessage(alice, 'hi'), nextMessage(bob, 'hi')]);
  alice.emit('chat message', 'hi');
  await heard;
  const reply = await alice.timeout(5000).emitWithAck('chat message', 'with an ack');
  expect(reply).toEqual({ ok: true } satisfies ChatReply);
});

describe('payloads that are not a chat message are refused, and the server stays up', () => {
  const tooLong = 'x'.repeat(MAX_MESSAGE_LENGTH + 1);
  test.each([
    ['a number', 42, 'must be a string'],
    ['an object', { text: 'hi' }, 'must be a string'],
    ['an empty string', '', 'cannot be empty'],
    ['blanks only', '   ', 'cannot be empty'],
    [`${MAX_MESSAGE_LENGTH + 1} characters`, tooLong, `at most ${MAX_MESSAGE_LENGTH} characters`],
  ])('%s', async (_name, payload, why) => {
    const [sender, reader] = [await connectClient(), await connectClient()];
    const heard = collectMessages(reader);
    // With an acknowledgement callback the refusal comes back through it…
    const reply = (await untyped(sender).timeout(5000).emitWithAck('chat message', payload)) as ChatReply;
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining(why) });
    // …without one, as a notice.
    const notice = new Promise<string>((resolve) => sender.once('notice', resolve));
    untyped(sender).emit('chat message', payload);
    expect(await notice).toContain(why);
    // The server handles a connection's packets in order: once "after" arrives, nothing else will.
    const after = nextMessage(reader, 'after');
    sender.emit('chat message', 'after');
    await after;
    expect(heard).toEqual(['after']);
  });

  test.each([['websocket'], ['polling']])(
    `a packet over maxHttpBufferSize (${MAX_HTTP_BUFFER_SIZE} bytes) on %s ends that connection only`,
    async (transport) => {
      const sender = await connectClient({ transports: [transport] });
      const reader = await connectClient();
      const heard = collectMessages(reader);
      const disconnected = new Promise<string>((resolve) => sender.once('disconnect', resolve));
      untyped(sender).emit('chat message', 'x'.repeat(MAX_HTTP_BUFFER_SIZE));
      expect(await disconnected).toMatch(/transport (close|error)/);
      const newcomer = await connectClient();
      const after = nextMessage(reader, 'still here');
      newcomer.emit('chat message', 'still here');
      await after;
      expect(heard).toEqual(['still here']);
    },
  );
});

test(`a flood is cut after ${RATE_LIMIT_BURST} messages, with one notice`, async () => {
  const sender = await connectClient();
  const heard = collectMessages(sender);
  const notices: string[] = [];
  const noticed = new Promise<void>((resolve) =>
    sender.on('notice', (text) => {
      notices.push(text);
      resolve();
    }),
  );
  for (let n = 1; n <= RATE_LIMIT_BURST + 4; n++) sender.emit('chat message', `flood ${n}`);
  await noticed;
  // The notice is sent on the same connection after the messages let through, so they came first.
  expect(heard).toEqual(Array.from({ length: RATE_LIMIT_BURST }, (_, index) => `flood ${index + 1}`));
  expect(notices).toEqual([expect.stringMatching(/^Slow down/)]);
});

test('the rate limiter refills one event per period, up to the burst', () => {
  let now = 0;
  const limiter = createRateLimiter(2, 1000, () => now);
  expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, false]);
  now = 999;
  expect(limiter.take()).toBe(false);
  now = 2000;
  expect(limiter.take()).toBe(true);
  now = 60_000;
  expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, false]);
});

test('a page from another site cannot connect', async () => {
  const client: LabClient = io(base, { path: LAB_PATH, transports: ['polling'], forceNew: true, reconnection: false, extraHeaders: { Origin: 'http://elsewhere.example' } });
  clients.push(client);
  const outcome = await new Promise<string>((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('connect_error', (error) => resolve(error.message));
  });
  expect(outcome).toBe('xhr poll error');
});

test('in Chromium, the lab page shows its own packets: the upgrade, then "hi" sent and received', async () => {
  const executablePath = findBrowser();
  if (!executablePath) {
    expect(process.env['CI'], 'CI must have a browser').toBeFalsy();
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${base}/labs/socketio-lab/`);

    /** The packet list as the reader sees it: one "direction transport literal" line per packet. */
    const listed = () =>
      page.$$eval('.sio-packets > li:not(.sio-note)', (rows) =>
        rows.map((row) => `${row.querySelector('.sio-route')?.textContent} ${row.querySelector('.sio-raw')?.textContent}`),
      );
    const waitForTransport = (name: string) => page.waitForFunction((name) => document.querySelector('.sio-transport-name')?.textContent === name, name);

    await waitForTransport('websocket');
    const upgrade = await listed();
    expect(upgrade[0]).toMatch(
      new RegExp(`^received · polling · HTTP GET response 0\\{"sid":"[^"]+","upgrades":\\["websocket"\\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":${MAX_HTTP_BUFFER_SIZE}\\}$`),
    );
    const probe = upgrade.indexOf('sent · websocket 2probe');
    expect(probe).toBeGreaterThan(0);
    expect(upgrade.indexOf('received · websocket 3probe')).toBeGreaterThan(probe);
    expect(upgrade.indexOf('sent · websocket 5')).toBeGreaterThan(upgrade.indexOf('received · websocket 3probe'));

    await page.fill('#sio-message', 'hi');
    await page.press('#sio-message', 'Enter');
    await page.waitForFunction(() => document.querySelector('.sio-chat-lines')?.textContent?.includes('hi'));
    const chat = await listed();
    expect(chat).toContain('sent · websocket 42["chat message","hi"]');
    expect(chat).toContain('received · websocket 42["chat message","hi"]');
    const decoded = await page.locator('.sio-sent', { hasText: '42["chat message","hi"]' }).locator('.sio-what').textContent();
    expect(decoded).toContain('Socket.IO 2 EVENT "chat message"');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('stopping the site ends the open lab connections, so that it stops at once', async () => {
  const { startSiteServer } = await import('../site/server.ts');
  const running = await startSiteServer({ port: 0, host: '127.0.0.1' });
  const client: LabClient = io(`http://localhost:${running.port}`, { path: LAB_PATH, transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
  const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
  await running.stop();
  await disconnected;
  expect(running.server.listening).toBe(false);
  client.close();
});
