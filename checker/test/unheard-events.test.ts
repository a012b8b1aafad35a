// A learner's server run by the checker reports each Socket.IO event that nothing on its socket
// listens for (learner/preload/report-unheard-events.ts), and only those: an event that a
// listener for every event, a socket.use() middleware or a listener of the connection's own
// packets may have seen is not reported. Real server process, real clients.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, expect, test } from 'vitest';
import { ConditionWaiters } from '../checks/condition-waiters.ts';
import { startLearnerServer } from '../learner/learner-process.ts';
import type { UnheardEvent } from '../learner/preload/unheard-protocol.ts';
import { repoRoot } from './helpers/run-kit.ts';

const server = `
import { createServer } from 'node:http';
import { Server } from 'socket.io';
const http = createServer();
const io = new Server(http);
io.on('connection', (socket) => {
  socket.on('heard', (reply) => reply('yes'));
  const { kind } = socket.handshake.auth;
  if (kind === 'any') socket.onAny(() => {});
  if (kind === 'use') socket.use((packet, next) => next());
  if (kind === 'packet') socket.conn.on('packet', () => {});
  if (kind === 'data') socket.conn.on('data', () => {});
});
http.listen(Number(process.env.PORT));
`;

const dir = mkdtempSync(join(repoRoot, 'checker', 'test', 'tmp-unheard-'));
writeFileSync(join(dir, 'index.ts'), server);
const learner = startLearnerServer({ dir, env: { PORT: '3000' }, startTimeoutMs: 15_000 });
const clients: Socket[] = [];
afterAll(async () => {
  clients.forEach((client) => client.close());
  await learner.stop();
  rmSync(dir, { recursive: true, force: true });
});

const reports: UnheardEvent[] = [];
const changes = new ConditionWaiters();
learner.onUnheard((report) => {
  reports.push(report);
  changes.wake();
});

async function connect(kind: string): Promise<Socket> {
  const { port, host } = await learner.listening;
  const client = io(`http://${host}:${port}/`, { transports: ['websocket'], reconnection: false, auth: { kind } });
  clients.push(client);
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}

test('an event that nothing on its socket listens for is reported with the socket, and one with a listener is not', async () => {
  const client = await connect('plain');
  expect(await client.timeout(5000).emitWithAck('heard')).toBe('yes');
  client.emit('nobody listens', 'hello');
  expect(await changes.waitUntil(() => reports.length > 0, 5000)).toBe(true);
  expect(reports).toEqual([{ socketId: client.id, event: 'nobody listens' }]);
});

test.each(['any', 'use', 'packet', 'data'])('an event that a socket with a listener of kind "%s" gets is not reported: it may have been seen', async (kind) => {
  const excused = await connect(kind);
  const witness = await connect('plain');
  const before = reports.length;
  excused.emit('nobody listens', 'hello');
  // Answered after the event above was handed to the listeners, so any report of it is sent by
  // then; the report of an event sent after the answer comes after it, in order.
  expect(await excused.timeout(5000).emitWithAck('heard')).toBe('yes');
  witness.emit('sentinel');
  expect(await changes.waitUntil(() => reports.length > before, 5000)).toBe(true);
  expect(reports.slice(before)).toEqual([{ socketId: witness.id, event: 'sentinel' }]);
});
