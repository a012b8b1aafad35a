// Turns what a crashed learner process printed into one line a learner can act on:
// the error message and where it happened, as a path relative to the kit's folder.
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CrashReport {
  /** e.g. `TypeError: Cannot read properties of undefined (reading 'get')` */
  message?: string;
  /** e.g. `steps/01-hello-express/index.ts:7:5` */
  location?: string;
}

const locationPattern = /((?:file:\/\/)?(?:[A-Za-z]:)?[^\s():'"]+\.(?:ts|js|mjs|cjs|html)):(\d+)(?::(\d+))?/g;
const errorLinePattern = /^(?:\w*Error|Error \[\w+\]|\w+Exception)\b.*$/m;

export function readCrashReport(stderr: string, learnerDir: string, root: string): CrashReport {
  const lines = stderr.split(/\r?\n/);
  let location: string | undefined;
  for (const match of stderr.matchAll(locationPattern)) {
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (!file.startsWith(learnerDir) || file.includes(`${sep}node_modules${sep}`)) continue;
    location = `${relative(root, file).split(sep).join('/')}:${match[2]}${match[3] ? `:${match[3]}` : ''}`;
    break;
  }
  const errorLine = errorLinePattern.exec(stderr)?.[0];
  // esbuild's syntax errors come as "Transform failed with 1 error:" then "file:line:col: ERROR: what".
  const syntax = lines.find((line) => / ERROR: /.test(line));
  const message = syntax ? syntax.replace(/^.*? ERROR: /, 'SyntaxError: ') : errorLine;
  return { message: message?.trim(), location };
}
