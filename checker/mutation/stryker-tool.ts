// Stryker, the mutation-testing tool behind `npm run check N -- --mutants`, is for the course's
// authors: a learner never needs it, so it is not one of the kit's dependencies (it would add some
// 180 packages to every learner's install). It is installed once, on first use, into a cache
// folder of its own, at a pinned version, without install scripts (as the kit's own .npmrc asks).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnNpm } from '../commands/spawn-npm.ts';
import { track } from '../processes/child-processes.ts';

export const strykerVersion = '10.1.1';

function toolDir(): string {
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'realtime-chat-workshop', `stryker-${strykerVersion}`);
}

/** The path of Stryker's command-line script, installed first if it is not there yet. */
export async function strykerBin(): Promise<string> {
  const dir = toolDir();
  const bin = join(dir, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  if (existsSync(bin)) return bin;
  console.log(`Installing Stryker ${strykerVersion} once, for mutation testing, into ${dir} …`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const npm = spawnNpm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error', `@stryker-mutator/core@${strykerVersion}`], { cwd: dir, stdio: 'inherit' });
  track(npm);
  const code = await new Promise<number | null>((resolve) => npm.once('exit', resolve));
  if (code !== 0 || !existsSync(bin)) throw new Error(`npm could not install @stryker-mutator/core@${strykerVersion} into ${dir} (exit code ${code}): is the npm registry reachable?`);
  return bin;
}
