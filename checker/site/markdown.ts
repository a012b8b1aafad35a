// Markdown to HTML for the site: markdown-it with heading anchors, tip/warning blocks, code
// included from the steps' files, inline SVG diagrams, live labs, and code highlighted on the
// server by shiki (light and dark colours in one pass, as classes that the page's own <style>
// defines). Raw HTML in markdown is not rendered, so a page can never carry a script.
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import container from 'markdown-it-container';
import { createHighlighter, type Highlighter, type ShikiTransformer } from 'shiki';
import { transformerStyleToClass } from '@shikijs/transformers';
import { includeCode } from './markdown-plugins/include-code.ts';
import { inlineDiagrams } from './markdown-plugins/inline-diagram.ts';
import { labBlocks } from './markdown-plugins/lab-block.ts';
import { slugify } from '../course/slugify.ts';

export { slugify };

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  /** The files included in the page besides its own markdown: code regions, diagrams. */
  dependencies: string[];
  /** The live labs the page holds, by name. */
  labs: string[];
  /** The rules of the classes its highlighted code uses: the light and dark colour of each kind of token. */
  codeCss: string;
}

const languages = ['ts', 'js', 'html', 'sh', 'json', 'http'] as const;
let highlighter: Promise<Highlighter> | undefined;

function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: ['github-light-default', 'github-dark-default'], langs: [...languages] });
  return highlighter;
}

/**
 * A token in the code's own colours (`plainStyle`, which its <pre> sets) is left bare, out of any
 * span: the colours are custom properties, which it inherits. A third of a lesson's tokens are.
 */
function plainTokens(plain: { light: string; dark: string }): ShikiTransformer {
  const same = (colour: unknown, expected: string) => String(colour).toLowerCase() === expected.toLowerCase();
  return {
    name: 'plain-tokens',
    tokens(lines) {
      for (const token of lines.flat()) {
        const style = token.htmlStyle;
        if (style && Object.keys(style).length === 2 && same(style['--shiki-light'], plain.light) && same(style['--shiki-dark'], plain.dark)) delete token.htmlStyle;
      }
    },
    line(line) {
      line.children = line.children.flatMap((child) => (child.type === 'element' && child.tagName === 'span' && Object.keys(child.properties).length === 0 ? child.children : [child]));
    },
  };
}

/** Turns a link in the markdown file `source` into the URL of its page. */
export type LinkResolver = (href: string, source: string) => string;

export type Render = (markdown: string, source: string) => RenderedMarkdown;

export async function createRenderer(resolveLink: LinkResolver): Promise<Render> {
  const shiki = await loadHighlighter();
  // A class per pair of colours instead of the same style attribute on every token: a long
  // lesson's code came to 55 KB of repeated styles. Short names, from a hash of the colours.
  const colourClasses = transformerStyleToClass({ classPrefix: 'c' });
  const plainText = plainTokens({ light: shiki.getTheme('github-light-default').fg, dark: shiki.getTheme('github-dark-default').fg });
  const md = new MarkdownIt({
    html: false,
    linkify: false,
    typographer: false,
    highlight(code, language) {
      const lang = (languages as readonly string[]).includes(language) ? language : 'text';
      return shiki.codeToHtml(code, {
        lang,
        themes: { light: 'github-light-default', dark: 'github-dark-default' },
        defaultColor: false,
        // The light theme's comments reach only 4.3:1 on the code panel: darkened to pass WCAG AA (4.5:1).
        colorReplacements: { 'github-light-default': { '#6e7781': '#57606a' } },
        transformers: [plainText, colourClasses],
      });
    },
  });
  md.use(includeCode);
  md.use(inlineDiagrams);
  md.use(labBlocks);
  md.use(anchor, { slugify, permalink: anchor.permalink.headerLink({ safariReaderFix: true }) });
  for (const kind of ['tip', 'warning'] as const) {
    md.use(container, kind, {
      render: (tokens: { nesting: number; info: string }[], index: number) => {
        const token = tokens[index]!;
        if (token.nesting !== 1) return '</aside>\n';
        const title = token.info.trim().slice(kind.length).trim() || (kind === 'tip' ? 'Tip' : 'Watch out');
        return `<aside class="callout ${kind}"><p class="callout-title">${md.utils.escapeHtml(title)}</p>\n`;
      },
    });
  }
  // A wide table scrolls inside its own box on a phone, rather than widening the whole page.
  md.renderer.rules.table_open = () => '<div class="table-scroll" tabindex="0">\n<table>\n';
  md.renderer.rules.table_close = () => '</table>\n</div>\n';
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const href = token.attrGet('href');
    if (href) token.attrSet('href', resolveLink(String(href), (env as { source: string }).source));
    return defaultLinkOpen(tokens, index, options, env, self);
  };

  return (markdown, source) => {
    const env = { source, dependencies: [] as string[], labs: [] as string[] };
    // Rendering is synchronous: the classes registered from here on are this page's alone.
    colourClasses.clearRegistry();
    const tokens = md.parse(markdown, env);
    const headings: Heading[] = [];
    tokens.forEach((token, index) => {
      if (token.type !== 'heading_open') return;
      const id = token.attrGet('id')?.toString();
      const inline = tokens[index + 1];
      const text = inline?.children?.map((child) => child.content).join('') ?? inline?.content ?? '';
      if (id) headings.push({ level: Number(token.tag.slice(1)), id, text });
    });
    const html = md.renderer.render(tokens, md.options, env);
    return { html, headings, dependencies: env.dependencies, labs: env.labs, codeCss: colourClasses.getCSS() };
  };
}
