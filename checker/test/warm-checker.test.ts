// The warm checker of `npm start`: while the site runs, `npm run check` has it judge, with the
// vitest and browser it keeps. Its verdicts must be those of a check alone, on the files as they
// are at that moment; it must step aside whenever it would judge otherwise (other settings, older
// code of the kit); and nothing it starts may outlive the check that asked or the site.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kit, repoRoot, runKit } from './helpers/run-kit.ts';
import { eventually } from './helpers/eventually.ts';
import { makeVariant } from './helpers/variant.ts';
import { isAlive } from './helpers/is-alive.ts';
import { copyOfSteps } from './helpers/steps-copy.ts';

const state = mkdtempSync(join(tmpdir(), 'warm-checker-state-'));
const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_WARM_JUDGE: 'on' };
const addressFile = join(state, 'warm-judge.json');
const warmFooter = 'by the warm checker of `npm start`';
let site: ChildProcess;
let siteOutput = '';

const judgePid = () => (JSON.parse(readFileSync(addressFile, 'utf8')) as { pid: number }).pid;

/** The command lines of the processes that name `text` (Linux: read from /proc). */
function processesNaming(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (command.includes(text)) found.push(`${pid} ${command}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

beforeAll(async () => {
  site = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, ...env, DOCS_PORT: '0', NO_COLOR: '1' } });
  site.stdout!.on('data', (data) => (siteOutput += data));
  site.stderr!.on('data', (data) => (siteOutput += data));
  expect(await eventually(() => /open at http/.test(siteOutput) && existsSync(addressFile), 30_000), siteOutput).toBe(true);
});


afterAll(() => {
  site.kill('SIGTERM');
  rmSync(state, { recursive: true, force: true });
});

describe('while `npm start` runs', () => {
  const variant = makeVariant('03-connect', {});
  afterAll(() => variant.remove());

  test('`npm run check` has its warm checker judge: the same verdicts, on the files as they are at each check', async () => {
    const first = await runKit(['check', '3', '--dir', variant.dir], env);
    expect(first.output).toContain('✔ Step 03 passes');
    expect(first.output).toContain(warmFooter);
    expect(first.code).toBe(0);

    // The server no longer hands out the client script: the warm checker sees the edit at once.
    const server = join(variant.dir, 'index.ts');
    const solution = readFileSync(server, 'utf8');
    writeFileSync(server, solution.replace(/new Server\((\w+)\)/, 'new Server($1, { serveClient: false })'));
    const broken = await runKit(['check', '3', '--dir', variant.dir], env);
    expect(broken.output).toContain(warmFooter);
    expect(broken.output).toMatch(/✗ the server hands out the Socket\.IO client/);
    expect(broken.code).toBe(1);

    writeFileSync(server, solution);
    const fixed = await runKit(['check', '3', '--dir', variant.dir], env);
    expect(fixed.output).toContain('✔ Step 03 passes');
    expect(fixed.output).toContain(warmFooter);

    // A step's code that does not start: the same verdict as a check alone gives.
    writeFileSync(server, `${solution}\nthrow new Error('broken on purpose');\n`);
    const crashed = await runKit(['check', '3', '--dir', variant.dir], env);
    const alone = await runKit(['check', '3', '--dir', variant.dir], { ...env, WORKSHOP_WARM_JUDGE: 'off' });
    expect(crashed.output).toContain(warmFooter);
    expect(alone.output).not.toContain(warmFooter);
    const verdict = (output: string) => output.replace(/\n.*checked in [\d.]+ s.*$/m, '');
    expect(verdict(crashed.output)).toBe(verdict(alone.output));
    expect(crashed.code).toBe(alone.code);
    writeFileSync(server, solution);
  });

  test('a check of another step is judged by the same warm checker, with that step\'s checks, and so is the step before', async () => {
    const judge = judgePid();
    const wrong = makeVariant('01-hello-express', { 'index.ts': [['<h1>Hello world</h1>', 'Hello world']] });
    try {
      const other = await runKit(['check', '1', '--dir', wrong.dir], env);
      expect(other.output).toContain(warmFooter);
      expect(other.output).toMatch(/✗ GET \/ answers with the heading "Hello world"\n.*the page to be <h1>Hello world<\/h1>/);
      expect(other.code).toBe(1);
    } finally {
      wrong.remove();
    }
    const back = await runKit(['check', '3', '--dir', variant.dir], env);
    expect(back.output).toContain('✔ Step 03 passes');
    expect(back.output).toContain(warmFooter);
    expect(back.output).toContain('pages checked in Chromium');
    expect(judgePid(), 'the same warm checker').toBe(judge);
  });

  test('with other settings than the site\'s, `npm run check` judges alone', async () => {
    const other = await runKit(['check', '3', '--dir', variant.dir], { ...env, CHECK_ENGINE: 'jsdom' });
    expect(other.output).toContain('✔ Step 03 passes');
    expect(other.output).toContain('pages checked in jsdom (CHECK_ENGINE=jsdom)');
    expect(other.output).not.toContain(warmFooter);
  });

  test('once the kit\'s code has changed, the checker judges alone and the site starts a fresh warm checker', async () => {
    const before = judgePid();
    // Any edit of the kit makes a new bundle: a later modification time is enough.
    const file = join(repoRoot, 'checker', 'judge', 'trace.ts');
    const { atime, mtime } = statSync(file);
    utimesSync(file, atime, new Date(mtime.getTime() + 1000));
    try {
      const changed = await runKit(['check', '3', '--dir', variant.dir], env);
      expect(changed.output).toContain('✔ Step 03 passes');
      expect(changed.output).not.toContain(warmFooter);
      expect(await eventually(() => !isAlive(before) && existsSync(addressFile) && judgePid() !== before, 20_000), 'a fresh warm checker').toBe(true);
      const next = await runKit(['check', '3', '--dir', variant.dir], env);
      expect(next.output).toContain(warmFooter);
    } finally {
      utimesSync(file, atime, mtime);
    }
  });

  test('a check stopped in the middle ends what the warm checker started for it, and the next check is served', async () => {
    const stepCopy = makeVariant('08-typing', {});
    try {
      const before = judgePid();
      const check = spawn(process.execPath, [kit, 'check', '8', '--dir', stepCopy.dir], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'ignore' });
      // Its server runs: the judgement is under way.
      expect(await eventually(() => processesNaming(join(stepCopy.dir, 'index.ts')).length > 0, 30_000), 'the learner server of the check').toBe(true);
      check.kill('SIGINT');
      expect(await eventually(() => processesNaming(join(stepCopy.dir, 'index.ts')).length === 0, 10_000), processesNaming(stepCopy.dir).join('\n')).toBe(true);
      expect(await eventually(() => !isAlive(before) && existsSync(addressFile) && judgePid() !== before, 20_000), 'a fresh warm checker').toBe(true);
      const next = await runKit(['check', '3', '--dir', variant.dir], env);
      expect(next.output).toContain(warmFooter);
    } finally {
      stepCopy.remove();
    }
  });

  test('when the site stops, so does its warm checker, and its address is gone', async () => {
    const pid = judgePid();
    site.kill('SIGTERM');
    expect(await eventually(() => !isAlive(pid) && !existsSync(addressFile), 10_000)).toBe(true);
    const alone = await runKit(['check', '3', '--dir', variant.dir], env);
    expect(alone.output).toContain('✔ Step 03 passes');
    expect(alone.output).not.toContain(warmFooter);
  });
});

describe('while `npm start` runs on steps whose checks an author edits', () => {
  const copy = copyOfSteps();
  const copyState = mkdtempSync(join(tmpdir(), 'warm-checker-copy-state-'));
  const copyEnv = { WORKSHOP_STATE_DIR: copyState, WORKSHOP_WARM_JUDGE: 'on', WORKSHOP_STEPS_DIR: copy.dir };
  const connect = makeVariant('03-connect', {});
  const hello = makeVariant('01-hello-express', {});
  let copySite: ChildProcess | undefined;
  afterAll(() => {
    copySite?.kill('SIGTERM');
    connect.remove();
    hello.remove();
    copy.remove();
    rmSync(copyState, { recursive: true, force: true });
  });

  test('a step\'s checks edited after the warm checker loaded them are the ones that judge its next check, also after it judged another step', async () => {
    let output = '';
    copySite = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, ...copyEnv, DOCS_PORT: '0', NO_COLOR: '1' } });
    copySite.stdout!.on('data', (data) => (output += data));
    copySite.stderr!.on('data', (data) => (output += data));
    expect(await eventually(() => /open at http/.test(output) && existsSync(join(copyState, 'warm-judge.json')), 30_000), output).toBe(true);

    const first = await runKit(['check', '3', '--dir', connect.dir], copyEnv);
    expect(first.output).toContain('✓ the server hands out the Socket.IO client at');
    expect(first.output).toContain(warmFooter);
    const other = await runKit(['check', '1', '--dir', hello.dir], copyEnv);
    expect(other.output).toContain('✔ Step 01 passes');
    expect(other.output).toContain(warmFooter);

    const checkFile = join(copy.dir, '03-connect', 'check.ts');
    writeFileSync(checkFile, readFileSync(checkFile, 'utf8').replace("'the server hands out the Socket.IO client at", "'the server still hands out the Socket.IO client at"));
    const edited = await runKit(['check', '3', '--dir', connect.dir], copyEnv);
    expect(edited.output).toContain('✓ the server still hands out the Socket.IO client at');
    expect(edited.output).toContain(warmFooter);
    expect(edited.code).toBe(0);
  });
});
