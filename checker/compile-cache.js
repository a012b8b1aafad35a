// V8's compiled code for every module the kit loads, kept on disk between commands (Node.js's
// module compile cache, in its default folder unless NODE_COMPILE_CACHE names another): each
// `npm run check` loads vitest, playwright and the checks again, and compiling them anew took
// about a tenth of a check of step 06. Named in the environment, so that the processes and worker
// threads the kit starts use it too. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import module from 'node:module';

const enabled = module.enableCompileCache?.();
if (enabled?.directory) process.env.NODE_COMPILE_CACHE ??= enabled.directory;
