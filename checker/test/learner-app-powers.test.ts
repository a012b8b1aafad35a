// The checks API's powers for steps 10-12: a network path that breaks on demand, a crash and
// restart of the learner's server, more processes of the learner's code (a node:cluster among
// them), a database file per judgement, and Redis. The proxy is tested here with a real
// Socket.IO server and real clients; the rest through the kit itself, judging small fixture
// steps whose check.ts uses each power and fails, saying why, when it does not work.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { ConditionWaiters } from '../checks/condition-waiters.ts';
import { CuttableProxy } from '../checks/cuttable-proxy.ts';
import { isRefusal } from '../checks/socket-client.ts';
import { hashLearnerFiles, listLearnerFiles } from '../progress/learner-files.ts';
import { findRedisServer } from '../redis/start-redis.ts';
import { repoRoot, runKit, type KitRun } from './helpers/run-kit.ts';
import { leftRunning, spareLearner } from './helpers/variant.ts';

describe('the cuttable proxy', () => {
  const closers: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  /** Woken by every event of the servers and clients below: tests wait for a condition, with a bound. */
  const waiters = new ConditionWaiters();
  const waitUntil = (condition: () => boolean, timeoutMs = 2000) => waiters.waitUntil(condition, timeoutMs);

  /** A Socket.IO server on port 0 that answers `echo` through the acknowledgement and counts what it got. */
  async function startEchoServer() {
    const http: HttpServer = createServer();
    const server = new Server(http);
    const counts = { connections: 0, disconnections: 0, received: [] as string[] };
    server.on('connection', (socket) => {
      counts.connections += 1;
      waiters.wake();
      socket.on('echo', (text: string, reply: (text: string) => void) => {
        counts.received.push(text);
        reply(text);
      });
      socket.on('disconnect', () => {
        counts.disconnections += 1;
        waiters.wake();
      });
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/`, counts };
  }

  async function openProxy(target: () => string): Promise<CuttableProxy> {
    const proxy = await CuttableProxy.open(target);
    closers.push(() => proxy.close());
    return proxy;
  }

  /** A WebSocket-only client that reconnects fast, as steps 10-11's checks make them; it counts its attempts and why it lost its connection. */
  async function connectThrough(proxy: CuttableProxy) {
    const socket: Socket = io(proxy.url, { forceNew: true, transports: ['websocket'], reconnectionDelay: 20, reconnectionDelayMax: 50 });
    closers.push(() => void socket.close());
    const client = { socket, connects: 0, attempts: 0, disconnectReasons: [] as string[] };
    socket.on('connect', () => (client.connects += 1));
    socket.on('disconnect', (reason) => client.disconnectReasons.push(reason));
    socket.io.on('reconnect_attempt', () => (client.attempts += 1));
    socket.io.on('reconnect_error', () => waiters.wake());
    for (const event of ['connect', 'disconnect'] as const) socket.on(event, () => waiters.wake());
    expect(await waitUntil(() => client.connects === 1)).toBe(true);
    return client;
  }

  test('passes a Socket.IO connection through, and counts it', async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(proxy.connections).toBe(0);
    const { socket } = await connectThrough(proxy);
    expect(await socket.timeout(1000).emitWithAck('echo', 'hello')).toBe('hello');
    expect(proxy.connections).toBe(1);
    expect(await proxy.waitForConnections(1, 100)).toBe(true);
    expect(await proxy.waitForConnections(2, 100)).toBe(false);
  });

  test('cut() ends the connection on both sides, and the client comes back through it', async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    const client = await connectThrough(proxy);
    proxy.cut();
    expect(await waitUntil(() => server.counts.disconnections === 1 && client.disconnectReasons.length === 1)).toBe(true);
    expect(client.disconnectReasons).toEqual(['transport close']);
    expect(await waitUntil(() => client.connects === 2 && server.counts.connections === 2)).toBe(true);
    expect(await proxy.waitForConnections(1)).toBe(true);
    expect(await client.socket.timeout(1000).emitWithAck('echo', 'again')).toBe('again');
  });

  test('offline, every attempt to reconnect fails fast and the client keeps trying; online, it gets back', async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    const client = await connectThrough(proxy);
    proxy.goOffline();
    expect(await waitUntil(() => client.attempts >= 3)).toBe(true);
    expect(client.connects).toBe(1);
    expect(proxy.connections).toBe(0);
    expect(server.counts.connections).toBe(1);
    proxy.goOnline();
    expect(await waitUntil(() => client.connects === 2 && server.counts.connections === 2)).toBe(true);
  });

  test("isRefusal() tells the server's answer to a handshake from an attempt that failed on the way", async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    const client = await connectThrough(proxy);
    const errors: Error[] = [];
    client.socket.on('connect_error', (error) => {
      errors.push(error);
      waiters.wake();
    });
    proxy.goOffline();
    expect(await waitUntil(() => errors.length >= 2)).toBe(true);
    expect(errors.map((error) => [error.message, isRefusal(error)])).toContainEqual(['websocket error', false]);
    expect(errors.filter(isRefusal)).toEqual([]);

    const http: HttpServer = createServer();
    const refusing = new Server(http);
    refusing.use((socket, next) => next(socket.handshake.auth.withData ? Object.assign(new Error('taken'), { data: { why: 'it is' } }) : new Error('taken')));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    closers.push(() => new Promise((resolve) => refusing.close(resolve)));
    for (const withData of [false, true]) {
      const refused: Socket = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`, { forceNew: true, transports: ['websocket'], reconnection: false, auth: { withData } });
      closers.push(() => void refused.close());
      const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
      expect([error.message, isRefusal(error)]).toEqual(['taken', true]);
    }
  });

  test('dropReplies() loses the acknowledgement on its way back, until the connection is cut', async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    const client = await connectThrough(proxy);
    proxy.dropReplies();
    await expect(client.socket.timeout(300).emitWithAck('echo', 'lost reply')).rejects.toThrow(/timed out/);
    expect(server.counts.received).toEqual(['lost reply']);
    proxy.cut();
    expect(await waitUntil(() => client.connects === 2)).toBe(true);
    expect(await client.socket.timeout(1000).emitWithAck('echo', 'after the cut')).toBe('after the cut');
  });

  test('dropRequests() loses the message on its way in, until the connection is cut', async () => {
    const server = await startEchoServer();
    const proxy = await openProxy(() => server.url);
    const client = await connectThrough(proxy);
    proxy.dropRequests();
    await expect(client.socket.timeout(300).emitWithAck('echo', 'lost message')).rejects.toThrow(/timed out/);
    expect(server.counts.received).toEqual([]);
    expect(client.socket.connected).toBe(true);
    proxy.cut();
    expect(await waitUntil(() => client.connects === 2)).toBe(true);
    expect(await client.socket.timeout(1000).emitWithAck('echo', 'after the cut')).toBe('after the cut');
    expect(server.counts.received).toEqual(['after the cut']);
  });

  test('each new connection goes to the target of the moment: a restarted server', async () => {
    const first = await startEchoServer();
    const second = await startEchoServer();
    let target = first.url;
    const proxy = await openProxy(() => target);
    const client = await connectThrough(proxy);
    target = second.url;
    proxy.cut();
    expect(await waitUntil(() => client.connects === 2)).toBe(true);
    expect([first.counts.connections, second.counts.connections]).toEqual([1, 1]);
  });

  test('close() ends its connections and stops accepting new ones', async () => {
    const server = await startEchoServer();
    const proxy = await CuttableProxy.open(() => server.url);
    const client = await connectThrough(proxy);
    await proxy.close();
    expect(await waitUntil(() => client.disconnectReasons.length === 1 && server.counts.disconnections === 1)).toBe(true);
    expect(await waitUntil(() => client.attempts >= 2)).toBe(true);
    expect(server.counts.connections).toBe(1);
  });
});

describe('files a learner\'s server writes', () => {
  test('the chat database and its journals are not the learner\'s files: progress, reset and restore leave them out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workshop-db-files-'));
    try {
      writeFileSync(join(dir, 'index.ts'), 'console.log(1);\n');
      const hash = await hashLearnerFiles(dir);
      for (const name of ['chat.db', 'chat.db-wal', 'chat.db-shm', 'chat.db-journal']) writeFileSync(join(dir, name), 'data');
      expect(await listLearnerFiles(dir)).toEqual(['index.ts']);
      expect(await hashLearnerFiles(dir)).toBe(hash);
      // A file that only starts like one is the learner's.
      writeFileSync(join(dir, 'chat.db.ts'), 'export {};\n');
      expect(await listLearnerFiles(dir)).toEqual(['chat.db.ts', 'index.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `pgrep -a` lines of the redis-server processes running now, e.g. `1234 /usr/bin/redis-server 127.0.0.1:41234`. */
function redisServersRunning(): string[] {
  try {
    return execFileSync('pgrep', ['-a', 'redis-server'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return [];
  }
}

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));

describe('through the kit', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  /**
   * A step of its own, 01-powers, in a copy of steps/ beside it (so that its imports resolve):
   * `files` are its check.ts and its learner's files, with the fixture server as index.ts unless given.
   */
  function makeStep(files: Record<string, string>): string {
    const root = mkdtempSync(join(repoRoot, 'tmp-test-steps-'));
    roots.push(root);
    const dir = join(root, '01-powers');
    mkdirSync(dir);
    for (const [name, text] of Object.entries({ 'README.md': '# Step 01 · Powers\n', 'index.ts': fixtureServer, 'index.html': fixturePage, ...files })) {
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  async function judge(dir: string, env: NodeJS.ProcessEnv = {}): Promise<KitRun> {
    const run = await runKit(['check', '1'], { WORKSHOP_STEPS_DIR: dirname(dir), ...env });
    expect(await leftRunning(dirname(dir)), run.output).toBe('');
    return run;
  }

  const expectPass = (run: KitRun) => {
    expect(run.output).toContain('Step 01 passes');
    expect(run.code).toBe(0);
  };

  /**
   * A Socket.IO chat server that logs its pid, what its database file held when it started, and
   * each connection. It notes where its database is in a hidden file, which no watcher heeds.
   */
  const fixtureServer = `import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';

const database = process.env.CHAT_DB ?? fileURLToPath(new URL('./chat.db', import.meta.url));
const before = existsSync(database) ? readFileSync(database, 'utf8').trim().split('\\n').join(',') : 'nothing';
appendFileSync(database, \`\${process.pid}\\n\`);
writeFileSync(new URL('./.last-database', import.meta.url), database);
const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8');

const server = createServer((req, res) => res.setHeader('content-type', 'text/html').end(page));
const io = new Server(server);
io.on('connection', (socket) => {
  console.log('connected');
  socket.on('echo', (text: string, reply: (text: string) => void) => reply(text));
});
server.listen(3000, () => console.log(\`pid \${process.pid} listening; the database held \${before}\`));
`;

  const fixturePage = `<!doctype html>
<ul id="messages"></ul>
<script src="/socket.io/socket.io.js"></script>
<script>
  const socket = io({ reconnectionDelay: 50, reconnectionDelayMax: 100 });
  socket.on('connect', () => {
    const item = document.createElement('li');
    item.textContent = 'connected';
    document.getElementById('messages').append(item);
  });
</script>
`;

  const checkHead = `import { check, fail } from '../../checker/checks/check.ts';\n`;

  test('a page opened through the proxy talks through it, and comes back after a cut', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}
check('page-via-proxy', 'a page through the proxy', async (app) => {
  const proxy = await app.proxy();
  const page = await app.openPage('/', { via: proxy });
  if (!(await page.waitForMessage('connected'))) fail({ expected: 'the page to connect', actual: 'it did not' });
  if (proxy.connections < 1) fail({ expected: 'the page to connect through the proxy', actual: 'no connection went through it' });
  // On its WebSocket first, as step 10's checks do before a cut: cut while it moves there from
  // long-polling, and the page may not see its connection go until the ping timeout (45 s). An
  // answer over the WebSocket shows that the server moved too.
  if (!(await page.engine.waitUntil("socket.connected && socket.io.engine?.transport?.name === 'websocket'", 5000))) fail({ expected: 'the page to move to a WebSocket', actual: 'it did not' });
  await page.engine.evaluate("socket.timeout(3000).emitWithAck('echo', 'on the WebSocket').then(() => true, () => false)");
  const mark = app.log.mark();
  proxy.cut();
  if (!(await page.engine.waitUntil("document.querySelectorAll('li').length === 2", 10000))) fail({ expected: 'the page to connect again after a cut', actual: \`it has \${(await page.messages()).length} connections\` });
  // The server's log line comes through a pipe of its own, and may come after the page's event.
  if (!(await app.log.waitFor('connected', { from: mark }))) fail({ expected: 'the server to see the page connect again', actual: app.log.tail().join(' / ') });
});
`,
    });
    expectPass(await judge(dir));
  });

  test('a restart prepared ahead runs the process started when it was prepared, and only one is started', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}import { listNodeChildren } from '../../checker/processes/child-pids.ts';

check('prepared', 'a restart prepared ahead', async (app) => {
  // The checks run in a thread of the kit's process: the learner's processes are its children.
  const first = await listNodeChildren(process.pid);
  await app.prepareRestart();
  await app.prepareRestart();
  const prepared = (await listNodeChildren(process.pid)).filter((pid) => !first.includes(pid));
  if (prepared.length !== 1) fail({ expected: 'one process started for the restart, however often it is prepared', actual: \`\${prepared.length}: \${prepared.join(', ')}\` });
  const mark = app.log.mark();
  await app.restart();
  const line = await app.log.waitFor(/pid \\d+ listening/, { from: mark });
  if (line?.text.match(/pid (\\d+)/)?.[1] !== String(prepared[0])) fail({ expected: \`the restarted server to be process \${prepared[0]}, started when the restart was prepared\`, actual: line?.text ?? app.log.tail().join(' / ') });
  if ((await app.get('/')).status !== 200) fail({ expected: 'the restarted server to answer', actual: 'it did not' });
});
`,
    });
    expectPass(await judge(dir));
  });

  test('restart() crashes the server and starts it again on a new port, with the same database, log and proxy', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}
check('restart', 'a restart', async (app) => {
  const proxy = await app.proxy();
  const { socket } = await app.connect({ via: proxy, client: { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 } });
  const oldUrl = app.url;
  const started = await app.log.waitFor(/pid \\d+ listening/);
  const oldPid = /pid (\\d+)/.exec(started!.text)![1];
  const reconnected = new Promise((resolve) => socket.io.once('reconnect', resolve));
  await app.restart();
  if (app.url === oldUrl) fail({ expected: 'a new URL after a restart', actual: \`it is still \${oldUrl}\` });
  const line = await app.log.waitFor(new RegExp(\`listening; the database held \${oldPid}$\`));
  if (!line) fail({ expected: 'the new process to find what the first wrote in CHAT_DB, in the same log', actual: app.log.tail().join(' / ') });
  if ((await app.get('/')).status !== 200) fail({ expected: 'app.get to reach the new server', actual: 'it did not' });
  await reconnected;
  const answer = await socket.timeout(1000).emitWithAck('echo', 'still there');
  if (answer !== 'still there') fail({ expected: 'the client to reach the new server through the proxy', actual: String(answer) });
});

check('after-restart', 'the next check sees the restarted server', async (app) => {
  if ((await app.get('/')).status !== 200) fail({ expected: 'the restarted server to serve the next check', actual: 'it did not' });
});
`,
    });
    const run = await judge(dir);
    expectPass(run);
    // The database file was the judgement's own: not the learner's chat.db, and gone with its folder.
    const database = readFileSync(join(dir, '.last-database'), 'utf8');
    expect(database).toMatch(/chat-workshop-db-[^/]+\/chat\.db$/);
    expect(existsSync(dirname(database))).toBe(false);
    expect(existsSync(join(dir, 'chat.db'))).toBe(false);
    // A second judgement starts from an empty database of its own.
    const again = await judge(dir);
    expectPass(again);
    expect(readFileSync(join(dir, '.last-database'), 'utf8')).not.toBe(database);
  });

  test.runIf(Boolean(findRedisServer()))('under `npm run watch`, what a judgement started ends with it, and the next judgement starts afresh', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

check('restart', 'a restart, a Redis server and one more server', async (app) => {
  await app.restart();
  if (!(await app.log.waitFor(/listening; the database held \\d+$/))) fail({ expected: 'the restarted server', actual: app.log.tail().join(' / ') });
  writeFileSync(join(app.learnerDir, '.redis-url'), (await app.redis()).url);
  await app.startServer();
});
`,
    });
    const watching = spawn(process.execPath, [kit, 'watch', '1'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', WORKSHOP_STEPS_DIR: dirname(dir) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const verdicts = () => output.match(/Step 01 passes/g)?.length ?? 0;
    const passes = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const test = () => verdicts() >= count && resolve();
        watching.stdout!.on('data', test);
        watching.once('exit', () => reject(new Error(`npm run watch ended: ${output}`)));
        test();
      });
    watching.stdout!.on('data', (data) => (output += data));
    watching.stderr!.on('data', (data) => (output += data));
    try {
      await passes(1);
      // Between judgements, nothing of the learner's runs, nor Redis. One process waits for the
      // next judgement, started ahead; it has not run the learner's code (which writes
      // .last-database as it starts): the next judgement must see a database of its own.
      expect(await leftRunning(dirname(dir), 3000, spareLearner)).toBe('');
      expect(execFileSync('pgrep', ['-af', dirname(dir)], { encoding: 'utf8' }).trim().split('\n').filter((line) => spareLearner.test(line))).toHaveLength(1);
      const { port } = new URL(readFileSync(join(dir, '.redis-url'), 'utf8'));
      expect(redisServersRunning().filter((line) => line.endsWith(`:${port}`))).toEqual([]);
      const first = readFileSync(join(dir, '.last-database'), 'utf8');
      writeFileSync(join(dir, 'index.ts'), `${fixtureServer}// saved again\n`);
      await passes(2);
      expect(readFileSync(join(dir, '.last-database'), 'utf8')).not.toBe(first);
      expect(await leftRunning(dirname(dir), 3000, spareLearner)).toBe('');
    } finally {
      const exited = once(watching, 'exit');
      watching.kill('SIGINT');
      await exited;
    }
  });

  test('a server that does not start again fails the check with the reason and its last lines on stderr', async () => {
    const dir = makeStep({
      'index.ts': `import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
if (existsSync(process.env.CHAT_DB!)) {
  console.error('the database is already there');
  throw new Error('cannot start twice');
}
writeFileSync(process.env.CHAT_DB!, '');
createServer().listen(3000);
`,
      'check.ts': `${checkHead}
check('restart', 'a restart', async (app) => {
  await app.restart();
});
`,
    });
    const run = await judge(dir);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Expected your server to start again after a crash \(the checker ended it with SIGKILL, then ran index\.ts again\)/);
    expect(run.output).toMatch(/but +it crashed with Error: cannot start twice at tmp-test-steps-[^/]+\/01-powers\/index\.ts:5(:\d+)?\. Its last lines on stderr:\n +│ /);
    expect(run.output).toMatch(/│ the database is already there/);
  });

  test('startServer() runs a node:cluster primary and its workers, reported by the primary, and ends them all', async () => {
    const dir = makeStep({
      'cluster.ts': `import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
if (cluster.isPrimary) {
  for (let i = 0; i < Number(process.env.WORKERS); i += 1) cluster.fork();
} else {
  const server = createServer();
  new Server(server).on('connection', (socket) => socket.on('echo', (text: string, reply: (text: string) => void) => reply(\`\${text} from \${process.pid}\`)));
  server.listen(3000, () => console.log(\`worker \${process.pid} listening, CHAT_DB \${process.env.CHAT_DB ? 'set' : 'unset'}\`));
}
`,
      'check.ts': `${checkHead}
const workers: number[] = [];

// Round-robin, as on Linux and macOS, where the primary listens; 'none', as on Windows, where the workers do.
for (const policy of ['rr', 'none']) check(\`cluster-\${policy}\`, \`a cluster, scheduling \${policy}\`, async (app) => {
  const cluster = await app.startServer({ entry: 'cluster.ts', env: { WORKERS: '2', NODE_CLUSTER_SCHED_POLICY: policy } });
  if (cluster.url === app.url) fail({ expected: 'a server of its own', actual: 'it has the URL of the first' });
  if (!(await cluster.log.waitUntil(() => cluster.log.findAll(/worker \\d+ listening, CHAT_DB set/).length === 2))) fail({ expected: 'two workers with CHAT_DB', actual: cluster.log.tail().join(' / ') });
  const pids = await cluster.workerPids();
  if (pids.length !== 2 || pids.includes(cluster.pid)) fail({ expected: 'the pids of two workers', actual: JSON.stringify(pids) });
  workers.push(...pids);
  const { socket } = await app.connect({ via: cluster });
  const answer = String(await socket.timeout(1000).emitWithAck('echo', 'hi'));
  if (!pids.some((pid) => answer === \`hi from \${pid}\`)) fail({ expected: 'a worker to answer', actual: answer });
  await cluster.kill('SIGTERM');
  const exit = await cluster.exited;
  if (exit.signal !== 'SIGTERM') fail({ expected: 'the primary to end by SIGTERM', actual: JSON.stringify(exit) });
  // Three processes start, on a machine busy with the kit's other tests.
}, { timeoutMs: 15_000 });

check('one-more', 'a server of the fixture', async (app) => {
  workers.push((await app.startServer()).pid);
});

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

check('all-gone', 'the servers of a check end with it', async () => {
  // A killed process is gone a moment after the signal: give it up to 2 s.
  const deadline = Date.now() + 2000;
  while (workers.some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const alive = workers.filter(running);
  if (alive.length > 0) fail({ expected: 'every process of the checks above to be gone', actual: \`\${alive.join(', ')} still run\` });
});
`,
    });
    const run = await judge(dir);
    expectPass(run);
    expect(run.output).toMatch(/✓ a cluster, scheduling rr\n +✓ a cluster, scheduling none/);
  });

  test('startServer() fails the check, saying why, when the code does not listen', async () => {
    const dir = makeStep({
      'broken.ts': "process.exit(4);\n",
      'check.ts': `${checkHead}
check('broken', 'a broken server', async (app) => {
  await app.startServer({ entry: 'broken.ts' });
});
`,
    });
    const run = await judge(dir);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Expected broken\.ts to start a server that listens\n +but +it stopped with exit code 4\./);
  });

  test.runIf(Boolean(findRedisServer()))('redis() starts one Redis server for the judgement, and ends it', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'redis';
let first = '';

check('redis', 'a Redis server', async (app) => {
  first = (await app.redis()).url;
  writeFileSync(join(app.learnerDir, '.redis-url'), first);
  const client = createClient({ url: first });
  await client.connect();
  const answer = await client.ping();
  await client.quit();
  if (answer !== 'PONG') fail({ expected: 'PONG', actual: answer });
});

check('redis-again', 'the same one', async (app) => {
  const { url } = await app.redis();
  if (url !== first) fail({ expected: first, actual: url });
});
`,
    });
    expectPass(await judge(dir, { REDIS_URL: '' }));
    const { port } = new URL(readFileSync(join(dir, '.redis-url'), 'utf8'));
    expect(redisServersRunning().filter((line) => line.endsWith(`:${port}`))).toEqual([]);
  });

  test('redis() gives REDIS_URL when set, and says how to install Redis when there is none', async () => {
    const dir = makeStep({
      'check.ts': `${checkHead}
check('redis', 'a Redis server', async (app) => {
  const { url } = await app.redis();
  if (url !== 'redis://example.test:6380') fail({ expected: 'REDIS_URL', actual: url });
});
`,
    });
    expectPass(await judge(dir, { REDIS_URL: 'redis://example.test:6380' }));
    // No redis-server on this PATH, nor anything else: the kit runs node by its full path.
    const emptyFolder = mkdtempSync(join(tmpdir(), 'workshop-empty-path-'));
    const run = await judge(dir, { REDIS_URL: '', PATH: emptyFolder });
    rmSync(emptyFolder, { recursive: true });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Expected a Redis server for the checks of this step\n      but      redis-server is not installed (it is not on your PATH): install it');
    expect(run.output).toContain('`sudo apt-get install redis-server`');
    expect(run.output).toContain('`brew install redis`');
    expect(run.output).toContain('set REDIS_URL');
  });
});
