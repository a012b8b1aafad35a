// Module hooks that let Node.js run TypeScript: `.ts` files are compiled (compiled-typescript.js);
// every other module is left to Node. tsx does the same and more, but runs its hooks for every
// module, which made each check start 0.4 s slower. Written to serve as synchronous hooks and as
// asynchronous ones alike (register.js picks). Plain JavaScript: it is what makes TypeScript loadable.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compiledTypeScript } from './compiled-typescript.js';

const isRelative = (specifier) => specifier.startsWith('./') || specifier.startsWith('../');
const typescriptFile = /^file:[^?#]*\.m?ts(?:[?#]|$)/;

export function resolve(specifier, context, nextResolve) {
  // TypeScript lets `import './events.js'` mean events.ts: honour it, as tsc and tsx do.
  if (isRelative(specifier) && specifier.endsWith('.js') && typescriptFile.test(context.parentURL ?? '')) {
    const asTs = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(asTs)) {
      return { url: asTs.href, shortCircuit: true, format: 'module' };
    }
  }
  return nextResolve(specifier, context);
}

export function load(url, context, nextLoad) {
  if (!typescriptFile.test(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return { format: 'module', source: compiledTypeScript(path, readFileSync(path, 'utf8')), shortCircuit: true };
}
