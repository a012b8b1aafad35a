// `<<< solution/index.ts#connect` on a line of its own shows the lines of that file between
// `// #region connect` and `// #endregion` (or `<!-- #region … -->` in HTML), highlighted like any
// code block. Lessons show the code that the checks test, so they can never drift from it.
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { MarkdownIt } from 'markdown-it';
import { isRegionMarker, regionEnd, regionStart } from '../../course/reference-code.ts';
import { KitError } from '../../errors/kit-error.ts';

export interface IncludeEnv {
  source: string;
  /** Every file the page was built from, so that a change to any of them renders it again. */
  dependencies: string[];
}

const languageByExtension: Record<string, string> = { '.ts': 'ts', '.js': 'js', '.html': 'html', '.json': 'json', '.sh': 'sh' };

export class IncludeError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

/** The lines of `text` inside the region `name` (the whole text when there is no name), without any region markers. */
export function extractRegion(text: string, name: string | undefined, where: string): string {
  const lines = text.split('\n');
  let selected = lines;
  if (name) {
    const start = lines.findIndex((line) => regionStart.exec(line)?.[1] === name);
    if (start < 0) throw new IncludeError(`${where}: no "#region ${name}" in that file.`);
    let depth = 0;
    let end = start + 1;
    for (; end < lines.length; end++) {
      if (regionStart.test(lines[end]!)) depth++;
      else if (regionEnd.test(lines[end]!) && depth-- === 0) break;
    }
    if (end === lines.length) throw new IncludeError(`${where}: "#region ${name}" has no "#endregion".`);
    selected = lines.slice(start + 1, end);
  }
  // Indentation is kept as it is in the file: it tells where the lines go (inside which block).
  const kept = selected.filter((line) => !isRegionMarker(line));
  return kept.join('\n').replace(/\n+$/, '') + '\n';
}

export function includeCode(md: MarkdownIt): void {
  md.block.ruler.before('fence', 'include_code', (state, startLine, _endLine, silent) => {
    const start = state.bMarks[startLine]! + state.tShift[startLine]!;
    const line = state.src.slice(start, state.eMarks[startLine]);
    const match = /^<<<\s+(\S+?)(?:#([\w-]+))?\s*$/.exec(line);
    if (!match) return false;
    if (silent) return true;
    const env = state.env as unknown as IncludeEnv;
    const file = resolve(dirname(env.source), match[1]!);
    const where = `${env.source}: <<< ${match[1]}${match[2] ? `#${match[2]}` : ''}`;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new IncludeError(`${where}: that file does not exist.`);
    }
    env.dependencies.push(file);
    const token = state.push('fence', 'code', 0);
    token.info = languageByExtension[extname(file)] ?? 'text';
    token.content = extractRegion(text, match[2], where);
    token.markup = '```';
    token.map = [startLine, startLine + 1];
    state.line = startLine + 1;
    return true;
  });
}
