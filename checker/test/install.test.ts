// What a learner's `npm install` and a class's cloud environment rely on: installing only unpacks
// packages (nothing compiles, nothing downloads), the Node.js versions named agree everywhere, and
// the dev container is built on the very setup script CI runs.
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/run-kit.ts';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { hasInstallScript?: boolean }> };

/** Packages whose install script only checks or speeds up what already works without it. */
const runsWithoutItsScript = new Set(['esbuild']);

test('installing runs no script of any dependency: .npmrc turns them off, and none needs one', () => {
  expect(read('.npmrc')).toMatch(/^ignore-scripts=true$/m);
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.replace(/^.*node_modules\//, ''));
  expect(withScripts.filter((name) => !runsWithoutItsScript.has(name)), 'a dependency with an install script (a native module?)').toEqual([]);
  // npm 11 warns about, and npm 12 blocks, a script not listed: each is listed as not needed.
  for (const name of withScripts) expect(manifest.allowScripts?.[name], `allowScripts.${name}`).toBe(false);
});

test('the oldest Node.js accepted is one major, and the types are of that major, so no API of a newer one creeps in', () => {
  const oldest = /^>=(\d+)\.(\d+)$/.exec(manifest.engines.node);
  expect(oldest, 'engines.node is a ">=major.minor" range, which kit.js and the doctor read').not.toBeNull();
  expect(manifest.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${oldest![1]}\\.`));
});

test('CI tests the Node.js versions the README names, the oldest accepted among them', () => {
  const run = read('.ci/run');
  const full = /node-from-registry (\d+)\)/.exec(run)?.[1];
  const smoke = /\.ci\/smoke ([\d. ]+)$/m.exec(run)?.[1]?.trim().split(' ');
  expect(full).toBeDefined();
  expect(smoke).toContain(/>=(\d+\.\d+)/.exec(manifest.engines.node)![1]);
  const readme = read('README.md');
  for (const version of [full!, ...smoke!]) expect(readme, `README.md names Node.js ${version}`).toContain(version);
});

test('the dev container runs the setup script CI runs, on the Node.js CI tests in full, with the kit’s ports forwarded', () => {
  // devcontainer.json allows comments: only whole-line ones are used.
  const container = JSON.parse(read('.devcontainer/devcontainer.json').replace(/^\s*\/\/.*$/gm, '')) as {
    image: string;
    postCreateCommand: string;
    forwardPorts: number[];
    portsAttributes: Record<string, { label?: string }>;
  };
  const fullRun = /node-from-registry (\d+)\)/.exec(read('.ci/run'))![1];
  expect(container.image).toMatch(new RegExp(`:${fullRun}-`));
  expect(container.postCreateCommand).toBe('.ci/setup');
  expect(read('.ci/run')).toMatch(/^\.ci\/setup$/m);
  accessSync(join(repoRoot, '.ci/setup'), constants.X_OK);
  // The site's port (DOCS_PORT) and the learner's chat (PORT), each with a name in the ports list.
  expect(container.forwardPorts).toEqual([4000, 3000]);
  for (const port of container.forwardPorts) expect(container.portsAttributes[String(port)]?.label).toBeTruthy();
});
