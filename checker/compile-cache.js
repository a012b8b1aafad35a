// V8's compiled code for every module a kit command loads, kept on disk between commands
// (Node.js's module compile cache, in its default folder unless NODE_COMPILE_CACHE names another):
// `npm run check` loads vitest, playwright and the checks anew each time, and compiling them took
// about a tenth of a check of step 06. Named in the environment, so that the processes and worker
// threads the command starts use it too. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
//
// Not for the commands that keep a judge warm (`npm start`, `npm run watch`): their judgements
// load nothing on the way to a verdict, and each vitest worker that has the cache writes it as it
// ends, after every judgement (step 06 in watch, measured in turns: 0.05-0.09 s slower with it).
import module from 'node:module';

const keepsJudgeWarm = ['start', 'watch'].includes(process.argv[2]);
if (keepsJudgeWarm) {
  // Inherited from another kit command (the bench, the kit's tests), not chosen by the user.
  if (process.env.WORKSHOP_COMPILE_CACHE === '1') {
    delete process.env.NODE_COMPILE_CACHE;
    delete process.env.WORKSHOP_COMPILE_CACHE;
  }
} else if (process.env.NODE_COMPILE_CACHE === undefined) {
  const enabled = module.enableCompileCache?.();
  if (enabled?.directory) {
    process.env.NODE_COMPILE_CACHE = enabled.directory;
    process.env.WORKSHOP_COMPILE_CACHE = '1';
  }
}
