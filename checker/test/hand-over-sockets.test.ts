// A cluster's primary that hands a connection to a worker (learner/preload/hand-over-sockets.ts):
// what the client sends while the worker has not taken the connection yet reaches the worker. The
// worker is stopped (SIGSTOP) while the connection is on its way, so that moment lasts as long as
// the test needs: without the preload, the primary reads those bytes and drops them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startLearnerServer, type LearnerServer } from '../learner/learner-process.ts';
import { eventually } from './helpers/eventually.ts';

const dir = mkdtempSync(join(tmpdir(), 'hand-over-sockets-'));
const started: LearnerServer[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  await Promise.all(started.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
});

// The primary hands the first connection to its worker, stopped, and starts the worker again when
// a second connection says "go". The worker sends back everything it reads.
const cluster = `import cluster from 'node:cluster';
import { createServer } from 'node:net';
if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('message', (message) => { if (message === 'ready') console.log('ready'); });
  let handed = false;
  createServer((socket) => {
    socket.once('data', (chunk) => {
      if (!handed) {
        handed = true;
        process.kill(worker.process.pid!, 'SIGSTOP');
        worker.send('take it', socket);
        console.log('handed over');
      } else if (String(chunk) === 'go') {
        process.kill(worker.process.pid!, 'SIGCONT');
        socket.end();
      }
    });
  }).listen(3000);
} else {
  process.on('message', (_message, socket: any) => socket.on('data', (chunk: Buffer) => socket.write(chunk)));
  process.send!('ready');
}
`;

function open(port: number, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => resolve(socket));
    sockets.push(socket);
    socket.once('error', reject);
  });
}

test('what a client sends while its connection is handed to a worker reaches the worker', async () => {
  writeFileSync(join(dir, 'index.ts'), cluster);
  const server = startLearnerServer({ dir });
  started.push(server);
  const { port, host } = await server.listening;
  const printed = () => server.output.chunks.filter((chunk) => chunk.stream === 'stdout').map((chunk) => chunk.text).join('');
  expect(await eventually(() => printed().includes('ready'), 10_000)).toBe(true);

  const client = await open(port, host);
  let echoed = '';
  client.on('data', (chunk: Buffer) => (echoed += String(chunk)));
  client.write('first');
  expect(await eventually(() => printed().includes('handed over'), 5000)).toBe(true);
  // While the worker is stopped: these bytes reach the primary's copy of the socket before the
  // "go" below is even accepted, and would be read there if it still read.
  client.write('second');
  (await open(port, host)).write('go');
  // The worker got 'first' from nobody (the primary read it): it must echo 'second'.
  expect(await eventually(() => echoed.includes('second'), 5000), `the worker sent back ${JSON.stringify(echoed)}`).toBe(true);
});
