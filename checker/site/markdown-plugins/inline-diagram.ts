// `![what it shows](../diagrams/handshake.svg)` puts the SVG itself into the page rather than an
// <img>, so that its colours follow the site's theme variables. Only files of docs/diagrams/ are
// inlined: they are ours; any other image stays an ordinary <img>.
import { readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownIt } from 'markdown-it';
import type { IncludeEnv } from './include-code.ts';

export const diagramsDir = fileURLToPath(new URL('../../../docs/diagrams/', import.meta.url));

export function inlineDiagrams(md: MarkdownIt): void {
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const { source, dependencies } = env as unknown as IncludeEnv;
    const file = resolve(dirname(source), String(token.attrGet('src')));
    if (!file.startsWith(diagramsDir) || !file.endsWith('.svg') || file.slice(diagramsDir.length).includes(sep)) {
      return defaultImage(tokens, index, options, env, self);
    }
    dependencies.push(file);
    const label = md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
    const svg = readFileSync(file, 'utf8')
      .replace(/^<\?xml[^>]*>\s*/, '')
      .replace(/<svg\b/, `<svg role="img" aria-label="${label}"`);
    // Focusable, so that a keyboard can scroll it when a phone's screen is narrower than the drawing.
    return `<span class="diagram" tabindex="0">${svg}</span>`;
  };
}
