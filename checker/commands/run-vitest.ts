// Runs the kit's own tests through vitest's Node API, for `npm test` and for the author checks of
// one step (`npm run check N -- --author`), and counts what passed and failed.
import type { TestUserConfig } from 'vitest/node';

export interface TestCount {
  passed: number;
  failed: number;
  /** vitest's own exit code: not 0 when anything failed, also outside a test (a hook, the set-up). */
  exitCode: number;
}

export async function runVitest(filters: string[], options: TestUserConfig = {}): Promise<TestCount> {
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', filters, { watch: false, ...options });
  const tests = vitest.state.getFiles().flatMap((file) => allTests(file));
  const failed = tests.filter((test) => test.result?.state === 'fail').length;
  const passed = tests.filter((test) => test.result?.state === 'pass').length;
  await vitest.close();
  // startVitest sets process.exitCode when anything failed.
  return { passed, failed, exitCode: Number(process.exitCode ?? 0) };
}

interface Task {
  type: string;
  result?: { state?: string };
  tasks?: Task[];
}

function allTests(task: Task): Task[] {
  return task.type === 'test' ? [task] : (task.tasks ?? []).flatMap(allTests);
}
