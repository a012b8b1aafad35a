// A warm judge (`npm run check N -- --dir A --dir B`, as `npm run watch` and the kit's tests keep
// one) runs its judgements in one vitest thread (judge/kept-thread-pool.ts): playwright and the
// browser's connection load once. The checks' modules are still evaluated anew at each one. The
// first judgement's thread is started ahead of vitest, with the libraries the checks load.
import { afterAll, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning } from './helpers/variant.ts';

const root = mkdtempSync(join(repoRoot, 'tmp-test-steps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = {
  'README.md': '# Step 01 · Threads\n',
  'index.ts': `import { createServer } from 'node:http';\ncreateServer((req, res) => res.end('hello')).listen(3000);\n`,
  // Counts its evaluations in the thread's global object, and its calls in its own variable.
  'counter.ts': `const thread = globalThis as { evaluations?: number };
thread.evaluations = (thread.evaluations ?? 0) + 1;
export const evaluation = thread.evaluations;
let calls = 0;
export function call(): number {
  return ++calls;
}
`,
  'check.ts': `import { appendFileSync } from 'node:fs';
import { threadId, workerData } from 'node:worker_threads';
import { check } from '../../checker/checks/check.ts';
import { call, evaluation } from './counter.ts';

check('thread', 'notes where it runs', async () => {
  const preloaded = JSON.stringify(workerData?.preload ?? 'nothing');
  appendFileSync(new URL('./judgements.txt', import.meta.url), \`\${threadId} \${evaluation} \${call()} \${preloaded}\\n\`);
});
`,
};

test('three judgements in a row run in one thread, started ahead of vitest, each with the modules of the checks evaluated anew', async () => {
  const dir = join(root, '01-threads');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  // No NODE_ENV, as in a learner's shell (vitest sets it for the kit's tests): vitest's thread settings depend on it.
  const run = await runKit(['check', '1', '--dir', dir, '--dir', dir, '--dir', dir], { WORKSHOP_STEPS_DIR: root, NODE_ENV: undefined });
  expect(run.output.match(/passes$/gm), run.output).toHaveLength(3);
  expect(await leftRunning(root)).toBe('');

  const lines = readFileSync(join(dir, 'judgements.txt'), 'utf8').trim().split('\n');
  const [thread] = lines[0]!.split(' ');
  // Started ahead, with vitest's settings (else vitest would have started another): it loaded
  // socket.io-client before vitest asked for it (a step without pages needs no browser library).
  const preloaded = '["socket.io-client"]';
  expect(lines).toEqual([`${thread} 1 1 ${preloaded}`, `${thread} 2 1 ${preloaded}`, `${thread} 3 1 ${preloaded}`]);
});
