// `npm run load`, run for real against step 09's reference solution with a few clients: the
// summary's figures are there and hold together, bad options get one sentence, and whether it ends
// by itself or on Ctrl+C, it leaves no server and no temp file behind. No figure is held to a time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning } from './helpers/variant.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const serverDir = join(repoRoot, 'steps', '09-rooms', 'solution');
const clients = 20;
const rate = 10;
const seconds = 2;
const smallRun = (duration: number) => ['load', '--step', '9', '--solution', '--clients', String(clients), '--rate', String(rate), '--duration', String(duration)];

// Each run gets a temp folder of its own, which must be empty again when the run is over.
let tempDir: string;
afterEach(() => rmSync(tempDir, { recursive: true, force: true }));
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
  expect(run.output).not.toMatch(/✖|could not connect|lost their connection|refused|no acknowledgement|not expected/);

  expect(await leftRunning(serverDir)).toBe('');
  expect(readdirSync(tempDir)).toEqual([]);
});

test('Ctrl+C ends the run at once and leaves nothing behind', async () => {
  freshTempDir();
  // Long enough that only Ctrl+C can end it within the test's time.
  const child = spawn(process.execPath, [kit, ...smallRun(600)], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tempDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const sending = new Promise<void>((resolve) => {
    child.stdout.on('data', (data) => {
      output += data;
      // All clients are connected: the messages are flowing.
      if (/20 of 20 clients/.test(output)) resolve();
    });
  });
  const exited = once(child, 'exit');
  await sending;
  child.kill('SIGINT');
  const [code, signal] = await exited;
  expect(code ?? signal).toBe(130);
  expect(await leftRunning(serverDir)).toBe('');
  expect(readdirSync(tempDir)).toEqual([]);
});

test.each([
  [['--clients', 'many'], '--clients takes a whole number from 2 to 10000, not "many".'],
  [['--clients', '20', '--rate', '100'], '--rate 100 over 20 clients is more than 1 message a second per client'],
  [['--step', '5'], 'needs the chat of step 9 or later'],
  [['--step', '9', '--processes', '2'], '--processes 2 needs step 12 or later'],
  [['--clinets', '20'], "Unknown option '--clinets': the options are --step, --solution, --clients, --rate, --duration and --processes (`npm run load -- --help` says more)"],
])('%j is refused in one sentence', async (args, says) => {
  const run = await runKit(['load', ...args]);
  expect(run.output).toContain(says);
  expect(run.output.trim().split('\n')).toHaveLength(1);
  expect(run.code).toBe(2);
});

test('--help lists every option with its default, and the goals', async () => {
  const run = await runKit(['load', '--help']);
  for (const option of ['--step N', '--solution', '--clients N', '--rate N', '--duration N', '--processes N']) expect(run.output).toContain(option);
  expect(run.output).toContain('(default: 1000)');
  expect(run.output).toContain('Goals: 1000 clients; p99 broadcast latency ≤ 100 ms at 100 messages/s; server heap ≤ 15 KB per connection.');
  expect(run.code).toBe(0);
});

test('an option npm kept for itself (no `--`) is named, with the command to type', async () => {
  const run = await runKit(['load', '20'], { npm_config_clients: 'true' });
  expect(run.output).toContain('npm kept --clients for itself: put `--` before the options');
  expect(run.code).toBe(2);
});
