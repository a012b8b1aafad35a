// What the checker reports of a check is in the kit's words, whatever vitest said.
import { expect, test } from 'vitest';
import type { TestModule } from 'vitest/node';
import { ResultCollector } from '../judge/collect-results.ts';
import { stuckAfterMs, stuckMessage } from '../checks/stuck-after.ts';

/** The little of a finished vitest module that the collector reads: one failed check. */
function moduleWithFailure(error: Record<string, unknown>): TestModule {
  const testCase = {
    name: 'the page shows who is online',
    meta: () => ({ checkId: 'page-online' }),
    result: () => ({ state: 'failed', errors: [error] }),
  };
  return { errors: () => [], children: { allTests: () => [testCase] } } as unknown as TestModule;
}

test('a check stopped by the runner’s time limit is reported in the kit’s words, never vitest’s', () => {
  const collector = new ResultCollector();
  const vitestWords = `Test timed out in ${stuckAfterMs}ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".`;
  collector.onTestRunEnd([moduleWithFailure({ name: 'Error', message: vitestWords })], []);
  expect(collector.results).toEqual([
    { id: 'page-online', title: 'the page shows who is online', state: 'failed', note: undefined, failure: { message: stuckMessage, expected: undefined, actual: undefined, lesson: undefined } },
  ]);
  expect(stuckMessage).not.toMatch(/testTimeout|long-running test/);
});

test('a check’s own failure keeps its expected, actual and lesson', () => {
  const collector = new ResultCollector();
  const failure = { name: 'CheckFailure', message: 'm', expected: 'the page to list Pat-W', actual: '#online is empty', lesson: 'Join from the page' };
  collector.onTestRunEnd([moduleWithFailure(failure)], []);
  expect(collector.results[0]!.failure).toEqual({ message: 'm', expected: 'the page to list Pat-W', actual: '#online is empty', lesson: 'Join from the page' });
});
