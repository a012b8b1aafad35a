// A spare learner process (learner/preload/wait-for-go.ts) told to go at once, while it is still
// starting: the go must not be lost. It was on Node.js 22, when step 11 restarted its server soon
// after the spare for that restart had started: the server never listened.
import { afterAll, expect, test } from 'vitest';
import { join } from 'node:path';
import { startLearnerServer, type LearnerServer } from '../learner/learner-process.ts';
import { repoRoot } from './helpers/run-kit.ts';

const started: LearnerServer[] = [];
afterAll(() => Promise.all(started.map((server) => server.stop())));

test('a spare told to go as soon as it is started still runs the code, once its libraries are loaded', async () => {
  const spare = startLearnerServer({ dir: join(repoRoot, 'steps', '04-emit', 'solution'), env: { PORT: '3000' }, spare: true, startTimeoutMs: 10_000 });
  started.push(spare);
  spare.go({});
  expect((await spare.listening).port).toBeGreaterThan(0);
});
