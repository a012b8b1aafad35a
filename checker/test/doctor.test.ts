// `npm run doctor` looks at the machine as a learner's help request needs it: Node.js, the ports,
// the browser, write access, WSL. Each case runs the real command against a real condition.
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { diagnoseRedis } from '../doctor/redis.ts';
import { repoRoot, runKit, type KitRun } from './helpers/run-kit.ts';
import { leftRunning } from './helpers/variant.ts';

const folders: string[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function makeFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'doctor-test-'));
  folders.push(folder);
  return folder;
}

/**
 * Runs `npm run doctor` with a fresh state folder and a temporary folder of its own (where the
 * browser keeps its profile), then checks that it left no process and no profile behind.
 */
async function runDoctor(env: NodeJS.ProcessEnv = {}): Promise<KitRun> {
  const scratch = makeFolder();
  const run = await runKit(['doctor'], { WORKSHOP_STATE_DIR: join(makeFolder(), 'state'), TMPDIR: scratch, ...env });
  expect(await leftRunning(scratch), run.output).toBe('');
  expect(readdirSync(scratch).filter((entry) => entry.startsWith('chat-workshop-browser-'))).toEqual([]);
  return run;
}

/** The fenced block after "Paste this into your help request:". */
function pasteBlock(output: string): string {
  const block = /Paste this into your help request:\n+```text\n([\s\S]*?)\n```/.exec(output)?.[1];
  expect(block, output).toBeDefined();
  return block!;
}

/** The learner's line for a diagnosis, e.g. `! Port 3000  in use by …`. */
function lineOf(output: string, name: string): string {
  return output.split('\n').find((line) => new RegExp(`^[✔!✖] ${name} `).test(line)) ?? '';
}

test('on a healthy machine it names every diagnosis, exits 0 and gives a plain summary to paste', async () => {
  // A home folder that holds the kit: its path must read `~` in everything the doctor prints.
  const home = dirname(repoRoot);
  const run = await runDoctor({ HOME: home, USERPROFILE: home });
  expect(run.code, run.output).toBe(0);
  const names = ['System', 'Node.js', 'Port 3000', 'Port 4000', 'Browser', 'Redis', 'Steps folder', 'State folder'];
  if (process.platform === 'linux') names.push('WSL');
  for (const name of names) expect(lineOf(run.output, name), `${name} in:\n${run.output}`).not.toBe('');
  expect(lineOf(run.output, 'Node.js')).toMatch(/^✔ Node\.js +\d+\.\d+\.\d+, the workshop needs 22\.16 or newer$/);
  expect(lineOf(run.output, 'Steps folder')).toContain(`~/${basename(repoRoot)}/steps can be written`);

  const block = pasteBlock(run.output);
  for (const name of names) expect(block).toMatch(new RegExp(`^(ok|warn|fail) +${name.replace('.', '\\.')}: `, 'm'));
  expect(block).not.toContain(repoRoot.replace(/\/$/, ''));
  expect(run.output).not.toMatch(/\x1b\[/);
});

test('a port held by another program is a warning that names the program and how to avoid it', async () => {
  // Listening as a learner's server does (`::`, dual-stack), on a port nobody else uses.
  const server = createServer().listen(0);
  servers.push(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const run = await runDoctor({ PORT: String(port) });
  expect(run.code, run.output).toBe(0);
  const line = lineOf(run.output, `Port ${port}`);
  expect(line, run.output).toMatch(/^! Port \d+ +in use by /);
  if (process.platform === 'linux') expect(line).toContain(`node (pid ${process.pid}`);
  expect(run.output).toContain(`PORT=${port + 1} npm run step`);
  expect(pasteBlock(run.output)).toMatch(new RegExp(`^warn +Port ${port}: in use by`, 'm'));
});

test('CHROME_PATH naming a missing file is a failure that says how to fix it', async () => {
  const missing = join(makeFolder(), 'no-chrome-here');
  const run = await runDoctor({ CHROME_PATH: missing });
  expect(run.code, run.output).toBe(1);
  expect(lineOf(run.output, 'Browser')).toBe(`✖ Browser       CHROME_PATH is set to ${missing}, but no browser can be started from there, so \`npm run check\` stops`);
  expect(run.output).toContain('unset CHROME_PATH');
  expect(pasteBlock(run.output)).toMatch(/^fail +Browser: CHROME_PATH is set to /m);
});

test('a state folder that cannot be written is a failure that says which folder and what to do', async () => {
  // Tests run as root here, where permissions do not stop a write: a path through a file does.
  const file = join(makeFolder(), 'a-file');
  writeFileSync(file, '');
  const state = join(file, 'state');
  const run = await runDoctor({ WORKSHOP_STATE_DIR: state });
  expect(run.code, run.output).toBe(1);
  expect(lineOf(run.output, 'State folder')).toBe(`✖ State folder  ${state} cannot be written: part of that path is a file, not a folder`);
  expect(run.output).toContain('point WORKSHOP_STATE_DIR at a folder you can write to, or unset it');
  expect(pasteBlock(run.output)).toMatch(/^fail +State folder: /m);
});

test('Redis, which only step 12 needs, is a warning with how to install it when missing, and REDIS_URL is shown without its password', async () => {
  const missing = await diagnoseRedis({ PATH: makeFolder() });
  expect(missing.status).toBe('warn');
  expect(missing.summary).toBe('redis-server is not installed: step 12 needs it, the steps before do not');
  expect(missing.fix).toContain('`sudo apt-get install redis-server`');
  expect(missing.fix).toContain('`brew install redis`');
  const given = await diagnoseRedis({ REDIS_URL: 'redis://:secret@redis.example:6380' });
  expect(given).toMatchObject({ status: 'ok', summary: "REDIS_URL is set: step 12's checks use the Redis server at redis://redis.example:6380" });
});
