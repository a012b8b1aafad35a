// `npm run step N` runs the learner's code, says which URL to open, and explains a taken port.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning } from './helpers/variant.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts `npm run step …`, resolves with its output once `until` appears in it, then stops it. */
async function runStepUntil(args: string[], env: NodeJS.ProcessEnv, until: RegExp, whileRunning?: () => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, [kit, 'step', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${until} in 10 s; output:\n${output}`)), 10_000);
      const read = (data: Buffer) => {
        output += data;
        if (until.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
    });
    await whileRunning?.();
    return output;
  } finally {
    // As Ctrl+C does: the kit must end tsx and the learner's server with it.
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
    expect(await leftRunning('steps/01-hello-express')).toBe('');
  }
}

test('runs the reference of step 1, prints the title and the URL, and serves it', async () => {
  const port = await freePort();
  let page = '';
  const output = await runStepUntil(['1', '--solution'], { PORT: String(port) }, /open http:\/\/localhost:\d+/, async () => {
    page = await (await fetch(`http://localhost:${port}/`)).text();
  });
  expect(output).toContain('Step 01');
  expect(output).toContain(`open http://localhost:${port}`);
  expect(page).toBe('<h1>Hello world</h1>');
});

test('npm_config_solution (npm run step 1 --solution, without --) runs the reference too', async () => {
  const port = await freePort();
  const output = await runStepUntil(['1'], { PORT: String(port), npm_config_solution: 'true' }, /open http:\/\/localhost:\d+|reference/);
  expect(output).toContain('(the reference solution)');
});

test('polls for saves where file events may not arrive, says so, and restarts on a save', async () => {
  const root = mkdtempSync(join(repoRoot, 'tmp-test-steps-'));
  try {
    const folder = join(root, '01-hello-express');
    cpSync(join(repoRoot, 'steps', '01-hello-express'), folder, { recursive: true });
    cpSync(join(folder, 'solution'), folder, { recursive: true });
    const port = await freePort();
    const output = await runStepUntil(['1'], { PORT: String(port), WORKSHOP_STEPS_DIR: root, WORKSHOP_WATCH_POLLING: '1' }, /open http:\/\/localhost:\d+/, async () => {
      const index = join(folder, 'index.ts');
      const edited = readFileSync(index, 'utf8').replace('<h1>Hello world</h1>', '<h1>Hello, polled world</h1>');
      // tsx's watcher starts a moment after the server: a save before that is not seen, so the
      // test saves again every 2 s until the page changes (15 s at most).
      const until = performance.now() + 15_000;
      let nextSave = 0;
      for (;;) {
        if (performance.now() >= nextSave) {
          writeFileSync(index, edited);
          nextSave = performance.now() + 2000;
        }
        const page = await fetch(`http://localhost:${port}/`).then((response) => response.text(), () => '');
        if (page.includes('polled') || performance.now() > until) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('<h1>Hello, polled world</h1>');
    });
    expect(output).toContain('Checking for saves every 250 ms, since WORKSHOP_WATCH_POLLING=1 asks for polling.');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a taken port gets one plain sentence, not a stack trace', async () => {
  const blocker = createServer().listen(0);
  await once(blocker, 'listening');
  const { port } = blocker.address() as AddressInfo;
  try {
    const output = await runStepUntil(['1', '--solution'], { PORT: String(port) }, /already in use[^\n]*\n/);
    expect(output).toContain(`Port ${port} is already in use`);
    expect(output).not.toMatch(/\n\s+at /);
  } finally {
    blocker.close();
  }
});

test('an unknown step is one sentence with the way out', async () => {
  const run = await runKit(['step', '42']);
  expect(run.output.trim()).toMatch(/^✖ There is no step "42"\. Steps go from 1 to \d+, e\.g\. `1`, `01` or `hello-express`\.$/);
  expect(run.code).toBe(2);
});

test('the step can be named by its number with a zero, or by its slug', async () => {
  const port = await freePort();
  for (const name of ['01', 'hello-express']) {
    const output = await runStepUntil([name, '--solution'], { PORT: String(port) }, /open http:\/\/localhost:\d+/);
    expect(output).toContain('Step 01');
  }
});

test('the kit type-checks, steps and solutions included', async () => {
  const tsc = spawn(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', repoRoot]);
  let output = '';
  tsc.stdout.on('data', (data) => (output += data));
  const [code] = await once(tsc, 'close');
  expect(output).toBe('');
  expect(code).toBe(0);
});

test('on a Node.js older than package.json asks for, every command stops at once with one friendly line', async () => {
  // 20.20 is what many machines still have; 22.15 is the last release whose node:sqlite closes a
  // database that only its prepared statements still use (steps 11 and 12 would fail at random).
  for (const version of ['20.20.2', '22.15.1']) {
    const pretendOld = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;
    for (const command of ['start', 'step', 'check', 'test']) {
      const child = spawn(process.execPath, ['--import', pretendOld, kit, command], { cwd: repoRoot });
      let output = '';
      child.stderr.on('data', (data) => (output += data));
      const [code] = await once(child, 'close');
      expect(output.trim()).toBe(
        `This workshop needs Node.js 22.16 or newer, and this is Node.js ${version}: install a current LTS release from https://nodejs.org, then run the command again.`,
      );
      expect(code).toBe(1);
    }
  }
});
