// `npm test`: the kit's own tests (vitest.config.ts), through vitest's Node API so that the
// Node.js version check in kit.js guards this command too.
export async function run(args: string[]): Promise<number> {
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', args, { watch: false });
  const tests = vitest.state.getFiles().flatMap((file) => allTests(file));
  const failed = tests.filter((test) => test.result?.state === 'fail').length;
  const passed = tests.filter((test) => test.result?.state === 'pass').length;
  await vitest.close();
  // A plain closing line that any CI can read, whatever reporter vitest used.
  console.log(`Tests: ${passed} passed, ${failed} failed`);
  // startVitest sets process.exitCode when anything failed.
  return Number(process.exitCode ?? 0);
}

interface Task {
  type: string;
  result?: { state?: string };
  tasks?: Task[];
}

function allTests(task: Task): Task[] {
  return task.type === 'test' ? [task] : (task.tasks ?? []).flatMap(allTests);
}
