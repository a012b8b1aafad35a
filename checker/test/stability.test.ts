// `npm run stability`, for authors: each verdict the same every time while every core is busy,
// and nothing of it left running afterwards (not even the processes that kept the cores busy).
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { runKit } from './helpers/run-kit.ts';

function spinners(): string {
  try {
    return execFileSync('pgrep', ['-af', 'for \\(;;\\) \\{\\}'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

test('checks the solution and the starter of a step on busy cores, and names the first failure', { timeout: 120_000 }, async () => {
  const run = await runKit(['stability', '--runs', '1', '--step', '1']);
  expect(run.output).toMatch(/01-hello-express +solution passed 1\/1 · starter failed 1\/1 on "Your code ran and ended without starting a server: nothing called listen\(\)\."/);
  expect(run.output).toContain('✔ Every verdict was the same every time.');
  expect(run.code, run.output).toBe(0);
  expect(spinners()).toBe('');
});

test('refuses a number of runs it cannot use, in one sentence', async () => {
  const run = await runKit(['stability', '--runs', 'many']);
  expect(run.output.trim()).toBe('✖ --runs takes a whole number from 1 to 100, not "many".');
  expect(run.code).toBe(2);
});
