// The clock of the learner's server, which checks move on (learner/preload/skippable-clock.ts):
// a skip runs the timers due meanwhile, in order, with the time they were due at; the timers keep
// the API of Node.js's own, wherever the code takes them from; nothing else changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startLearnerServer, type LearnerServer } from '../learner/learner-process.ts';
import { eventually } from './helpers/eventually.ts';

const dir = mkdtempSync(join(tmpdir(), 'skippable-clock-'));
const started: LearnerServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `code` as a learner's server (it listens, so that it stays up), and the lines it prints. */
async function run(name: string, code: string): Promise<{ server: LearnerServer; lines: () => string[] }> {
  writeFileSync(join(dir, name), `import { createServer } from 'node:http';\n${code}\ncreateServer().listen(3000);\n`);
  const server = startLearnerServer({ dir, entry: name });
  started.push(server);
  await server.listening;
  const lines = () => server.output.chunks.filter((chunk) => chunk.stream === 'stdout').map((chunk) => chunk.text).join('').split('\n').filter(Boolean);
  return { server, lines };
}

test('a skip runs the timers due meanwhile, in the order they were due, each at its own time', async () => {
  const { server, lines } = await run(
    'order.ts',
    `import { setTimeout as sleep } from 'node:timers/promises';
    import { setTimeout as timersSetTimeout } from 'node:timers';
    const start = Date.now();
    const at = (what: string) => console.log(what, Math.round((Date.now() - start) / 100) * 100);
    setTimeout(() => at('timeout-5000'), 5000);
    timersSetTimeout(() => at('timers-3500'), 3500);
    let ticks = 0;
    const interval = setInterval(() => { ticks += 1; if (ticks === 3) { at('interval-3x1000'); clearInterval(interval); } }, 1000);
    void sleep(4000).then(() => at('sleep-4000'));
    setTimeout(() => at('timeout-60000'), 60_000);
    AbortSignal.timeout(2000).addEventListener('abort', () => at('abort-2000'));
    const hr = process.hrtime.bigint();
    setTimeout(() => console.log('hrtime', Math.round(Number(process.hrtime.bigint() - hr) / 1e8) * 100, Math.round(process.hrtime(process.hrtime())[0])), 5500);
    console.log('ready');`,
  );
  expect(await eventually(() => lines().includes('ready'), 5000)).toBe(true);
  expect(await server.skipTime(6000, 5000)).toBe(true);
  expect(await eventually(() => lines().length >= 7, 5000)).toBe(true);
  expect(lines()).toEqual(['ready', 'abort-2000 2000', 'interval-3x1000 3000', 'timers-3500 3500', 'sleep-4000 4000', 'timeout-5000 5000', 'hrtime 5500 0']);
});

test("timers keep Node.js's API: cleared by themselves or their number, refreshed, unreferenced", async () => {
  const { server, lines } = await run(
    'api.ts',
    `const start = Date.now();
    const cleared = setTimeout(() => console.log('cleared by object ran'), 1000);
    clearTimeout(cleared);
    const byNumber = setTimeout(() => console.log('cleared by number ran'), 1000);
    clearTimeout(Number(byNumber));
    const refreshed = setTimeout(() => console.log('refreshed', Math.round((Date.now() - start) / 100) * 100), 1000);
    setTimeout(() => refreshed.refresh(), 500);
    const unreferenced = setTimeout(() => {}, 1000).unref();
    console.log('hasRef', unreferenced.hasRef(), setTimeout(() => {}, 1).hasRef());
    console.log('date', new Date() instanceof Date, typeof Date.now(), Number.isInteger(Date.now()), String(Date()).length > 0);
    console.log('ready');`,
  );
  expect(await eventually(() => lines().includes('ready'), 5000)).toBe(true);
  expect(await server.skipTime(3000, 5000)).toBe(true);
  expect(await eventually(() => lines().some((line) => line.startsWith('refreshed')), 5000)).toBe(true);
  expect(lines()).toEqual(['hasRef false true', 'date true number true true', 'ready', 'refreshed 1500']);
});

test("a cluster primary's skip moves its workers' clocks too; the code's own listeners see only messages under the kit's key", async () => {
  const { server, lines } = await run(
    'cluster.ts',
    `import cluster from 'node:cluster';
    if (cluster.isPrimary) {
      cluster.fork().on('message', (message) => console.log('primary got', JSON.stringify(message)));
    } else {
      process.on('message', (message) => process.send!({ echo: message }));
      setTimeout(() => console.log('worker-5000'), 5000);
      console.log('worker ready');
    }`,
  );
  expect(await eventually(() => lines().includes('worker ready'), 5000)).toBe(true);
  expect(await server.skipTime(6000, 5000)).toBe(true);
  expect(await eventually(() => lines().includes('worker-5000'), 5000)).toBe(true);
  // Listeners of the code's own hear the kit's messages too (nothing can hide them): no `type` or `id` to mistake them by.
  expect(lines().filter((line) => line.startsWith('primary got'))).toEqual([
    'primary got {"echo":{"chatWorkshopClock":"skip","ask":1,"ms":6000}}',
    'primary got {"chatWorkshopClock":"skipped","ask":1}',
  ]);
});

test('a process whose code never listens still ends by itself', async () => {
  writeFileSync(join(dir, 'ends.ts'), "setTimeout(() => console.log('done'), 10);\n");
  const server = startLearnerServer({ dir, entry: 'ends.ts' });
  started.push(server);
  expect(await server.exited).toEqual({ code: 0, signal: null });
});
