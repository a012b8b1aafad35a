// Every link between pages must lead to a page, every #anchor to a heading on that page, and
// every asset to a file: the static build fails otherwise, and so do the kit's tests.
export interface BrokenLink {
  from: string;
  href: string;
  why: string;
}

/** `pages` maps each page's path to its HTML; `assetExists` answers for /assets/… paths. */
export function findBrokenLinks(pages: Map<string, string>, assetExists: (path: string) => boolean): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const [from, html] of pages) {
    // A link the site could not turn into a page's path stays relative (`../concepts/gone.md`).
    for (const [, href] of html.matchAll(/href="([^"#/:][^":]*)"/g)) broken.push({ from, href: href!, why: 'no page for this file' });
    for (const [, href] of html.matchAll(/(?:href|src)="((?:\/|#)[^"]*)"/g)) {
      const [target, anchor] = href!.startsWith('#') ? [from, href!.slice(1)] : (href!.split('#') as [string, string | undefined]);
      if (target.startsWith('/assets/')) {
        if (!assetExists(target)) broken.push({ from, href: href!, why: 'no such asset' });
      } else if (!pages.has(target)) {
        broken.push({ from, href: href!, why: 'no such page' });
      } else if (anchor && !pages.get(target)!.includes(`id="${decodeURIComponent(anchor)}"`)) {
        broken.push({ from, href: href!, why: 'no heading with that anchor' });
      }
    }
  }
  return broken;
}
