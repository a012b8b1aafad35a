// The lessons stay true to the code: every section a check points to exists, and every code
// block a lesson shows is taken, as it is, from the step's reference solution.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
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
    // The solution sits one folder deeper than the learner's files: its imports of events.ts say '../'.
    const solution = ['index.ts', 'index.html']
      .map((file) => {
        try {
          return readFileSync(join(dir, 'solution', file), 'utf8');
        } catch {
          return '';
        }
      })
      .map((text) => normalize(text.replaceAll("'../events.ts'", "'./events.ts'")))
      .join('\n');
    const blocks = [...lesson.matchAll(/```(ts|html)\n([\s\S]*?)```/g)].map((match) => normalize(match[2]!));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(solution, `this block of ${folder}/README.md is not in its solution:\n${block}`).toContain(block);
  });
});
