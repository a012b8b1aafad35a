// `node --import ./checker/loader/register.js file.ts` runs a TypeScript file (see typescript-hooks.js).
import module from 'node:module';

process.setSourceMapsEnabled(true);
if (synchronousHooksWork(process.versions.node)) {
  const { resolve, load } = await import('./typescript-hooks.js');
  module.registerHooks({ resolve, load });
} else {
  // Hooks in a thread of their own, which costs the process about 30 ms of CPU more to start.
  module.register('./typescript-hooks.js', import.meta.url);
}

/**
 * Synchronous hooks (module.registerHooks, Node.js 22.15 and later) run in the process's own
 * thread. Before these versions they broke a CommonJS library imported from ESM (`import express
 * from 'express'` threw "request for './index.js' is not in cache"): each was tried, the newest
 * that failed were 22.22.2, 24.11.0 and 25.0.0.
 */
function synchronousHooksWork(version) {
  const [major, minor, patch] = version.split('.').map(Number);
  const atLeast = (wantedMinor, wantedPatch) => minor > wantedMinor || (minor === wantedMinor && patch >= wantedPatch);
  if (major === 22) return atLeast(22, 3);
  if (major === 24) return atLeast(11, 1);
  if (major === 25) return atLeast(1, 0);
  return major > 25;
}
