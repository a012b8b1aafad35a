// The kit's one error model: an error it can explain is one sentence, with exit code 2 for a
// command typed wrong and 1 for files or a machine in the way; anything else is said to be a bug
// of the kit, pointing at `npm run doctor`. Never a stack trace.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { reportError } from '../commands/report-error.ts';
import { KitError, UsageError } from '../errors/kit-error.ts';
import { HintsFileError } from '../hints/read-hints.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of step 1 alone, as a course of its own (WORKSHOP_STEPS_DIR), with `edit` applied. */
function courseWithStep1(edit: (stepDir: string) => void): string {
  const root = mkdtempSync(join(repoRoot, 'tmp-test-steps-'));
  made.push(root);
  cpSync(join(repoRoot, 'steps', '01-hello-express'), join(root, '01-hello-express'), { recursive: true });
  edit(join(root, '01-hello-express'));
  return root;
}

function printed(error: unknown): { lines: string[]; code: number } {
  const lines: string[] = [];
  const code = reportError(error, (line) => lines.push(line));
  return { lines, code };
}

test('a usage mistake is its sentence and exit code 2; files or a machine in the way, exit code 1', () => {
  expect(printed(new UsageError('Which step? e.g. `npm run hint 4`.'))).toEqual({ lines: ['✖ Which step? e.g. `npm run hint 4`.'], code: 2 });
  expect(printed(new HintsFileError('steps/01/hints.md', 3, 'a hint outside any section'))).toEqual({ lines: ['✖ steps/01/hints.md:3: a hint outside any section'], code: 1 });
  expect(printed(new KitError('redis-server is not installed', 'machine'))).toEqual({ lines: ['✖ redis-server is not installed'], code: 1 });
});

test('any other error is a bug of the kit: said so in one line, with where, and npm run doctor', () => {
  const { lines, code } = printed(new TypeError("Cannot read properties of undefined (reading 'title')"));
  expect(code).toBe(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^✖ The kit itself failed \(Cannot read properties of undefined \(reading 'title'\), at checker\/test\/errors\.test\.ts:\d+\): that is a bug of the kit, not of your code\. `npm run doctor` checks this machine/,
  );
});

test('a broken hints.md: `npm run hint` says which line, in one sentence, and exits with 1', async () => {
  const root = courseWithStep1((step) => {
    const hints = join(step, 'hints.md');
    writeFileSync(hints, readFileSync(hints, 'utf8').replace('## did-not-start', '## Did Not Start'));
  });
  const run = await runKit(['hint', '1'], { WORKSHOP_STEPS_DIR: root, WORKSHOP_STATE_DIR: join(root, 'state') });
  expect(run.output).toMatch(/✖ \S*hints\.md:\d+: "## Did Not Start" is not a check id/);
  expect(run.output).not.toMatch(/^\s+at /m);
  expect(run.code).toBe(1);
});

test('a lesson that cannot be built: `npm run docs:build` names it in one sentence, and exits with 1, not as a mistyped command', async () => {
  const root = courseWithStep1((step) => {
    const lesson = join(step, 'README.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('<<< solution/index.ts#imports', '<<< solution/gone.ts#imports'));
  });
  const run = await runKit(['docs:build'], { WORKSHOP_STEPS_DIR: root });
  expect(run.output.trim()).toMatch(/^✖ \S*01-hello-express\/README\.md: <<< solution\/gone\.ts#imports: that file does not exist\.$/);
  expect(run.code).toBe(1);
});
