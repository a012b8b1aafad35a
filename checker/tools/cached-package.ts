// Tools for the course's authors that a learner never needs (Stryker for mutation testing, the
// yardstick of `npm run bench`) are not dependencies of the kit: each is installed once, on first
// use, into a cache folder of its own, at a pinned version, without install scripts (as the kit's
// own .npmrc asks).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnNpm } from '../commands/spawn-npm.ts';
import { track } from '../processes/child-processes.ts';

/** `~/.cache/realtime-chat-workshop/<name>` (or under $XDG_CACHE_HOME): a folder of the kit's own. */
export function cacheDir(name: string): string {
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'realtime-chat-workshop', name);
}

export interface CachedPackage {
  /** The folder it is installed in, e.g. cacheDir('stryker-10.1.1'). */
  dir: string;
  /** What npm installs, e.g. `@stryker-mutator/core@10.1.1`. */
  spec: string;
  /** A file of it, relative to `dir`, that exists once it is installed. */
  file: string;
  /** Why it is installed, said once: "for mutation testing". */
  purpose: string;
}

/** The absolute path of `file`, installing the package first if it is not there yet. */
export async function installedFile({ dir, spec, file, purpose }: CachedPackage): Promise<string> {
  const path = join(dir, file);
  if (existsSync(path)) return path;
  console.log(`Installing ${spec} once, ${purpose}, into ${dir} …`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const npm = spawnNpm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error', spec], { cwd: dir, stdio: 'inherit' });
  track(npm);
  const code = await new Promise<number | null>((resolve) => npm.once('exit', resolve));
  if (code !== 0 || !existsSync(path)) throw new Error(`npm could not install ${spec} into ${dir} (exit code ${code}): is the npm registry reachable?`);
  return path;
}
