// `npm run load`, run for real against step 09's reference solution with a few clients: the
// summary's figures are there and hold together, and so is the comparison with the bare io.emit
// chat; bad options get one sentence, and whether it ends by itself or on Ctrl+C, it leaves no
// server and no temp file behind. Then its own Socket.IO client, against a real Socket.IO server.
// No figure is held to a time, and nothing waits a fixed time: only for events, with deadlines.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, test } from 'vitest';
import { readReceiptId } from '../load/receipt-id.ts';
import { ConnectError, WireClient } from '../load/wire-client.ts';
import { kitTemporaryFiles } from './helpers/kit-temporary-files.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning } from './helpers/variant.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const serverDir = join(repoRoot, 'steps', '09-rooms', 'solution');
const bareChatDir = fileURLToPath(new URL('../load/bare-chat/', import.meta.url));
const clients = 20;
const rate = 10;
const seconds = 2;
const smallRun = (duration: number) => ['load', '--step', '9', '--solution', '--clients', String(clients), '--rate', String(rate), '--duration', String(duration)];

// Each run gets a temp folder of its own, which must be empty again when the run is over.
let tempDir: string | undefined;
afterEach(() => {
  // Only the runs of the kit make one: the client's own tests have none.
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});
const freshTempDir = () => (tempDir = mkdtempSync(join(tmpdir(), 'load-test-')));

/** The first number in the summary line named `name` that follows `before`, e.g. `p99`. */
function figure(output: string, name: string, before = ''): number {
  const line = new RegExp(`^  ${name} .*$`, 'm').exec(output)?.[0];
  expect(line, `the summary has a "${name}" line`).toBeDefined();
  const value = new RegExp(`${before}\\s*(-?[\\d,]+(?:\\.\\d+)?)`).exec(line!)?.[1];
  expect(value, `the "${name}" line has a number after "${before}"`).toBeDefined();
  return Number(value!.replaceAll(',', ''));
}

test('measures step 09 with 20 clients: every message reaches every other client, and each figure is there', async () => {
  const run = await runKit(smallRun(seconds), { TMPDIR: freshTempDir() });
  expect(run.code, run.output).toBe(0);
  expect(run.output).toContain('WebSocket only');
  expect(run.output).toMatch(/^connecting .*20 of 20 clients$/m);

  expect(figure(run.output, 'clients')).toBe(clients);
  expect(run.output).toMatch(/clients +20 of 20 connected in \d+\.\d s/);
  const sent = rate * seconds;
  expect(run.output).toMatch(new RegExp(`sent +${rate}\\.0 messages/s \\(${sent} in ${seconds} s, ${sent} accepted\\)`));
  // Each message goes to everyone in #general but its sender.
  expect(run.output).toMatch(new RegExp(`delivered +[\\d,.]+ messages/s \\(${sent * (clients - 1)} copies to the other clients\\)`));
  expect(figure(run.output, 'delivered')).toBeGreaterThan(0);

  const p50 = figure(run.output, 'broadcast latency', 'p50');
  const p99 = figure(run.output, 'broadcast latency', 'p99');
  const max = figure(run.output, 'broadcast latency', 'max');
  expect(p50).toBeGreaterThan(0);
  expect(p50).toBeLessThanOrEqual(p99);
  expect(p99).toBeLessThanOrEqual(max);
  // A copy cannot take longer than the whole run.
  expect(max).toBeLessThan(run.ms);

  const heapPerConnection = figure(run.output, 'server heap');
  expect(heapPerConnection).toBeGreaterThan(0);
  expect(heapPerConnection).toBeLessThan(1024);
  expect(run.output).toMatch(/while connecting +CPU: server \d+ % of a core, this tool \d+ %$/m);
  expect(run.output).toMatch(/while sending +CPU: server \d+ % of a core, this tool \d+ %; this tool's event-loop delay p99 \d+\.\d ms$/m);
  // The goals are printed next to the figures, even those a small run does not measure.
  expect(run.output).toContain('goal p99 ≤ 100 ms at 100 messages/s: not measured (--rate 10)');
  // Nothing went wrong; the one warning that may come, of a busy machine, says nothing of the server.
  expect(run.output).not.toMatch(/✖|could not connect|lost their connection|refused|no acknowledgement|not expected|had not arrived|could not be measured/);

  // Then the same load on the bare chat, and each figure both share as a ratio to its.
  expect(run.output).toMatch(/^Baseline: the same load on a bare Socket.IO chat/m);
  expect(run.output.match(/^connecting .*20 of 20 clients$/gm)).toHaveLength(2);
  expect(run.output).toContain('Compared with a bare Socket.IO chat (io.emit to everyone, nothing else');
  for (const name of ['receipts', 'latency p50', 'latency p99', 'server CPU', 'server heap']) {
    expect(figure(run.output, name), `a ratio for ${name}`).toBeGreaterThan(0);
    expect(run.output).toMatch(new RegExp(`^  ${name} +[\\d.,]+× the bare chat \\(`, 'm'));
  }
  // io.emit sends each message to its sender too: 20 copies of each, all counted, none unexpected.
  const bareReceipts = /receipts +.*vs ([\d,]+)\/s\)/.exec(run.output)?.[1];
  expect(Number(bareReceipts?.replaceAll(',', ''))).toBeGreaterThan(0);
  expect(run.output).toMatch(/server CPU +.* per copy delivered$/m);
  expect(run.output).toMatch(/server heap +.* per connection$/m);

  expect(await leftRunning(serverDir)).toBe('');
  expect(await leftRunning(bareChatDir)).toBe('');
  expect(kitTemporaryFiles(readdirSync(tempDir!))).toEqual([]);
});

test('--no-baseline measures the chat alone', async () => {
  const run = await runKit([...smallRun(1), '--no-baseline'], { TMPDIR: freshTempDir() });
  expect(run.code, run.output).toBe(0);
  expect(run.output).toMatch(/^  broadcast latency +p50/m);
  expect(run.output).not.toMatch(/Baseline|bare/);
  expect(run.output.match(/^connecting /gm)).toHaveLength(1);
  expect(kitTemporaryFiles(readdirSync(tempDir!))).toEqual([]);
});

test.each([
  ['chat', smallRun(600), /20 of 20 clients/],
  // The chat's run is short, and Ctrl+C comes as the bare chat starts: it has a second of sending still to go.
  ['bare chat', smallRun(1), /^Baseline/m],
])('Ctrl+C while the %s is loaded ends the run at once and leaves nothing behind', async (_, args, sendingNow) => {
  freshTempDir();
  // Long enough, in the first case, that only Ctrl+C can end it within the test's time.
  const child = spawn(process.execPath, [kit, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tempDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const sending = new Promise<void>((resolve) => {
    child.stdout.on('data', (data) => {
      output += data;
      // All clients are connected and the messages are flowing; or the bare chat is starting.
      if (sendingNow.test(output)) resolve();
    });
  });
  const exited = once(child, 'exit');
  await sending;
  child.kill('SIGINT');
  const [code, signal] = await exited;
  expect(code ?? signal).toBe(130);
  expect(await leftRunning(serverDir)).toBe('');
  expect(await leftRunning(bareChatDir)).toBe('');
  expect(kitTemporaryFiles(readdirSync(tempDir!))).toEqual([]);
});

test.each([
  [['--clients', 'many'], '--clients takes a whole number from 2 to 10000, not "many".'],
  [['--clients', '20', '--rate', '100'], '--rate 100 over 20 clients is more than 1 message a second per client'],
  [['--step', '5'], 'needs the chat of step 9 or later'],
  [['--step', '9', '--processes', '2'], '--processes 2 needs step 12 or later'],
  [['--clinets', '20'], "Unknown option '--clinets': the options are --step, --solution, --clients, --rate, --duration, --processes and --no-baseline (`npm run load -- --help` says more)"],
])('%j is refused in one sentence', async (args, says) => {
  const run = await runKit(['load', ...args]);
  expect(run.output).toContain(says);
  expect(run.output.trim().split('\n')).toHaveLength(1);
  expect(run.code).toBe(2);
});

test('--help lists every option with its default, and the goals', async () => {
  const run = await runKit(['load', '--help']);
  for (const option of ['--step N', '--solution', '--clients N', '--rate N', '--duration N', '--processes N', '--no-baseline']) expect(run.output).toContain(option);
  expect(run.output).toMatch(/--no-baseline .*bare Socket.IO chat\s+\(io.emit to everyone, nothing else\), and the figures are also given as ratios to it/);
  expect(run.output).toContain('(default: 1000)');
  expect(run.output).toContain('Goals: 1000 clients; p99 broadcast latency ≤ 100 ms at 100 messages/s; server heap ≤ 15 KB per connection.');
  expect(run.code).toBe(0);
});

test('an option npm kept for itself (no `--`) is named, with the command to type', async () => {
  const run = await runKit(['load', '20'], { npm_config_clients: 'true' });
  expect(run.output).toContain('npm kept --clients for itself: put `--` before the options');
  expect(run.code).toBe(2);
});

describe("the load test's own Socket.IO client", () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const clients: WireClient[] = [];

  /** A real Socket.IO server on a free port, which refuses a nickname of "nobody" as the chat would, in its handshake. */
  async function startServer(options: ConstructorParameters<typeof Server>[1] = {}): Promise<void> {
    http = createServer();
    io = new Server(http, options);
    io.use((socket, next) => (socket.handshake.auth['nickname'] === 'nobody' ? next(new Error('Choose a nickname first.')) : next()));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  async function connect(options: Partial<Parameters<typeof WireClient.connect>[1]> = {}): Promise<WireClient> {
    const client = await WireClient.connect(url, { timeoutMs: 5000, ...options });
    clients.push(client);
    return client;
  }

  /** The server's socket of the next client to connect. */
  const nextConnection = () => once(io, 'connection').then(([socket]) => socket as Socket);

  /** `promise`, or a failure naming what did not happen within `ms`. */
  function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await io.close();
  });

  test('joins the main namespace with its auth, and a refusal is the server\'s own sentence', async () => {
    await startServer();
    const connection = nextConnection();
    const client = await connect({ auth: { nickname: 'load-1' } });
    expect(client.connected).toBe(true);
    expect((await within(connection, 'the connection')).handshake.auth).toEqual({ nickname: 'load-1' });

    const refused = WireClient.connect(url, { timeoutMs: 5000, auth: { nickname: 'nobody' } });
    await expect(refused).rejects.toThrow(ConnectError);
    await expect(refused).rejects.toThrow(/^Choose a nickname first\.$/);
  });

  test('an event with an acknowledgement goes there and back, and the events the server sends come as frames', async () => {
    await startServer();
    const connection = nextConnection();
    const frames: Buffer[] = [];
    let frameCame: () => void;
    const twoFrames = new Promise<void>((resolve) => (frameCame = resolve));
    const client = await connect({
      onEventFrame: (bytes, start, end) => {
        frames.push(Buffer.from(bytes.subarray(start, end)));
        if (frames.length === 2) frameCame();
      },
    });
    const socket = await within(connection, 'the connection');
    socket.once('chat message', (message: unknown, reply: (answer: unknown) => void) => reply({ ok: true, got: message }));
    const answer = await within(new Promise((resolve) => client.emit('chat message', [{ id: 'x1', text: 'hé "quoted"' }], resolve)), 'the acknowledgement');
    expect(answer).toEqual({ ok: true, got: { id: 'x1', text: 'hé "quoted"' } });
    // Without a callback, no acknowledgement is asked for: the server's handler gets no function.
    const withoutAck = within(new Promise((resolve) => socket.once('chat message', (_: unknown, reply: unknown) => resolve(typeof reply))), 'the event');
    client.emit('chat message', [{ id: 'x2' }]);
    expect(await withoutAck).toBe('undefined');

    socket.emit('notice', 'load-2 joined');
    socket.emit('chat message', { id: 'x3', text: 'hello' });
    await within(twoFrames, 'two events');
    expect(frames.map(String)).toEqual(['42["notice","load-2 joined"]', '42["chat message",{"id":"x3","text":"hello"}]']);
  });

  test('answers every ping, so that the server keeps the connection', async () => {
    // Pings often, but waits long for each pong: a busy machine may hold the test's process up a while.
    await startServer({ pingInterval: 50, pingTimeout: 5000 });
    const connection = nextConnection();
    const client = await connect();
    const socket = await within(connection, 'the connection');
    let pongs = 0;
    const fivePongs = new Promise<void>((resolve) =>
      socket.conn.on('packet', ({ type }: { type: string }) => {
        if (type === 'pong' && ++pongs === 5) resolve();
      }),
    );
    await within(fivePongs, 'five pongs');
    expect(socket.connected).toBe(true);
    expect(client.connected).toBe(true);
  });

  test('tells a connection the server ended, and closes as socket.io-client does', async () => {
    await startServer();
    const drops: string[] = [];
    let dropTold: () => void;
    const told = new Promise<void>((resolve) => (dropTold = resolve));
    const onDrop = (reason: string) => {
      drops.push(reason);
      dropTold();
    };
    const firstConnection = nextConnection();
    const dropped = await connect({ onDrop });
    const first = await within(firstConnection, 'the connection');
    first.disconnect(true);
    await within(told, 'the drop');
    expect(drops).toEqual(['io server disconnect']);
    expect(dropped.connected).toBe(false);

    const secondConnection = nextConnection();
    const closing = await connect({ onDrop });
    const second = await within(secondConnection, 'the connection');
    const reason = once(second, 'disconnect').then(([why]) => why as string);
    closing.close();
    expect(await within(reason, 'the disconnect')).toBe('client namespace disconnect');
    // Closed on purpose: no drop to tell.
    expect(drops).toEqual(['io server disconnect']);
  });

  test('a handshake with no answer fails in time, saying so', async () => {
    // A plain HTTP server that never answers the upgrade.
    http = createServer();
    io = new Server(createServer());
    http.on('upgrade', () => {});
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const silent = WireClient.connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { timeoutMs: 300 });
    await expect(within(silent, 'the failure')).rejects.toThrow('no answer to the handshake within 0.3 s');
    http.closeAllConnections();
    http.close();
  });
});

describe('reading which message a receipt is of', () => {
  const id = '0b8f2a4e-2d0c-4a57-9a53-1bd2f1c8a6e1';
  const frame = (text: string) => Buffer.from(text);

  test.each([
    ['a stored message (step 10 on), with its offset', `42["chat message",{"id":"${id}","room":"general","author":"load-1","text":"load test ${id}","offset":12}]`],
    ['the id after other fields, and the recovery offset last', `42["chat message",{"author":"a \\"id\\":\\"b","id":"${id}"},"7"]`],
    ['the text alone (step 09)', `42["chat message",{"author":"load-1","text":"load test ${id}"}]`],
    ['an id that is no UUID, found by decoding after all', `42["chat message",{"id":"short-one","text":"hi"}]`],
  ])('%s', (_, text) => {
    expect(readReceiptId(frame(text))).toBe(text.includes('short-one') ? 'short-one' : id);
  });

  test('only the frame\'s own bytes are read: what lies past its end is left over from earlier reads', () => {
    const noId = '42["chat message",{"text":"hi"}]';
    const shared = Buffer.from(`xx${noId}{"id":"${id}"}`);
    expect(readReceiptId(shared, 2, 2 + noId.length)).toBe('hi');
    const withId = `42["chat message",{"id":"${id}"}]`;
    expect(readReceiptId(Buffer.from(`xx${withId}yy`), 2, 2 + withId.length)).toBe(id);
  });

  test('another event is no receipt', () => {
    expect(readReceiptId(frame(`42["notice","load-1 joined"]`))).toBeNull();
    expect(readReceiptId(frame(`42["online",["load-1"]]`))).toBeNull();
  });
});
