// The site as a function from a URL path to an HTML page, rendered on first request and kept
// until its markdown file changes, in memory and on disk between starts (page-cache.ts). The
// server and the static build both use it.
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import { listPages, splitFrontMatter, type Page } from './content.ts';
import { renderHome } from './home.ts';
import { renderLayout } from './layout.ts';
import type { Render, RenderedMarkdown } from './markdown.ts';
import { openPageCache, unchanged, type CachedPage } from './page-cache.ts';
import { buildSearchIndex, splitSections } from './search-index.ts';

export interface Site {
  pages: Page[];
  /** The page at this path, or undefined when there is none. */
  render(path: string): Promise<string | undefined>;
  /** The search index of every page, as JSON; built again when a page changed. */
  searchIndex(): Promise<string>;
}

export async function createSite(): Promise<Site> {
  const pages = await listPages();
  const bySource = new Map(pages.filter((page) => page.source).map((page) => [page.source!, page]));
  const byPath = new Map(pages.map((page) => [page.path, page]));
  const cache = new Map<string, CachedPage>();
  // Every page's menu lists every page: a page kept on disk serves only the same list.
  const diskCache = openPageCache(JSON.stringify(pages.map((page) => [page.path, page.title, page.section, page.source])));

  /** A link in a markdown file, made to work on the site: README.md of a step → its lesson page. */
  const resolveLink = (href: string, source: string) => {
    if (/^[a-z]+:|^#|^\//i.test(href)) return href;
    const [file, hash] = href.split('#') as [string, string | undefined];
    const target = bySource.get(resolve(dirname(source), file));
    if (target) return `${target.path}${hash ? `#${hash}` : ''}`;
    // Any other file: left as written, and the link check (check-links.ts) reports it.
    return href;
  };

  // Loading the code highlighter takes a while, and only a page to render waits for it (not the
  // home page, nor a page kept on disk). It starts as soon as a page is found missing from the
  // disk, before anyone asks for it. A failure shows on those pages, not here.
  let renderer: Promise<Render> | undefined;
  const startRenderer = () => {
    // Imported only now: markdown-it and the highlighter are not even loaded while every page comes from the disk.
    renderer ??= import('./markdown.ts').then(({ createRenderer }) => createRenderer(resolveLink));
    renderer.catch(() => {});
    return renderer;
  };
  const render = async (body: string, source: string) => (await startRenderer())(body, source);
  const fromDisk = Promise.all(
    pages
      .filter((page) => page.source)
      .map(async (page) => {
        const kept = await diskCache.read(page.path);
        if (kept) cache.set(page.path, kept);
        else void startRenderer();
      }),
  );

  const renderSource = async (page: Page): Promise<string> => {
    const source = page.source!;
    await fromDisk;
    const cached = cache.get(page.path);
    if (cached && (await unchanged(cached.files))) return cached.html;
    const { mtimeMs } = await stat(source);
    const { body } = splitFrontMatter(await readFile(source, 'utf8'), relative(repoRoot, source));
    const rendered: RenderedMarkdown = await render(body, source);
    const files = new Map([[source, mtimeMs]]);
    for (const file of rendered.dependencies) files.set(file, (await stat(file)).mtimeMs);
    const editPath = relative(repoRoot, source).split(sep).join('/');
    const html = renderLayout({
      page,
      pages,
      body: `${rendered.html}<p class="source-note">This page is <code>${editPath}</code> in your copy of the kit.</p>`,
      headings: rendered.headings,
      labs: rendered.labs,
      codeCss: rendered.codeCss,
    });
    cache.set(page.path, { files, html });
    await diskCache.write(page.path, { files, html });
    return html;
  };

  // A page asked for while it is being rendered (by a reader, or by the server rendering every page
  // ahead) is rendered once, for both.
  const inFlight = new Map<string, Promise<string>>();
  const render_ = async (path: string) => {
    const page = byPath.get(path);
    if (!page) return undefined;
    if (!page.source) return renderLayout({ page, pages, body: renderHome(pages), headings: [] });
    let rendering = inFlight.get(path);
    if (!rendering) {
      rendering = renderSource(page).finally(() => inFlight.delete(path));
      inFlight.set(path, rendering);
    }
    return rendering;
  };

  let index: { pages: string[]; json: string } | undefined;
  const searchIndex = async () => {
    const rendered = await Promise.all(pages.map(async (page) => (await render_(page.path))!));
    if (index && rendered.every((html, i) => html === index!.pages[i])) return index.json;
    // The home page only repeats the other pages' titles: hits there would lead nowhere new.
    const sections = pages.flatMap((page, i) => page.section === 'home' ? [] : splitSections(page, /<article>([\s\S]*)<\/article>/.exec(rendered[i]!)?.[1] ?? ''));
    index = { pages: rendered, json: buildSearchIndex(sections) };
    return index.json;
  };

  return { pages, render: render_, searchIndex };
}
