// `::: lab websocket` … `:::` marks where a live lab goes. Its markdown is what a reader sees
// when the lab cannot run (the static copy in dist/ has no server); the lab's script, which the
// layout adds to the page, replaces it.
import type { MarkdownIt } from 'markdown-it';
import container from 'markdown-it-container';

export interface LabEnv {
  labs: string[];
}

export function labBlocks(md: MarkdownIt): void {
  md.use(container, 'lab', {
    validate: (info: string) => /^lab\s+[a-z][a-z0-9-]*$/.test(info.trim()),
    render: (tokens: { nesting: number; info: string }[], index: number, _options: unknown, env: LabEnv) => {
      const token = tokens[index]!;
      if (token.nesting !== 1) return '</section>\n';
      const name = token.info.trim().split(/\s+/)[1]!;
      if (!env.labs.includes(name)) env.labs.push(name);
      return `<section class="lab" data-lab="${name}">\n`;
    },
  });
}
