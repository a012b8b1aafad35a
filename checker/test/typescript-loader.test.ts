// The loader that runs the learner's TypeScript (loader/register.js): what it compiles runs as
// written, errors name the learner's file and line, and a file compiled once is read from the
// cache afterwards, wherever a copy of it lies, without starting esbuild.
import { afterAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../loader/register.js', import.meta.url));
// Inside the kit, as the learner's files are, so that the libraries it has installed resolve.
const root = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), 'tmp-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// In place of esbuild's program, one that notes it was started and fails: a run that works with
// it compiled nothing.
const compilerStarted = join(root, 'compiler-started');
const fakeCompiler = join(root, 'fake-esbuild');
writeFileSync(fakeCompiler, `#!/bin/sh\ntouch '${compilerStarted}'\nexit 1\n`);
chmodSync(fakeCompiler, 0o755);
const noCompiler = { ESBUILD_BINARY_PATH: fakeCompiler };

function runTypeScript(file: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', register, file], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A folder holding `files`, under a name of its own. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

// Each run of this test compiles files of its own: an entry left by an earlier run proves nothing.
const unique = `// ${process.pid} ${Date.now()} ${Math.random()}\n`;
const program = {
  'index.ts': `${unique}import { greeting, Mood } from './greeting.js';\nconst mood: Mood = Mood.Glad;\nconsole.log(greeting('world', mood));\n`,
  'greeting.ts': `${unique}export enum Mood { Glad = 'glad' }\nexport function greeting(name: string, mood: Mood): string {\n  return \`hello \${name}, \${mood}\`;\n}\n`,
};

test('runs TypeScript, with an import of ./greeting.js finding greeting.ts', async () => {
  const run = await runTypeScript(join(folder('first', program), 'index.ts'));
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('hello world, glad\n');
});

test('a CommonJS library imported from TypeScript gets its exports (express, as the lessons import it)', async () => {
  const dir = folder('library', { 'index.ts': "import express from 'express';\nconsole.log(typeof express, typeof express.static);\n" });
  const run = await runTypeScript(join(dir, 'index.ts'));
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('function function\n');
});

test('a copy of files compiled before runs without esbuild, and its errors name the copy and its lines', async () => {
  await runTypeScript(join(folder('original', program), 'index.ts'));
  const throwing = { ...program, 'index.ts': program['index.ts'].replace('console.log(', 'throw new Error(') };
  await runTypeScript(join(folder('throwing', throwing), 'index.ts'));

  rmSync(compilerStarted, { force: true });
  const copy = folder('copy', program);
  const run = await runTypeScript(join(copy, 'index.ts'), noCompiler);
  expect(run.stdout).toBe('hello world, glad\n');

  const thrownCopy = folder('thrown-copy', throwing);
  const thrown = await runTypeScript(join(thrownCopy, 'index.ts'), noCompiler);
  expect(thrown.code).not.toBe(0);
  expect(thrown.stderr).toContain('Error: hello world, glad');
  // Line 4 of index.ts: the unique comment, the import, the constant, then the throw.
  expect(thrown.stderr).toContain(`${join(thrownCopy, 'index.ts')}:4:`);
  expect(existsSync(compilerStarted)).toBe(false);
});

test('an edited file is compiled again', async () => {
  const edited = folder('edited', { ...program, 'greeting.ts': program['greeting.ts'].replace('hello', 'hi') });
  rmSync(compilerStarted, { force: true });
  const withoutCompiler = await runTypeScript(join(edited, 'index.ts'), noCompiler);
  expect(withoutCompiler.code).not.toBe(0);
  expect(existsSync(compilerStarted)).toBe(true);
  const run = await runTypeScript(join(edited, 'index.ts'));
  expect(run.stdout).toBe('hi world, glad\n');
});

test('a syntax error names the file, its line and column', async () => {
  const dir = folder('broken', { 'index.ts': 'const answer: number = ;\n' });
  const run = await runTypeScript(join(dir, 'index.ts'));
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain(`${join(dir, 'index.ts')}:1:23: ERROR: Unexpected ";"`);
});
