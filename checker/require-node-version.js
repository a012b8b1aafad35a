// Stops at once, with one friendly line, on a Node.js older than package.json's `engines.node`
// (a `>=x.y` range, read here so that the kit, `npm run doctor` and npm's own warning all name the
// same version). Plain JavaScript that even an old Node.js can parse, run before anything else:
// imported first by kit.js, and run alone by .ci/setup before it installs anything.
import { readFileSync } from 'node:fs';

const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const minimum = /(\d+)\.(\d+)/.exec(range).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < minimum[0] || (major === minimum[0] && minor < minimum[1])) {
  console.error(
    'This workshop needs Node.js ' + minimum.join('.') + ' or newer, and this is Node.js ' + process.versions.node +
      ': install a current LTS release from https://nodejs.org, then run the command again.',
  );
  process.exit(1);
}
