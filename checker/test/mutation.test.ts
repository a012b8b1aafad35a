// Mutation testing's bookkeeping (`npm run check N -- --mutants`): which lines of a solution a step
// asks for, and how the survivors of Stryker's report are matched with the ones a step lists.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { stepLinePatterns } from '../mutation/step-lines.ts';
import { accountFor, readOutcomes } from '../mutation/survivors.ts';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function stepFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-test-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('mutates only the lines the starter lacks, and a file the starter lacks whole', () => {
  const dir = stepFolder({
    'starter/index.ts': 'a\nb\n// TODO 1\nc\n',
    'solution/index.ts': 'a\nb\nnew one\nnew two\nc\nnew three\n',
    'solution/extra.ts': 'x\n',
  });
  expect(stepLinePatterns(dir, 'sol/index.ts', 'index.ts')).toEqual(['sol/index.ts:3-4', 'sol/index.ts:6-6']);
  expect(stepLinePatterns(dir, 'sol/extra.ts', 'extra.ts')).toEqual(['sol/extra.ts']);
});

test("counts an HTML file's lines from its inline script's first line, as Stryker does, and leaves the markup out", () => {
  const dir = stepFolder({
    'starter/index.html': '<ul id="m"></ul>\n<script src="/x.js"></script>\n<script>\n  a();\n</script>\n',
    'solution/index.html': '<ul id="m"></ul>\n<form></form>\n<script src="/x.js"></script>\n<script>\n  a();\n  b();\n</script>\n',
  });
  expect(stepLinePatterns(dir, 'index.html', 'index.html')).toEqual(['index.html:3-3']);
});

const report = {
  files: {
    'steps/01-x/solution/index.ts': {
      source: "const port = Number(process.env.PORT) || 3000;\napp.get('/', handler);\n",
      mutants: [
        { mutatorName: 'LogicalOperator', replacement: 'Number(process.env.PORT) && 3000', status: 'Killed', location: { start: { line: 1, column: 14 }, end: { line: 1, column: 46 } } },
        { mutatorName: 'StringLiteral', replacement: '""', status: 'Survived', location: { start: { line: 2, column: 9 }, end: { line: 2, column: 12 } } },
        { mutatorName: 'BlockStatement', replacement: '{}', status: 'Timeout', location: { start: { line: 2, column: 1 }, end: { line: 2, column: 4 } } },
        { mutatorName: 'StringLiteral', replacement: '"x"', status: 'CompileError', location: { start: { line: 2, column: 9 }, end: { line: 2, column: 12 } } },
      ],
    },
  },
};

test('reads what each mutant replaced, where, and counts killed and timed-out ones as caught', () => {
  const outcomes = readOutcomes(report, 'steps/01-x/solution');
  expect(outcomes[1]).toEqual({ file: 'index.ts', line: 2, mutator: 'StringLiteral', code: "'/'", mutant: '""', status: 'Survived' });
  const account = accountFor(outcomes, []);
  expect(account).toMatchObject({ detected: 2, total: 3, accounted: [], stale: [] });
  expect(account.unaccounted.map((outcome) => outcome.code)).toEqual(["'/'"]);
});

test('a listed survivor is matched by file, code and replacement; one that no longer survives is stale', () => {
  const outcomes = readOutcomes(report, 'steps/01-x/solution');
  const listed = { file: 'index.ts', code: "'/'", mutant: '""', why: 'the same route' };
  const gone = { file: 'index.ts', code: 'Number(process.env.PORT) || 3000', mutant: 'Number(process.env.PORT) && 3000', why: 'killed now' };
  const account = accountFor(outcomes, [listed, gone]);
  expect(account.accounted).toEqual([{ outcome: outcomes[1], why: 'the same route' }]);
  expect(account.unaccounted).toEqual([]);
  expect(account.stale).toEqual([gone]);
});
