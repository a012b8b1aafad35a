// The one entry point of every kit command (`npm start`, `npm run step`, `npm run check`…).
// Plain JavaScript: the version check comes first, so that a Node.js too old for the rest gets
// one friendly line instead of a cryptic crash.
import './require-node-version.js';
import './compile-cache.js';

const command = process.argv[2];
import('./loader/compiled-kit.js')
  .then(({ importKit }) => importKit())
  .then(({ runCommand }) => runCommand(command, process.argv.slice(3)));
