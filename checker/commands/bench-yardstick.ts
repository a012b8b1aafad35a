// The yardstick of `npm run bench`: a nodeschool workshopper verifying an Express hello world,
// `expressworks verify`, the closest peer of `npm run check`. Absolute times differ from machine to
// machine; timed in the same run, in turns with the kit's own commands, the ratios hold anywhere.
// It is installed once, on first use, into a cache folder: it is not a dependency of the kit.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killGroup, ownProcessGroup, track } from '../processes/child-processes.ts';
import { cacheDir, installedFile } from '../tools/cached-package.ts';

const spec = 'expressworks@3.4.3';
const dir = cacheDir('yardstick-expressworks-3.4.3');
/** Workshoppers keep which exercise is chosen in ~/.config: here, in a home of the yardstick's own. */
const home = join(dir, 'home');
const program = join(dir, 'hello.js');

/** Its exercise 1's solution, as a nodeschool learner writes it. */
const helloWorld = `const express = require('express');
const app = express();
app.get('/home', (req, res) => res.end('Hello World!'));
app.listen(process.argv[2]);
`;

function expressworks(script: string, args: string[]): Promise<number | null> {
  // A group of its own: `verify` runs the learner's program as a server of its own child, which a
  // kill of expressworks alone left running when it was stuck.
  const child = spawn(process.execPath, [script, ...args], { cwd: dir, env: { ...process.env, HOME: home, USERPROFILE: home }, stdio: 'ignore', ...ownProcessGroup });
  track(child);
  return new Promise((resolve, reject) => {
    // It ends by itself on its own solution within a few seconds; 20 s means it is stuck.
    const stuck = setTimeout(() => {
      killGroup(child);
      reject(new StuckError(`expressworks ${args[0]} did not end within 20 s, in ${dir}`));
    }, 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(stuck);
      resolve(code);
    });
  });
}

/** Installs the yardstick if need be and chooses its exercise; then each call of the result times one `expressworks verify`. */
export async function prepareYardstick(): Promise<() => Promise<number>> {
  const script = await installedFile({ dir, spec, file: 'node_modules/expressworks/expressworks.js', purpose: "as npm run bench's yardstick" });
  mkdirSync(home, { recursive: true });
  writeFileSync(program, helloWorld);
  if ((await expressworks(script, ['select', 'HELLO WORLD!'])) !== 0) throw new Error(`expressworks (in ${dir}) could not select its first exercise`);
  const timeOnce = async () => {
    const started = performance.now();
    const code = await expressworks(script, ['verify', program]);
    if (code !== 0) throw new Error(`expressworks verify failed on its own hello world (exit ${code}), in ${dir}: remove that folder to install it again`);
    return performance.now() - started;
  };
  return async () => {
    try {
      return await timeOnce();
    } catch (error) {
      // Now and then it never ends (seen once in many runs, its own server waiting for a request
      // that never came): that run is dropped and timed again, once.
      if (!(error instanceof StuckError)) throw error;
      console.log(`  (${error.message}: that run is left out, and timed again)`);
      return timeOnce();
    }
  };
}

class StuckError extends Error {}

/** "0.76×" */
export const ratio = (ms: number, yardstickMs: number) => `${(ms / yardstickMs).toFixed(2)}×`;
