// The thread side of kept-thread-pool.ts: vitest's own thread worker (vitest/dist/workers/threads.js,
// from the parts vitest/worker offers to custom pools), but one that outlives a run. When vitest
// has ended its part after a run ("stop"), it listens again for the next run's "start", with what
// it loaded (playwright, its connection to the browser) still there.
// Plain JavaScript: vitest starts it as a thread of its own, where the kit's TypeScript does not load.
import { parentPort, workerData } from 'node:worker_threads';

// A thread started ahead of vitest (kept-thread-pool.ts's startAhead) loads the libraries the checks
// will import first, while vitest still loads in the main thread. One that fails to load here is
// left for the check that imports it to report.
for (const name of workerData?.preload ?? []) await import(name).catch(() => {});

const { init, runBaseTests, setupEnvironment } = await import('vitest/worker');

/** The modules vitest ran in this thread, shared by its runs (vitest's own, with `isolate: false`). */
let ranModules;

function listenForRuns() {
  init({
    post: (response) => parentPort.postMessage(response),
    on: (callback) => parentPort.on('message', callback),
    off: (callback) => parentPort.off('message', callback),
    teardown: () => {
      parentPort.removeAllListeners('message');
      listenForRuns();
    },
    runTests: async (state, traces) => {
      // Each run evaluates the checks' modules anew, as in a new thread: nothing one judgement
      // left in them reaches the next. Only the libraries Node.js itself loaded stay.
      if (ranModules) forgetEvaluated(ranModules);
      try {
        await runBaseTests('run', state, traces);
      } finally {
        ranModules = state.evaluatedModules;
      }
    },
    collectTests: (state, traces) => runBaseTests('collect', state, traces),
    setup: setupEnvironment,
  });
}

/** What vitest does between the files of a run with `isolate: true` (resetModules), for every module but vitest's own. */
function forgetEvaluated(modules) {
  const vitestOwn = [/\/vitest\/dist\//, /vitest-virtual-\w+\/dist/, /@vitest\/dist/];
  modules.idToModuleMap.forEach((node, id) => {
    if (vitestOwn.some((pattern) => pattern.test(id))) return;
    node.promise = undefined;
    node.exports = undefined;
    node.evaluated = false;
    node.importers.clear();
  });
}

listenForRuns();
