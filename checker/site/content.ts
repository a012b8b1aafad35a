// Every page of the workshop site, in course order: the home page, each step's lesson (read
// from steps/NN-slug/README.md, never copied), the concept pages of docs/concepts/, then the
// live labs of docs/labs/.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { listSteps, repoRoot } from '../course/steps.ts';
import { KitError } from '../errors/kit-error.ts';

export const conceptsDir = fileURLToPath(new URL('../../docs/concepts/', import.meta.url));
export const labsDir = fileURLToPath(new URL('../../docs/labs/', import.meta.url));

export interface Page {
  /** The URL path: `/`, `/steps/01-hello-express/`, `/docs/handshake/`. */
  path: string;
  title: string;
  /** Where its markdown lives; the home page has none. */
  source?: string;
  section: 'home' | 'steps' | 'concepts' | 'labs' | 'error';
  description?: string;
}

export interface FrontMatter {
  title?: string;
  order?: number;
  description?: string;
}

/** A page's source that cannot be read as a page: its message names the file and what to fix. */
export class PageSourceError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

/** Splits `---\nyaml\n---\n` from the top of a markdown file; `file` names it in errors. */
export function splitFrontMatter(markdown: string, file = 'a page'): { data: FrontMatter; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(markdown);
  if (!match) return { data: {}, body: markdown };
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new PageSourceError(
      `The front matter of ${file} is not valid YAML${line ? ` (line ${line + 1} of the file)` : ''}: put quotes around a value that contains ": " or starts with a special character.`,
    );
  }
  return { data: (data ?? {}) as FrontMatter, body: markdown.slice(match[0].length) };
}

export async function listPages(): Promise<Page[]> {
  const steps = await listSteps();
  const home: Page = { path: '/', title: 'Build a real-time chat', section: 'home' };
  const lessons = steps.map(
    (step): Page => ({ path: `/steps/${step.folder}/`, title: step.title, source: join(step.dir, 'README.md'), section: 'steps' }),
  );
  const concepts = await listMarkdownPages(conceptsDir, '/docs/', 'concepts');
  const labs = await listMarkdownPages(labsDir, '/labs/', 'labs');
  return [home, ...lessons, ...concepts, ...labs];
}

/** The markdown files of a folder as pages under `prefix`, sorted by their front matter's `order`. */
async function listMarkdownPages(dir: string, prefix: string, section: Page['section']): Promise<Page[]> {
  const files = (await readdir(dir).catch(() => [])).filter((file) => file.endsWith('.md'));
  const pages = await Promise.all(
    files.map(async (file) => {
      const source = join(dir, file);
      const { data } = splitFrontMatter(await readFile(source, 'utf8'), relative(repoRoot, source));
      const page: Page = { path: `${prefix}${file.replace(/\.md$/, '')}/`, title: data.title ?? file, source, section, description: data.description };
      return { page, order: data.order ?? Number.MAX_SAFE_INTEGER };
    }),
  );
  return pages.sort((a, b) => a.order - b.order || a.page.title.localeCompare(b.page.title)).map(({ page }) => page);
}
