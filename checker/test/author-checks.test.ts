// `npm run check N -- --author` runs the kit's own tests of one step, picked by their names.
import { expect, test } from 'vitest';
import { authorTestPattern } from '../commands/author-checks.ts';
import { runKit } from './helpers/run-kit.ts';

test("picks a step's tests in every test file's naming, and no other step's", () => {
  const pattern = new RegExp(authorTestPattern('02-serve-html'));
  for (const name of ['step 02-serve-html the starter fails its checks', '02-serve-html a relative path for sendFile fails with a helpful message', '02-serve-html/hints.md ends each ladder on code', 'lesson of step 02-serve-html has every section its checks point to']) {
    expect(name).toMatch(pattern);
  }
  for (const name of ['step 12-serve-html the reference solution passes', '`npm run check` judges every step and names the first to work on', 'parseHints reads sections of numbered hints']) {
    expect(name).not.toMatch(pattern);
  }
});

test('the author checks take one step and no other option, and say so in one sentence', async () => {
  const none = await runKit(['check', '--author']);
  expect(none.code).toBe(2);
  expect(none.output.trim()).toMatch(/^✖ The author checks take one step: e\.g\. `npm run check 7 -- --author`\. Steps go from 1 to \d+/);
  const extra = await runKit(['check', '2', '--author', '--solution']);
  expect(extra.code).toBe(2);
  expect(extra.output.trim()).toBe('✖ The author checks take a step and no other option, not --solution: e.g. `npm run check 7 -- --author`.');
});

test('npm run check --author, typed without --, is the author checks all the same', async () => {
  // This is how npm hands the kit a flag it does not know, typed without `--`.
  const run = await runKit(['check'], { npm_config_author: 'true' });
  expect(run.code).toBe(2);
  expect(run.output.trim()).toMatch(/^✖ The author checks take one step/);
});

