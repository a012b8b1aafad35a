// Every starter fails its checks and every solution passes them: no check that cannot fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listLearnerFiles } from '../progress/learner-files.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';

const steps = readdirSync(join(repoRoot, 'steps')).filter((name) => /^\d\d-/.test(name));

// Two at a time (vitest's maxConcurrency): each is a whole `npm run check` from cold, which
// mostly waits for the learner's server. Each step records its progress in a file of its own.
describe.concurrent.each(steps)('step %s', (folder) => {
  const number = String(Number(folder.slice(0, 2)));

  test('the reference solution passes', async ({ expect }) => {
    const run = await runKit(['check', number, '--solution']);
    expect(run.output).toContain('passes');
    expect(run.code).toBe(0);
  });

  // `npm run reset` puts starter/ back: it must be exactly what the course ships, and the test
  // below, which checks the shipped files, then proves that the starter fails too.
  test('the shipped files are the pristine copy in starter/, byte for byte', async ({ expect }) => {
    const dir = join(repoRoot, 'steps', folder);
    const shipped = await listLearnerFiles(dir);
    expect(await listLearnerFiles(join(dir, 'starter'))).toEqual(shipped);
    for (const file of shipped) expect(readFileSync(join(dir, 'starter', file)).equals(readFileSync(join(dir, file))), `starter/${file}`).toBe(true);
  });

  test('the starter fails, and says what to do', async ({ expect }) => {
    const run = await runKit(['check', number]);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/✗/);
    expect(run.output).toMatch(/Fix (the one marked ✗|that)/);
  });
});

// Twelve whole judgements, one after the other, in one command: 23 s alone on a slow 2-core
// machine, and 55-60 s there with the suite's other test file running beside it, past the budget
// of a test that makes one judgement.
test('`npm run check` judges every step and names the first to work on', { timeout: 240_000 }, async () => {
  const run = await runKit(['check']);
  expect(run.code).toBe(1);
  expect(run.output).toMatch(/0 of \d+ steps pass\. Work on step 1 next/);
});
