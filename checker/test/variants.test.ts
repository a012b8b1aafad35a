// Every step's variants (steps/NN-*/variants.ts): learners' code that differs from the reference.
// Wrong ways fail with the message that helps, right ways pass, whatever their style, and nothing
// of a run is left running.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { StepVariants } from '../checks/variant-case.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant, type Variant } from './helpers/variant.ts';

const stepFolders = readdirSync(join(repoRoot, 'steps')).filter((name) => /^\d\d-/.test(name)).sort();
const steps: [folder: string, StepVariants][] = [];
for (const folder of stepFolders) {
  const module = (await import(pathToFileURL(join(repoRoot, 'steps', folder, 'variants.ts')).href)) as { variants: StepVariants };
  steps.push([folder, module.variants]);
}

const made: Variant[] = [];
afterAll(() => made.forEach((variant) => variant.remove()));

describe.each(steps)('%s', (folder, { cases, timeoutMs }) => {
  test('has a wrong way to judge', () => {
    expect(cases.some((variant) => variant.fails)).toBe(true);
  });

  describe.each(cases)('$name', ({ edits, fails, says }) => {
    test(fails ? 'fails with a helpful message' : 'passes', { timeout: timeoutMs }, async () => {
      const variant = makeVariant(folder, edits);
      made.push(variant);
      const run = await runKit(['check', String(Number(folder.slice(0, 2))), '--dir', variant.dir]);
      if (fails) {
        expect(run.output).toMatch(fails);
        expect(run.code, run.output).toBe(1);
      } else {
        expect(run.output).toContain('✔ Step');
        if (says) expect(run.output).toMatch(says);
        else expect(run.output).not.toContain('TypeScript found');
        expect(run.code, run.output).toBe(0);
      }
      expect(await leftRunning(variant.dir)).toBe('');
    });
  });
});
