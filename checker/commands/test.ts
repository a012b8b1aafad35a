// `npm test`: the kit's own tests (vitest.config.ts), through vitest's Node API so that the
// Node.js version check in kit.js guards this command too.
import { runVitest } from './run-vitest.ts';

export async function run(args: string[]): Promise<number> {
  const { passed, failed, exitCode } = await runVitest(args);
  // A plain closing line that any CI can read, whatever reporter vitest used.
  console.log(`Tests: ${passed} passed, ${failed} failed`);
  return exitCode;
}
