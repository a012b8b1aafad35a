// Every lesson states its contract ("What the checker proves"): each requirement names the checks
// that prove it, and each check proves at least one requirement. A step's checks reach the checker
// through one module, checker/checks/check.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ContractFormatError, parseContract } from '../course/contract.ts';
import { listSteps } from '../course/steps.ts';

const steps = await listSteps();

describe.each(steps.map((step) => [step.folder, step] as const))('%s', (_folder, step) => {
  const lesson = readFileSync(join(step.dir, 'README.md'), 'utf8');
  const checkIds = [...readFileSync(join(step.dir, 'check.ts'), 'utf8').matchAll(/\bcheck\(\s*'([^']+)'/g)].map((match) => match[1]!);

  test('states its contract, with requirements numbered R1, R2… in order', () => {
    const requirements = parseContract(lesson);
    expect(requirements.length, `no "## What the checker proves" list in ${step.folder}/README.md`).toBeGreaterThan(0);
    expect(requirements.map((requirement) => requirement.id)).toEqual(requirements.map((_, index) => `R${index + 1}`));
  });

  test("imports nothing of the checker but checker/checks/check.ts, in its checks and its variants", () => {
    for (const file of ['check.ts', 'variants.ts']) {
      const imports = [...readFileSync(join(step.dir, file), 'utf8').matchAll(/from '([^']*checker\/[^']*)'/g)].map((match) => match[1]);
      expect(imports.filter((path) => path !== '../../checker/checks/check.ts'), `${step.folder}/${file}`).toEqual([]);
    }
  });

  test('names only checks that exist, and every check proves a requirement', () => {
    const requirements = parseContract(lesson);
    const named = new Set(requirements.flatMap((requirement) => requirement.checks));
    expect([...named].filter((id) => !checkIds.includes(id)), 'checks named in the contract that check.ts lacks').toEqual([]);
    expect(checkIds.filter((id) => !named.has(id)), 'checks that prove no requirement of the contract').toEqual([]);
  });
});

test('a contract item in another form is refused with the form it should have', () => {
  const lesson = '# Step 99 · x\n\n## What the checker proves\n\n- R1 the server runs (did-start)\n\n## Common mistakes\n';
  expect(() => parseContract(lesson)).toThrow(ContractFormatError);
  expect(() => parseContract(lesson)).toThrow(/is not "\*\*R1\*\* what is required\. _\(check-id, …\)_"/);
});

test('an item may run over several lines', () => {
  const lesson = '# Step 99 · x\n\n## What the checker proves\n\nIntro.\n\n- **R1** The server\n  runs. _(started, still-up)_\n- **R2** It answers. _(answers)_\n';
  expect(parseContract(lesson)).toEqual([
    { id: 'R1', text: 'The server runs.', checks: ['started', 'still-up'] },
    { id: 'R2', text: 'It answers.', checks: ['answers'] },
  ]);
});
