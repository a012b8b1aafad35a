// `npm run check N -- --author`, for the course's authors: the kit's own tests of one step, so that
// changing a step does not wait for the whole suite. Its starter fails and its solution passes
// (steps.test.ts), its variants get their verdicts (variants.test.ts), its hints cover every check
// (hints.test.ts), its contract names existing checks both ways (contracts.test.ts) and its lesson
// shows real code (lessons.test.ts). vitest picks that step's tests by their names, which all
// carry the step's folder.
import pc from 'picocolors';
import type { Step } from '../course/steps.ts';
import { runVitest } from './run-vitest.ts';

const stepTestFiles = ['steps', 'contracts', 'hints', 'lessons', 'variants'].map((name) => `checker/test/${name}.test.ts`);

export async function runAuthorChecks(step: Step): Promise<number> {
  const started = performance.now();
  console.log(pc.bold(`${step.title}: the author checks (starter, solution, contract, hints, lesson, variants)`));
  const { passed, failed, exitCode } = await runVitest(stepTestFiles, { testNamePattern: authorTestPattern(step.folder), provide: { authorStep: step.folder } });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const line = `${step.title}: ${passed} author checks passed, ${failed} failed, in ${seconds} s.`;
  console.log(failed === 0 && exitCode === 0 ? pc.green(`✔ ${line}`) : pc.red(`✗ ${line}`));
  if (passed === 0 && failed === 0) {
    console.log(pc.red(`No test carries the name ${step.folder}: the kit's test files must have changed their names.`));
    return 1;
  }
  return exitCode;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The step whose tests alone run (`npm run check N -- --author`): a test may then spare the work it shares with other steps'. */
    authorStep?: string;
  }
}

/** Matches the names of the tests of the step in `folder` (e.g. "step 08-typing the starter fails…"), and no other step's. */
export function authorTestPattern(folder: string): string {
  // A folder name is letters, digits and dashes, but a regex it becomes, so it is escaped all the same.
  return `\\b${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`;
}
