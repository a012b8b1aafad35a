// A wait for the learner's answer on a busy machine: its deadline is in the time the learner's
// processes could run, and what arrived while the checker's own thread was kept from running
// counts. Node.js runs due timers before it reads the network, so the deadline's timer would
// otherwise say "never came" of an event that was already there.
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { noteAnswering } from '../checks/answering-processes.ts';
import { ConditionWaiters } from '../checks/condition-waiters.ts';
import { computeThenIdle, endProcesses, keepEveryCoreBusy, startNode } from './helpers/busy-machine.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  closers.splice(0).forEach((close) => close());
  endProcesses();
});

/** A connected pair of sockets on loopback. */
async function socketPair(): Promise<{ sending: Socket; receiving: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const receiving = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(receiving, 'connect');
  const [sending] = await accepted;
  closers.push(() => {
    sending.destroy();
    receiving.destroy();
    server.close();
  });
  return { sending, receiving };
}

/** Keeps this thread busy for `ms`, as a machine that gives it no CPU would. */
function holdTheThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy.
  }
}

test('an event that arrived while the thread could not run, before the deadline passed, is found there', async () => {
  const { sending, receiving } = await socketPair();
  const waiters = new ConditionWaiters();
  let arrived = false;
  receiving.on('data', () => {
    arrived = true;
    waiters.wake();
  });
  const waited = waiters.waitUntil(() => arrived, 50);
  sending.write('here');
  // The data reaches this process's socket, and the deadline passes, while the thread is held.
  holdTheThread(300);
  expect(await waited).toBe(true);
});

test('a wait for what never comes still ends at its deadline, false', async () => {
  const waiters = new ConditionWaiters();
  const since = performance.now();
  expect(await waiters.waitUntil(() => false, 100)).toBe(false);
  expect(performance.now() - since).toBeGreaterThanOrEqual(99);
});

test.runIf(process.platform === 'linux')('a wait for a process kept waiting for a CPU gets its deadline later, by as long as it waited', { timeout: 60_000 }, async () => {
  // Six endless loops per core: the process answering gets about a sixth of a core, so that its
  // 0.5 s of computing (and its start) take longer than 2 s, well within the wait's wall-clock
  // bound (12 s), even with the suite's other test file beside this one.
  await keepEveryCoreBusy(6);
  const answering = startNode(computeThenIdle(500));
  noteAnswering(answering.pid);
  const waiters = new ConditionWaiters();
  let answered = false;
  answering.stdout!.once('data', () => {
    answered = true;
    waiters.wake();
  });
  const since = performance.now();
  expect(await waiters.waitUntil(() => answered, 2000)).toBe(true);
  // The premise: a deadline of 2 s in wall time would have passed first.
  expect(performance.now() - since).toBeGreaterThan(2000);
});
