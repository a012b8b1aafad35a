// The site's search index, built on the server from the rendered pages: one document per section
// (a page's text up to its first heading, then each ## or ### heading and its text), so that a hit
// leads straight to the right part of a page. The browser loads it on first use, with no server.
import MiniSearch, { type Options } from 'minisearch';
import type { Page } from './content.ts';

export interface SectionDocument {
  /** The section's URL: the page's path plus its heading's #anchor. */
  id: string;
  page: string;
  heading: string;
  text: string;
  /** The start of the text, shown under a hit; the full text is indexed but not stored. */
  excerpt: string;
}

/** Shared by the server that builds the index and the browser that loads it. */
export const searchOptions: Options<SectionDocument> = {
  fields: ['page', 'heading', 'text'],
  storeFields: ['page', 'heading', 'excerpt'],
};

const excerptLength = 140;

const decodeEntities = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The visible text of a piece of our own rendered HTML: no diagrams, no copy buttons, spaces collapsed. */
export function visibleText(html: string): string {
  return decodeEntities(
    html
      .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
      // Inline tags join their text to its neighbours ("(<a>RFC 6455</a>)"); block tags separate it.
      .replace(/<\/?(?:a|code|em|strong|span|kbd)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts a page's article into sections at its h2 and h3 headings. */
export function splitSections(page: Page, articleHtml: string): SectionDocument[] {
  const parts = articleHtml.split(/(?=<h[23] id=")/);
  return parts
    .map((part, index) => {
      const heading = /^<h[23] id="([^"]+)"[^>]*>([\s\S]*?)<\/h[23]>/.exec(part);
      const body = heading ? part.slice(heading[0].length) : part.replace(/<h1[\s\S]*?<\/h1>/, '');
      const text = visibleText(body);
      return {
        id: heading && index > 0 ? `${page.path}#${heading[1]}` : page.path,
        page: page.title,
        heading: heading ? visibleText(heading[2]!) : '',
        text,
        excerpt: text.length > excerptLength ? `${text.slice(0, text.lastIndexOf(' ', excerptLength))}…` : text,
      };
    })
    .filter((section) => section.text || section.heading);
}

/** The serialized index: what /search-index.json answers. */
export function buildSearchIndex(sections: SectionDocument[]): string {
  const search = new MiniSearch<SectionDocument>(searchOptions);
  search.addAll(sections);
  return JSON.stringify({ options: { fields: searchOptions.fields, storeFields: searchOptions.storeFields }, index: search });
}
