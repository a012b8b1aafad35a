// The lessons stay true to the code: every section a check points to exists, and the code a
// lesson shows is included from the step's reference solution (`<<< solution/index.ts#region`)
// or, written out, found in it as it is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRenderer } from '../site/markdown.ts';
import { withStepFolderImports } from '../course/reference-code.ts';
import { extractRegion, IncludeError } from '../site/markdown-plugins/include-code.ts';
import { repoRoot } from './helpers/run-kit.ts';

const steps = readdirSync(join(repoRoot, 'steps')).filter((name) => /^\d\d-/.test(name));

/** Collapses indentation and blank lines, which a lesson may change to fit its text. */
const normalize = (code: string) =>
  code
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');

describe.each(steps)('lesson of step %s', (folder) => {
  const dir = join(repoRoot, 'steps', folder);
  const lesson = readFileSync(join(dir, 'README.md'), 'utf8');
  const headings = [...lesson.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => match[1]!.trim());

  test('starts with "Step NN · title"', () => {
    expect(headings[0]).toMatch(new RegExp(`^Step ${folder.slice(0, 2)} · \\S`));
  });

  test('has every section its checks point to', () => {
    const checks = readFileSync(join(dir, 'check.ts'), 'utf8');
    const pointed = new Set([...checks.matchAll(/lesson: '([^']+)'/g)].map((match) => match[1]!));
    expect(pointed.size).toBeGreaterThan(0);
    for (const section of pointed) expect(headings, `no section "${section}" in ${folder}/README.md`).toContain(section);
  });

  test('shows only code found in the reference solution', () => {
    const solution = ['index.ts', 'index.html']
      .map((file) => {
        try {
          return readFileSync(join(dir, 'solution', file), 'utf8');
        } catch {
          return '';
        }
      })
      .map((text) => normalize(withStepFolderImports(text)))
      .join('\n');
    const blocks = [...lesson.matchAll(/```(ts|html)\n([\s\S]*?)```/g)].map((match) => normalize(match[2]!));
    for (const block of blocks) expect(solution, `this block of ${folder}/README.md is not in its solution:\n${block}`).toContain(block);
  });

  test('includes code that exists: every <<< names a file and a region of it', async () => {
    const includes = [...lesson.matchAll(/^<<< (\S+)$/gm)].map((match) => match[1]!);
    expect(includes.length).toBeGreaterThan(0);
    const render = await createRenderer((href) => href);
    const { html, dependencies } = render(lesson, join(dir, 'README.md'));
    expect(html).not.toContain('&lt;&lt;&lt;');
    expect(html).not.toMatch(/#(end)?region/);
    expect(new Set(dependencies).size).toBe(new Set(includes.map((include) => include.split('#')[0])).size);
  });
});

describe('a code include', () => {
  const file = ['a();', '  // #region inner', '  b();', '  // #region nested', '  c();', '  // #endregion', '  // #endregion', 'd();'].join('\n');

  test('shows the lines of its region, nested markers removed, indentation kept', () => {
    expect(extractRegion(file, 'inner', 'x')).toBe('  b();\n  c();\n');
    expect(extractRegion(file, undefined, 'x')).toBe('a();\n  b();\n  c();\nd();\n');
  });

  test('fails, naming the lesson, when the region or its end is missing', () => {
    expect(() => extractRegion(file, 'gone', 'steps/01/README.md')).toThrow(IncludeError);
    expect(() => extractRegion(file, 'gone', 'steps/01/README.md')).toThrow(/steps\/01\/README.md: no "#region gone"/);
    expect(() => extractRegion('// #region open\nx', 'open', 'y')).toThrow(/has no "#endregion"/);
  });

  test('fails when the file does not exist', async () => {
    const render = await createRenderer((href) => href);
    expect(() => render('<<< solution/nothing.ts#x\n', join(repoRoot, 'steps', '01-hello-express', 'README.md'))).toThrow(/that file does not exist/);
  });
});
