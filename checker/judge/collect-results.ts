// A vitest reporter that prints nothing: it collects each check's outcome for the checker's
// own report, which is written for learners rather than for test authors.
import type { Reporter, TestModule } from 'vitest/node';
import { stuckMessage } from '../checks/stuck-after.ts';

export interface CheckResult {
  id: string | undefined;
  title: string;
  state: 'passed' | 'failed' | 'skipped' | 'not-run';
  /** Why it was skipped, when it was. */
  note?: string;
  failure?: {
    message: string;
    expected?: string;
    actual?: string;
    lesson?: string;
  };
}

export class ResultCollector implements Reporter {
  results: CheckResult[] = [];
  /** Errors outside any check: a check file that does not load, for instance. */
  errors: string[] = [];

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const module of testModules) {
      for (const error of module.errors()) this.errors.push(error.message);
      for (const test of module.children.allTests()) {
        const result = test.result();
        const error = result.errors?.[0] as (Record<string, unknown> & { message: string }) | undefined;
        this.results.push({
          id: test.meta().checkId,
          title: test.name,
          state: result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : result.state === 'skipped' && result.note ? 'skipped' : 'not-run',
          note: result.state === 'skipped' ? result.note : undefined,
          failure: error && {
            // vitest's own words never reach a learner.
            message: /^Test timed out in \d+ms/.test(error.message) ? stuckMessage : error.message,
            expected: typeof error['expected'] === 'string' && error['name'] === 'CheckFailure' ? error['expected'] : undefined,
            actual: typeof error['actual'] === 'string' && error['name'] === 'CheckFailure' ? error['actual'] : undefined,
            lesson: typeof error['lesson'] === 'string' ? error['lesson'] : undefined,
          },
        });
      }
    }
    for (const error of unhandledErrors) this.errors.push(error.message ?? String(error));
  }
}
