// What to change, for errors that learners' code meets again and again: CommonJS written in the
// kit's ES modules (the official tutorial's code is CommonJS), and a server that cannot listen.
// Every explanation is read from the error itself, and from the learner's line it names when it
// names one; an error not listed here gets none, rather than a guess.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The line of code a location such as `steps/02-serve-html/index.ts:9:21` points at (relative
 * to `root`), trimmed; undefined for none, or for a line too long to quote (minified code).
 */
export function lineAt(location: string | undefined, root: string): string | undefined {
  const match = location && /^(.+?):(\d+)(?::\d+)?$/.exec(location);
  if (!match) return undefined;
  const line = readSource(join(root, match[1]!)).split(/\r?\n/)[Number(match[2]) - 1]?.trim();
  return line && line.length <= 160 ? line : undefined;
}

export interface ErrorContext {
  /** The learner's line the error points at, if it points at one. */
  codeLine?: string;
  /** The learner's file that was run (index.ts), to tell a host name given to listen() from one given to anything else. */
  source?: string;
}

/** A file's text, or '' if it cannot be read. */
export function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** One or two sentences on the cause and the fix, or undefined when the error is not one this knows. */
export function explainError(message: string, { codeLine, source }: ErrorContext = {}): string | undefined {
  return explainCommonJs(message, codeLine) ?? explainListenError(message, source);
}

// Spelt in parts: the kit's bundler (loader/compiled-kit.js) rewrites that expression wherever it is written whole.
const importMetaUrl = ['import', 'meta', 'url'].join('.');

const esModule = 'the files of this workshop are ES modules (its package.json says "type": "module")';

function explainCommonJs(message: string, codeLine?: string): string | undefined {
  const name = /\b(require|module|exports|__dirname|__filename) is not defined\b/.exec(message)?.[1];
  if (!name) return undefined;
  const shown = name === 'require' ? 'require()' : name === 'module' ? 'module.exports' : name;
  const what = codeLine ? `Your line \`${codeLine}\` uses ${shown}, which only CommonJS has` : `${shown} is CommonJS`;
  if (name === 'require') {
    const asImport = codeLine ? importFor(codeLine) : undefined;
    return `${what}, but ${esModule}: they load a module with import. ${asImport ? `Write \`${asImport}\` instead, and so for each require()` : "Write, e.g., `import express from 'express';`"}.`;
  }
  if (name === 'module' || name === 'exports') {
    return `${what}, but ${esModule}: they export with export, e.g. \`export default app;\` or \`export const port = 3000;\`.`;
  }
  const replacement = name === '__dirname' ? 'import.meta.dirname' : 'import.meta.filename';
  const rewritten = codeLine?.includes(name) ? `: \`${codeLine.replaceAll(name, replacement)}\`` : '';
  return (
    `${what}, but ${esModule}. Use ${replacement} instead${rewritten}; ` +
    `or build the path from the module's URL, \`fileURLToPath(new URL('./index.html', ${importMetaUrl}))\`, with \`import { fileURLToPath } from 'node:url';\`.`
  );
}

/** `const express = require('express');` → `import express from 'express';`; undefined for any other shape. */
function importFor(line: string): string | undefined {
  const match = /^(?:const|let|var)\s+(.+?)\s*=\s*require\(\s*(['"`])([^'"`]+)\2\s*\)\s*;?$/.exec(line);
  if (!match) return undefined;
  const [, binding, , specifier] = match;
  if (/^[\w$]+$/.test(binding!)) return `import ${binding} from '${specifier}';`;
  const names = /^\{([^{}]*)\}$/.exec(binding!)?.[1];
  if (names === undefined) return undefined;
  const imported = names
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => part.replace(/^([\w$]+)\s*:\s*([\w$]+)$/, '$1 as $2'));
  return `import { ${imported.join(', ')} } from '${specifier}';`;
}

function explainListenError(message: string, source = ''): string | undefined {
  const listen = /\blisten (E[A-Z]+): [^\n]*? (\S+?)(?::(\d+))?\s*$/.exec(message);
  const lookup = /\bgetaddrinfo (ENOTFOUND|EAI_AGAIN|EAI_NONAME) (\S+)/.exec(message);
  // A failed look-up says nothing of who asked for it: only a listen() call naming that host counts.
  const givenToListen = (host: string) => new RegExp(`\\.listen\\([^)]*['"\`]${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`).test(source);
  if (lookup && givenToListen(lookup[2]!)) {
    const withPort = /:\d+$/.test(lookup[2]!) ? ': a host name never holds the port, which listen() takes apart' : ', which does not resolve to an address of this machine';
    return `listen() was given the host name "${lookup[2]}"${withPort}. Leave the host out, \`server.listen(port, () => { … })\`, and your server takes connections on every address of this machine, localhost included.`;
  }
  if (!listen) return undefined;
  const [, code, host, port] = listen;
  const withoutHost = 'Leave the host out, `server.listen(port, () => { … })`: your server then takes connections on every address of this machine, localhost included (the checker gives it a free port of its own).';
  if (code === 'EADDRNOTAVAIL') {
    return `listen() was given the address ${host}, which this machine does not have (an address of another machine, or of this one on another network). ${withoutHost}`;
  }
  if (code === 'EACCES' && port !== undefined && Number(port) < 1024) {
    return `Port ${port} is below 1024, and only an administrator may listen there. Listen on port 3000, as the lesson does: \`const port = Number(process.env.PORT) || 3000;\`.`;
  }
  if (code === 'EADDRINUSE') {
    return `${port ? `Port ${port}` : 'The port'} is taken already: by another program (another \`npm run step\`?), or by your own code listening twice. Stop the other program, and call listen() once.`;
  }
  if (code === 'EINVAL' || code === 'EACCES') {
    return `listen() could not use the address ${host} (${code}). ${withoutHost}`;
  }
  return undefined;
}
