// The HTML around every page: skip link, course menu, the page, "on this page", previous/next.
// The theme is set before the first paint (no flash), from the reader's choice or their system.
import type { Heading } from './markdown.ts';
import type { Page } from './content.ts';

export interface LayoutInput {
  page: Page;
  pages: Page[];
  body: string;
  headings: Heading[];
  /** Live labs on the page: each brings its script and styles from assets/labs/. */
  labs?: string[];
  /** The page's own style rules, for its highlighted code. */
  codeCss?: string;
}

export const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const themeScript = `(() => {
  const chosen = localStorage.getItem('theme');
  const dark = chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();`;

function menu(pages: Page[], current: Page): string {
  const link = (page: Page) =>
    `<li><a href="${page.path}"${page === current ? ' aria-current="page"' : ''}>${escape(page.title)}</a></li>`;
  const group = (label: string, section: Page['section']) => {
    const members = pages.filter((page) => page.section === section);
    return members.length ? `<h2>${label}</h2><ol>${members.map(link).join('')}</ol>` : '';
  };
  return `<nav id="course-menu" class="menu" aria-label="Course">
  <a class="home-link" href="/">Real-time chat workshop</a>
  ${group('Steps', 'steps')}
  ${group('Concepts', 'concepts')}
  ${group('Labs', 'labs')}
</nav>`;
}

function outline(headings: Heading[]): string {
  const items = headings.filter((heading) => heading.level === 2 || heading.level === 3);
  if (items.length < 2) return '';
  return `<nav class="outline" aria-label="On this page"><h2>On this page</h2><ul>${items
    .map((heading) => `<li class="level-${heading.level}"><a href="#${heading.id}">${escape(heading.text)}</a></li>`)
    .join('')}</ul></nav>`;
}

function previousNext(pages: Page[], page: Page): string {
  const index = pages.indexOf(page);
  if (index < 0) return '';
  const previous = index > 0 ? pages[index - 1] : undefined;
  const next = pages[index + 1];
  const link = (target: Page | undefined, rel: string, label: string) =>
    target ? `<a rel="${rel}" href="${target.path}"><span>${label}</span>${escape(target.title)}</a>` : '<span></span>';
  return `<nav class="pager" aria-label="Previous and next">${link(previous, 'prev', 'Previous')}${link(next, 'next', 'Next')}</nav>`;
}

export function renderLayout({ page, pages, body, headings, labs = [], codeCss = '' }: LayoutInput): string {
  const title = page.section === 'home' ? 'Real-time chat workshop' : `${page.title} · Real-time chat workshop`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
${page.description ? `<meta name="description" content="${escape(page.description)}">` : ''}
<script>${themeScript}</script>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/site.css">
${codeCss ? `<style>${codeCss}</style>` : ''}
<script src="/assets/site.js" defer></script>
${labs.map((lab) => `<link rel="stylesheet" href="/assets/labs/${lab}-lab.css">\n<script type="module" src="/assets/labs/${lab}-lab.js"></script>`).join('\n')}
</head>
<body${page.section === 'steps' ? ` data-step="${escape(page.path.split('/')[2] ?? '')}"` : ''}>
<a class="skip-link" href="#content">Skip to the content</a>
<header class="top">
  <a class="menu-link" href="#course-menu">Course menu</a>
  <div class="search" role="search">
    <label for="search-input" class="visually-hidden">Search the workshop</label>
    <input id="search-input" type="search" placeholder="Search (press /)" autocomplete="off" spellcheck="false" aria-controls="search-results">
    <p id="search-status" class="visually-hidden" aria-live="polite"></p>
    <ol id="search-results" class="search-results" hidden></ol>
  </div>
  <button type="button" class="theme-toggle" aria-label="Switch between light and dark theme">◐</button>
</header>
<div class="frame">
  ${menu(pages, page)}
  <main id="content" tabindex="-1">
    <article>${body}</article>
    ${page.section === 'home' ? '' : previousNext(pages, page)}
  </main>
  ${outline(headings)}
</div>
</body>
</html>
`;
}
