// A TypeScript file as JavaScript, for the learner's processes (typescript-hooks.js): compiled by
// esbuild (types removed, nothing else changed) and kept in node_modules/.cache by its contents.
// A check starts the learner's code several times, each process once read some ten TypeScript
// files (the checker's preloads, the learner's), and esbuild, started for each, cost about a
// quarter of a start; now only a file never seen before starts it.
// Plain JavaScript: it is what makes TypeScript loadable.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/chat-workshop-kit/typescript/', import.meta.url));
const options = { loader: 'ts', format: 'esm', target: 'node22' };
/** Beyond this many files, a new one makes room by removing the older half. */
const maxEntries = 2000;

let version;
/** What else decides the output: esbuild's version and its options. */
function compilerVersion() {
  version ??= JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  return version;
}

/** The JavaScript for the TypeScript `source` of the file at `path`. Throws esbuild's error, naming the path, when it does not compile. */
export function compiledTypeScript(path, source) {
  // By contents and file name only, not the folder: the copies of a step that the kit's tests
  // judge, each in a folder of its own, share one entry.
  const key = createHash('sha256')
    .update(`${compilerVersion()}\0${JSON.stringify(options)}\0${basename(path)}\0`)
    .update(source)
    .digest('hex');
  const file = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // Not compiled yet.
  }
  const code = compile(path, source);
  keep(file, code);
  return code;
}

function compile(path, source) {
  // Each compilation runs esbuild's program once and waits for it: its default for a synchronous
  // call, a worker thread kept for more, costs twice that to start, and a process compiles one
  // file or two it has not seen. The variable is read as esbuild loads, and taken off again: the
  // learner's code never sees it.
  const before = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  const esbuild = require('esbuild');
  if (before === undefined) delete process.env.ESBUILD_WORKER_THREADS;
  else process.env.ESBUILD_WORKER_THREADS = before;
  // Compiled with the full path, so that a syntax error names the file; the source map names the
  // file alone, which Node.js reads relative to the module's own URL, wherever it is.
  const { code, map } = esbuild.transformSync(source, { ...options, sourcemap: 'external', sourcefile: path });
  const portableMap = { ...JSON.parse(map), sources: [basename(path)] };
  return `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(portableMap)).toString('base64')}\n`;
}

function keep(file, code) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Renamed into place whole: a process started meanwhile never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
    makeRoom();
  } catch {
    // Where the kit may not write (another user's install, a read-only node_modules), it compiles each time.
  }
}

function makeRoom() {
  const names = readdirSync(cacheDir);
  if (names.length <= maxEntries) return;
  const byAge = names
    .map((name) => {
      try {
        return { name, mtimeMs: statSync(join(cacheDir, name)).mtimeMs };
      } catch {
        return { name, mtimeMs: 0 };
      }
    })
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { name } of byAge.slice(0, names.length - maxEntries / 2)) rmSync(join(cacheDir, name), { force: true });
}
