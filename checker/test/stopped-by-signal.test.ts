// However a long command is stopped, nothing of it is left running. `kill` or `timeout` sends
// SIGTERM to npm alone: npm and its `sh -c` end, and no signal reaches the kit, which must notice
// that its parent is gone and end with everything it started. Ctrl+C and a closed terminal signal
// the whole group (SIGINT, SIGHUP): the kit's handlers end its children then.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from './helpers/run-kit.ts';
import { eventually } from './helpers/eventually.ts';
import { makeVariant } from './helpers/variant.ts';
import { processes, tree, type ProcessInfo } from './helpers/process-tree.ts';

const watched = makeVariant('08-typing', {});
const siteState = mkdtempSync(join(tmpdir(), 'stopped-site-state-'));
afterAll(() => {
  watched.remove();
  rmSync(siteState, { recursive: true, force: true });
});

const commands: { name: string; args: string[]; env?: NodeJS.ProcessEnv; busy: (running: ProcessInfo[], output: string) => boolean }[] = [
  { name: 'check', args: ['check', '8', '--', '--dir', watched.dir], busy: (running: ProcessInfo[]) => running.some((info) => info.command.includes('preload/for-checks')) },
  { name: 'watch', args: ['watch', '8', '--', '--dir', watched.dir], busy: (running: ProcessInfo[]) => running.some((info) => info.command.includes('preload/for-checks')) },
  { name: 'step', args: ['step', '1', '--', '--solution'], busy: (running: ProcessInfo[]) => running.some((info) => info.command.includes('preload/for-step-runner')) },
  // With its warm checker (off elsewhere in the suite), in a state folder of its own.
  { name: 'start', args: ['start'], env: { WORKSHOP_WARM_JUDGE: 'on', WORKSHOP_STATE_DIR: siteState }, busy: (running: ProcessInfo[], output: string) => /http:\/\/localhost:\d+/.test(output) && running.some((info) => info.command.includes('judge-server')) },
  { name: 'load', args: ['load', '--', '--step', '9', '--solution', '--clients', '20', '--rate', '10', '--duration', '60'], busy: (running: ProcessInfo[]) => running.some((info) => info.command.includes('preload/for-load')) },
  { name: 'bench', args: ['bench', '--', '--site', '--runs', '1'], busy: (running: ProcessInfo[]) => running.some((info) => info.command.includes('kit.js start')) },
];

// Every long command, stopped by each signal sent to its whole group (Ctrl+C, a closed terminal,
// `kill -- -PGID`) and by SIGTERM and SIGHUP sent to npm alone (`kill`, `timeout`, a parent that
// hangs up on npm). Not SIGINT to npm alone: npm hands it to its `sh -c`, which waits for the
// command, and npm waits for both: npm itself goes on, and so does the command, as if nothing had
// been sent.
const stops = commands.flatMap((command) => [
  ...(['SIGTERM', 'SIGHUP'] as const).map((signal) => ({ ...command, signal, to: 'npm alone' as const })),
  ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => ({ ...command, signal, to: 'its group' as const })),
]);

// Two at a time (the config's maxConcurrency): each case mostly waits for its command to get to work.
describe.concurrent.each(stops)('npm run $name, $signal to $to', ({ args, env, busy, signal, to }) => {
  test('stopped in mid-work, leaves no process behind', { timeout: 90_000 }, async ({ expect }) => {
    const npmCli = process.env['npm_execpath'];
    const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
    // PORT and DOCS_PORT 0: a free port each, whatever this machine already runs.
    // A group of its own, as a terminal gives the command it runs.
    const npm = spawn(command, [...prefix, 'run', '-s', ...args], { cwd: repoRoot, env: { ...process.env, PORT: '0', DOCS_PORT: '0', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    npm.stdout.on('data', (data) => (output += data));
    npm.stderr.on('data', (data) => (output += data));
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    let started: ProcessInfo[] = [];
    try {
      expect(await eventually(() => busy(tree(npm.pid!), output), 60_000), `it never got to work:\n${output}`).toBe(true);
      started = tree(npm.pid!);
      process.kill(to === 'npm alone' ? npm.pid! : -npm.pid!, signal);
      await exited;
      const left = () => {
        const now = new Set(processes().map((info) => info.pid));
        return started.filter((info) => now.has(info.pid));
      };
      await eventually(() => left().length === 0, 10_000);
      expect(left().map((info) => `${info.pid} ${info.command}`)).toEqual([]);
    } finally {
      // Whatever was left, orphans included, ends with the test.
      for (const info of [...started, ...tree(npm.pid!)]) {
        try {
          process.kill(info.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
  });
});
