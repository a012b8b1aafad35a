// What a learner types after `npm run check`, `step`, `watch`…: a misspelt flag that npm swallowed
// is named with the flag it was meant to be, rather than silently ignored.
import { expect, test } from 'vitest';
import { findNpmFlagTypo } from '../commands/npm-flag-typos.ts';
import { runKit } from './helpers/run-kit.ts';

test('npm run check 1 --soltion (without --) says which flag was meant, and checks nothing', async () => {
  // This is how npm hands the kit an unknown flag typed without `--`.
  const run = await runKit(['check', '1'], { npm_config_soltion: 'true' });
  expect(run.code).toBe(2);
  expect(run.output.trim()).toBe('✖ There is no option --soltion: did you mean --solution? e.g. `npm run check 1 -- --solution`.');
});

test("npm's own settings and the right flag are not mistaken for typos", () => {
  expect(findNpmFlagTypo({ npm_config_solution: 'true', npm_config_cache: '/x', npm_config_user_agent: 'npm/11', npm_config_dir: 'x', npm_config_node_gyp: 'y' })).toBeUndefined();
  expect(findNpmFlagTypo({ npm_config_soluton: 'true' })).toEqual({ typed: 'soluton', meant: 'solution' });
  expect(findNpmFlagTypo({ npm_config_solutions: 'true' })).toEqual({ typed: 'solutions', meant: 'solution' });
});
