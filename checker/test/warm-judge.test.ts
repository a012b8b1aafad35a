// `npm run check N --dir A --dir B …` and `--dir -` judge many folders with one vitest and one
// browser kept warm, as the kit's variant tests do: each verdict is about the files as they are
// when it is asked for, never those of an earlier judgement.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import { JudgePool } from './helpers/judge-pool.ts';
import { kit, repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant } from './helpers/variant.ts';

const right = makeVariant('01-hello-express', {});
const wrong = makeVariant('01-hello-express', { 'index.ts': [['<h1>Hello world</h1>', 'Hello world']] });
// Step 03's checks open pages, step 01's do not: a judge turned from one to the other starts a browser then.
const connect = makeVariant('03-connect', {});
// Fails its first check (client-script) before any page opens.
const appListen = makeVariant('03-connect', { 'index.ts': [['server.listen(port, () => {', 'app.listen(port, () => {']] });
// A server that listens only after 20 s: its judgement lasts as long as the start deadline.
const late = makeVariant('01-hello-express', { 'index.ts': [['server.listen(port, () => {', 'setTimeout(() => server.listen(port, () => {'], ['port}`);\n});', 'port}`);\n}), 20_000);']] });
const pool = new JudgePool(1);
afterAll(async () => {
  await pool.close();
  right.remove();
  wrong.remove();
  connect.remove();
  appListen.remove();
  late.remove();
});

test('several --dir: each folder is judged in turn, its verdict framed by its name, and the exit code says whether all passed', async () => {
  const run = await runKit(['check', '1', '--dir', right.dir, '--dir', wrong.dir]);
  const framed = new RegExp(`── judging ${right.dir}\\n[\\s\\S]*✔ Step 01 passes[\\s\\S]*\\n── ${right.dir} passes\\n── judging ${wrong.dir}\\n[\\s\\S]*✗[\\s\\S]*\\n── ${wrong.dir} fails\\n`);
  expect(run.output).toMatch(framed);
  expect(run.code, run.output).toBe(1);
  expect(await leftRunning(right.dir)).toBe('');
});

test('--dir -: a folder named with checks after a tab is judged by those alone; an id no check has is named', async () => {
  const one = await pool.judge(1, wrong.dir, ['hello-heading']);
  expect(one.output.match(/^ {2}[✓✗·]/gm)).toHaveLength(1);
  expect(one.output).toMatch(/✗ GET \/ answers with the heading "Hello world"\n.*the page to be <h1>Hello world<\/h1>/);
  expect(one.code).toBe(1);
  const others = await pool.judge(1, wrong.dir, ['logs-url', 'port-from-env']);
  expect(others.output.match(/^ {2}✓/gm)).toHaveLength(2);
  expect(others.output).toContain('✔ Step 01 passes');
  expect(others.code).toBe(0);
  const misnamed = await pool.judge(1, right.dir, ['logs-url', 'log-url']);
  expect(misnamed.output).toContain('✗ The checks themselves failed to run: no check of this step has the id "log-url"; its checks are "hello-heading", "logs-url", "port-from-env"');
  expect(misnamed.code).toBe(1);
  expect(await leftRunning(wrong.dir)).toBe('');
});

test('--dir -: a folder changed since its last judgement is judged as it is now', async () => {
  expect((await pool.judge(1, right.dir)).code).toBe(0);
  const index = join(right.dir, 'index.ts');
  const reference = readFileSync(index, 'utf8');
  writeFileSync(index, reference.replace('<h1>Hello world</h1>', 'Hello world'));
  const broken = await pool.judge(1, right.dir);
  expect(broken.output).toMatch(/the page to be <h1>Hello world<\/h1>/);
  expect(broken.code).toBe(1);
  writeFileSync(index, reference);
  expect((await pool.judge(1, right.dir)).code).toBe(0);
  expect(await leftRunning(right.dir)).toBe('');
});

test('--dir -: a line `step N` turns the judge to step N, whose checks judge the folders after it, and back', async () => {
  const { started } = pool.counts;
  expect((await pool.judge(1, right.dir)).code).toBe(0);
  const other = await pool.judge(3, connect.dir);
  expect(other.output).toContain('✔ Step 03 passes');
  expect(other.output).toContain('pages checked in Chromium');
  expect(other.code, other.output).toBe(0);
  const back = await pool.judge(1, wrong.dir);
  expect(back.output).toMatch(/✗ GET \/ answers with the heading "Hello world"\n.*the page to be <h1>Hello world<\/h1>/);
  expect(back.code).toBe(1);
  expect(pool.counts.started, 'one judge, turned from step to step').toBe(Math.max(started, 1));
  expect(await leftRunning(connect.dir)).toBe('');
});

test('--dir -: a judgement with no verdict by the time asked is reported with what the judge runs and printed, and the judge is replaced', async () => {
  expect((await pool.judge(1, right.dir)).code).toBe(0);
  const { started, endedByThemselves } = pool.counts;
  // 4 s: time enough for the judge to start the learner's process, on a busy machine too, and
  // far less than the 7 s it lets the process take to listen.
  const error = await pool.judge(1, late.dir, undefined, performance.now() + 4000).then(
    (verdict) => expect.fail(`a verdict came: ${verdict.output}`),
    (error: Error) => error,
  );
  expect(error.message).toMatch(new RegExp(`^the judge of step 1 gave no verdict on ${late.dir} within \\d+\\.\\d s\\. Its processes \\(id, time running, command\\):\\n {2}\\d+ [\\d:-]+ .*kit\\.js check 1 --dir -\\n[\\s\\S]* ${late.dir}/index\\.ts\\n`));
  expect(error.message).toContain(`── judging ${late.dir}`);
  expect((await pool.judge(1, right.dir)).code).toBe(0);
  expect(pool.counts).toMatchObject({ started: started + 1, endedByThemselves: endedByThemselves + 1 });
  expect(await leftRunning(late.dir)).toBe('');
});

test('a browser ready only once a judgement\'s checks are over keeps none of the judgements after it from ending', async () => {
  // Chromium starts only when this test says so, through a named pipe, once the first judgement
  // has stopped the learner's server: its checks are over, but the checker still tells them of
  // the browser. They once took it up, importing playwright after vitest had ended their run,
  // and the next judgement waited for those imports at its end, for ever.
  const browser = findBrowser();
  expect(browser, 'a browser to start late').toBeDefined();
  const folder = mkdtempSync(join(tmpdir(), 'late-browser-'));
  const fifo = join(folder, 'go');
  spawnSync('mkfifo', [fifo]);
  const lateBrowser = join(folder, 'late-browser.sh');
  writeFileSync(lateBrowser, `#!/bin/sh\nread go < '${fifo}'\nexec '${browser}' "$@"\n`, { mode: 0o755 });
  // Open both ways, so that neither end waits for the other: the launcher's read waits for the line alone.
  const pipe = openSync(fifo, 'r+');
  const child = spawn(process.execPath, [kit, 'check', '3', '--dir', appListen.dir, '--dir', appListen.dir], {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CHROME_PATH: lateBrowser, CHECK_TRACE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let browserStarted = false;
  child.stdout.on('data', (data) => (output += data));
  child.stderr.on('data', (data) => {
    output += data;
    if (browserStarted || !output.includes('learner stopped')) return;
    browserStarted = true;
    writeSync(pipe, 'go\n');
  });
  // Without the fix, the second judgement never ended: stopped after a minute, it is told.
  const ended = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(ended);
  closeSync(pipe);
  rmSync(folder, { recursive: true, force: true });
  expect(browserStarted, output).toBe(true);
  expect(output.match(/── .* fails\n/g), output).toHaveLength(2);
  expect(code, output).toBe(1);
  expect(await leftRunning(appListen.dir)).toBe('');
}, 90_000);

test('--dir -: a line `step N` for a step that does not exist: one sentence, exit code 2', () => {
  const run = spawnSync(process.execPath, [kit, 'check', '1', '--dir', '-'], { cwd: repoRoot, input: 'step 99\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  expect((run.stdout + run.stderr).trim()).toMatch(/^✖ There is no step "99" \(stdin said "step 99"\)\. Steps go from 1 to \d+/);
  expect(run.status).toBe(2);
});

test.each([
  { typed: 'watch 1 --dir -', args: ['watch', '1', '--dir', '-'], says: '✖ `--dir -` (folders read from stdin) goes alone, with `npm run check N`.' },
  { typed: 'check --dir -', args: ['check', '--dir', '-'], says: '✖ `--dir -` (folders read from stdin) goes alone, with `npm run check N`.' },
  { typed: 'watch 1 --dir A --dir B', args: ['watch', '1', '--dir', 'steps/01-hello-express/solution', '--dir', 'steps/01-hello-express/starter'], says: '✖ Only `npm run check N` judges several folders; `npm run watch` takes one --dir.' },
])('npm run $typed: one sentence, exit code 2', async ({ args, says }) => {
  const run = await runKit(args);
  expect(run.output.trim()).toBe(says);
  expect(run.code).toBe(2);
});
