// The one entry point of every kit command (`npm start`, `npm run step`, `npm run check`…).
// This file is plain JavaScript that even an old Node.js can parse, so that on a version
// that is too old the learner gets one friendly line instead of a cryptic crash.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    'This workshop needs Node.js 20.19 or newer, and this is Node.js ' + process.versions.node +
      ': install a current LTS release from https://nodejs.org, then run the command again.',
  );
  process.exit(1);
}

const command = process.argv[2];
import('./loader/compiled-kit.js')
  .then(({ importKit }) => importKit())
  .then(({ runCommand }) => runCommand(command, process.argv.slice(3)));
