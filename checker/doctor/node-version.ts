// Is this Node.js the one package.json `engines.node` asks for? The range is a simple `>=x.y.z`,
// so it is compared by hand rather than with a semver library the kit would have to depend on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import type { Diagnosis } from './diagnosis.ts';

const name = 'Node.js';

async function readEnginesRange(): Promise<string | undefined> {
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  return manifest.engines?.node;
}

const parts = (version: string) => version.split('.').map((part) => Number(part) || 0);

/** a < b, comparing major.minor.patch. */
function isOlder(a: number[], b: number[]): boolean {
  for (let index = 0; index < 3; index += 1) {
    const [x = 0, y = 0] = [a[index], b[index]];
    if (x !== y) return x < y;
  }
  return false;
}

export async function diagnoseNodeVersion(version = process.versions.node, range?: string): Promise<Diagnosis> {
  const wanted = range ?? (await readEnginesRange());
  const minimum = wanted ? /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(wanted.trim())?.[1] : undefined;
  if (!wanted || !minimum) {
    return { name, status: 'warn', summary: `${version}; the kit's package.json asks for "${wanted ?? 'nothing'}", which the doctor cannot compare` };
  }
  if (isOlder(parts(version), parts(minimum))) {
    return {
      name,
      status: 'fail',
      summary: `${version} is too old: the workshop needs Node.js ${minimum} or newer`,
      fix: 'Install a current LTS release from https://nodejs.org, open a new terminal, then run `npm run doctor` again.',
    };
  }
  return { name, status: 'ok', summary: `${version}, the workshop needs ${minimum} or newer` };
}
