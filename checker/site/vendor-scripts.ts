// Browser libraries the site serves from its own node_modules (nothing is fetched from a CDN),
// minified once by esbuild and kept in memory.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** URL path under /assets/vendor/ → the package's browser ES module. */
const vendorModules: Record<string, string> = {
  'minisearch.js': 'minisearch',
};

const cache = new Map<string, Promise<string>>();

export const vendorScriptNames = Object.keys(vendorModules);

/** The minified module for /assets/vendor/`name`, or undefined when there is none by that name. */
export function vendorScript(name: string): Promise<string> | undefined {
  const specifier = vendorModules[name];
  if (!specifier) return undefined;
  let script = cache.get(name);
  if (!script) {
    script = readFile(fileURLToPath(import.meta.resolve(specifier)), 'utf8').then(
      async (source) => (await transform(source, { minify: true, format: 'esm', target: 'es2020' })).code,
    );
    cache.set(name, script);
  }
  return script;
}
