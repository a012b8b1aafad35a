// Who can reach the workshop site: this machine only, unless the learner shares it; and then only
// through names of this machine, from the site's own pages. Real `npm start` processes, real
// HTTP requests and WebSocket handshakes, a real Socket.IO client.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from './helpers/run-kit.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const started: ChildProcess[] = [];
const clients: Socket[] = [];

interface RunningSite {
  port: number;
  output: () => string;
}

/** `npm start` as a learner runs it, on a free port: resolves once it says where it is open. */
async function startSite(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningSite> {
  const site = spawn(process.execPath, [kit, 'start', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1', ...env },
  });
  started.push(site);
  let output = '';
  site.stdout!.on('data', (data) => (output += data));
  site.stderr!.on('data', (data) => (output += data));
  const port = await new Promise<number>((resolve, reject) => {
    site.stdout!.on('data', () => {
      // Resolved once the whole first message is there: the sharing line comes with it.
      const match = /open at http:\/\/[^:\s]+:(\d+)[\s\S]*stop the site with Ctrl\+C/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    site.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
  });
  return { port, output: () => output };
}

async function stopAll(): Promise<void> {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(
    started.splice(0).map(async (site) => {
      if (site.exitCode !== null || site.signalCode !== null) return;
      const exited = once(site, 'exit');
      site.kill('SIGINT');
      await exited;
    }),
  );
}

interface Answer {
  status: number;
  body: string;
}

/** The status and the text of an HTTP answer, once it has all come. */
function readAnswer(response: IncomingMessage, resolve: (answer: Answer) => void): void {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => resolve({ status: response.statusCode!, body }));
}

/** A GET with the Host and Origin headers given, as a browser would send them. */
function get(port: number, path: string, headers: Record<string, string>, address = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: address, port, path, headers }, (response) => readAnswer(response, resolve));
    sent.on('error', reject);
    sent.end();
  });
}

/** A WebSocket opening handshake: 'upgraded' when the server switched protocols, else its status and text. */
function handshake(port: number, path: string, headers: Record<string, string>): Promise<'upgraded' | Answer> {
  return new Promise((resolve, reject) => {
    const sent = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    sent.on('upgrade', (_response, socket) => {
      socket.destroy();
      resolve('upgraded');
    });
    sent.on('response', (response) => readAnswer(response, resolve));
    sent.on('error', reject);
    sent.end();
  });
}

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The first IPv4 address of this machine on a network, if it has one. */
const networkAddress = () =>
  Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .find((address) => address.family === 'IPv4' && !address.internal)?.address;

const liveProgress = '/live/socket.io/?EIO=4&transport=websocket';
const socketIoLab = '/labs/socket.io/?EIO=4&transport=websocket';
const webSocketLab = '/labs/websocket/socket';

describe('npm start, as it starts by default', () => {
  let site: RunningSite;
  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(stopAll);

  test('listens on 127.0.0.1 only: the machine answers, its network address does not', async () => {
    expect(await accepts('127.0.0.1', site.port)).toBe(true);
    const external = networkAddress();
    if (external) expect(await accepts(external, site.port), `${external}:${site.port} must refuse`).toBe(false);
    // Whatever the network, the kernel's own table says where it listens.
    const { readFile } = await import('node:fs/promises');
    const listening = [await readFile('/proc/net/tcp', 'utf8'), await readFile('/proc/net/tcp6', 'utf8').catch(() => '')]
      .join('\n')
      .split('\n')
      .filter((line) => line.trim().split(/\s+/)[3] === '0A' && line.includes(`:${site.port.toString(16).toUpperCase().padStart(4, '0')} `))
      .map((line) => line.trim().split(/\s+/)[1]);
    expect(listening).toEqual([`0100007F:${site.port.toString(16).toUpperCase().padStart(4, '0')}`]);
    expect(site.output()).not.toContain('Shared on your network');
  });

  test('answers to the names of this machine', async () => {
    for (const host of ['localhost', '127.0.0.1', 'lab.localhost', hostname()]) {
      const answer = await get(site.port, '/', { Host: `${host}:${site.port}` });
      expect(answer.status, `Host: ${host}`).toBe(200);
    }
  });

  test('refuses a request whose Host names another site (DNS rebinding), with the reason and the way out', async () => {
    const answer = await get(site.port, '/', { Host: `rebound.example:${site.port}` });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('answers only to the names of its own machine (localhost, its addresses), not to "rebound.example"');
    expect(answer.body).toContain('DOCS_ALLOWED_HOSTS=rebound.example npm start');
    expect(await get(site.port, '/search-index.json', { Host: 'rebound.example' })).toMatchObject({ status: 403 });
    // Said once in the terminal, however often it is asked.
    await get(site.port, '/', { Host: `rebound.example:${site.port}` });
    await expect.poll(() => site.output().match(/Refused a request: .*"rebound\.example"/g)?.length, { timeout: 5000 }).toBe(1);
  });

  test('the live-progress socket and both labs refuse a handshake from a page of another site', async () => {
    const own = `http://localhost:${site.port}`;
    for (const path of [liveProgress, socketIoLab, webSocketLab]) {
      expect(await handshake(site.port, path, { Host: `localhost:${site.port}`, Origin: own }), path).toBe('upgraded');
      const foreign = await handshake(site.port, path, { Host: `localhost:${site.port}`, Origin: 'https://elsewhere.example' });
      expect(foreign, path).toMatchObject({ status: 403 });
      // Rebound: the page's own name in Host and Origin alike, which a same-origin test lets through.
      const rebound = await handshake(site.port, path, { Host: `rebound.example:${site.port}`, Origin: `http://rebound.example:${site.port}` });
      expect(rebound, path).toMatchObject({ status: 403 });
    }
    expect(await handshake(site.port, liveProgress, { Host: `localhost:${site.port}`, Origin: 'null' })).toMatchObject({ status: 403 });
  });

  test('a Socket.IO client sent by a page of another site cannot follow the progress; the site’s own page can', async () => {
    const connectAs = (origin: string) => {
      const client = io(`http://localhost:${site.port}`, { path: '/live/socket.io/', transports: ['polling'], extraHeaders: { Origin: origin }, reconnection: false, forceNew: true });
      clients.push(client);
      return new Promise<string>((resolve) => {
        client.once('progress', () => resolve('progress'));
        client.once('connect_error', (error) => resolve(error.message));
      });
    };
    expect(await connectAs('https://elsewhere.example')).toBe('xhr poll error');
    expect(await connectAs(`http://localhost:${site.port}`)).toBe('progress');
  });
});

describe('npm start, shared or named', () => {
  afterEach(stopAll);

  test('`npm start -- --host` listens on the network and says which address to give out', async () => {
    const site = await startSite(['--host']);
    const external = networkAddress();
    if (external) {
      expect(site.output()).toContain(`Shared on your network: give out http://${external}:${site.port}; anyone on this network can open it.`);
      expect(await get(site.port, '/', { Host: `${external}:${site.port}` }, external)).toMatchObject({ status: 200 });
    } else {
      expect(site.output()).toContain('Shared on your network, but this machine has no network address yet');
    }
    expect(await get(site.port, '/', { Host: `rebound.example:${site.port}` })).toMatchObject({ status: 403 });
  });

  test('DOCS_HOST=0.0.0.0 shares it too, and `npm start --host` without -- (npm passes it on as a setting)', async () => {
    const fromVariable = await startSite([], { DOCS_HOST: '0.0.0.0' });
    expect(fromVariable.output()).toContain('Shared on your network');
    const fromNpm = await startSite([], { npm_config_host: 'true' });
    expect(fromNpm.output()).toContain('Shared on your network');
  });

  test('DOCS_ALLOWED_HOSTS and a codespace’s forwarded name are answered; other names are not', async () => {
    const site = await startSite([], {
      DOCS_ALLOWED_HOSTS: 'workshop.example, class.example',
      CODESPACE_NAME: 'fuzzy-train-x7',
      GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev',
    });
    for (const host of ['workshop.example', 'class.example:443', 'fuzzy-train-x7-4000.app.github.dev']) {
      expect((await get(site.port, '/', { Host: host })).status, host).toBe(200);
    }
    for (const host of ['other.example', 'someone-else-4000.app.github.dev']) {
      expect((await get(site.port, '/', { Host: host })).status, host).toBe(403);
    }
  });

  test('an unknown option, or an address this machine does not have, is one sentence and exit code 2', async () => {
    const run = async (args: string[]) => {
      const site = spawn(process.execPath, [kit, 'start', ...args], { cwd: repoRoot, env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1' } });
      started.push(site);
      let output = '';
      site.stdout!.on('data', (data) => (output += data));
      site.stderr!.on('data', (data) => (output += data));
      const [code] = await once(site, 'exit');
      return { code, output: output.trim() };
    };
    expect(await run(['--hots'])).toEqual({
      code: 2,
      output: '✖ `npm start` takes one option, --host, to share the site on your network (e.g. `npm start -- --host`), not "--hots".',
    });
    // 192.0.2.0/24 is for documentation: no machine has it.
    expect(await run(['--host', '192.0.2.7'])).toEqual({
      code: 2,
      output: '✖ This machine has no address "192.0.2.7" to share the site on: run `npm start -- --host` to share it on every network this machine is on.',
    });
  });
});
