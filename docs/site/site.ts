// The site as a function from a URL path to an HTML page, rendered on first request and kept
// until its markdown file changes. The server and the static build both use it.
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../../checker/course/steps.ts';
import { listPages, splitFrontMatter, type Page } from './content.ts';
import { renderHome } from './home.ts';
import { renderLayout } from './layout.ts';
import { createRenderer, type RenderedMarkdown } from './markdown.ts';

export interface Site {
  pages: Page[];
  /** The page at this path, or undefined when there is none. */
  render(path: string): Promise<string | undefined>;
}

export async function createSite(): Promise<Site> {
  const pages = await listPages();
  const bySource = new Map(pages.filter((page) => page.source).map((page) => [page.source!, page]));
  const byPath = new Map(pages.map((page) => [page.path, page]));
  const cache = new Map<string, { mtimeMs: number; html: string }>();

  /** A link in a markdown file, made to work on the site: README.md of a step → its lesson page. */
  const resolveLink = (href: string, source: string) => {
    if (/^[a-z]+:|^#|^\//i.test(href)) return href;
    const [file, hash] = href.split('#') as [string, string | undefined];
    const target = bySource.get(resolve(dirname(source), file));
    if (target) return `${target.path}${hash ? `#${hash}` : ''}`;
    // Any other file of the kit: shown as its path, which the reader finds in their copy.
    return href;
  };

  const render = await createRenderer(resolveLink);

  const renderSource = async (page: Page): Promise<string> => {
    const source = page.source!;
    const { mtimeMs } = await stat(source);
    const cached = cache.get(page.path);
    if (cached?.mtimeMs === mtimeMs) return cached.html;
    const { body } = splitFrontMatter(await readFile(source, 'utf8'));
    const rendered: RenderedMarkdown = render(body, source);
    const editPath = relative(repoRoot, source).split(sep).join('/');
    const html = renderLayout({
      page,
      pages,
      body: `${rendered.html}<p class="source-note">This page is <code>${editPath}</code> in your copy of the kit.</p>`,
      headings: rendered.headings,
    });
    cache.set(page.path, { mtimeMs, html });
    return html;
  };

  return {
    pages,
    async render(path) {
      const page = byPath.get(path);
      if (!page) return undefined;
      if (!page.source) return renderLayout({ page, pages, body: renderHome(pages), headings: [] });
      return renderSource(page);
    },
  };
}
