// Rendered pages kept on disk between starts of the site, so that `npm start` answers its first
// request without rendering (and without loading the code highlighter, most of a first render):
// only the first start after an edit of a page, or of the kit, renders it again. An entry holds
// the page's HTML and the modification times of every file it was made from; it serves only the
// same kit (its bundle) and the same list of pages (the menu of every page lists them all).
// Any entry that cannot be read or written is simply rendered again: the cache only saves time.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { repoRoot } from '../course/steps.ts';

export interface CachedPage {
  /** Each file the page was made from → its modification time then. */
  files: Map<string, number>;
  html: string;
}

interface PageEntry {
  key: string;
  files: [string, number][];
  html: string;
}

const cacheDir = join(repoRoot, 'node_modules', '.cache', 'chat-workshop-site');

/** True when none of these files changed since they were read (mtime as recorded). */
export async function unchanged(files: Map<string, number>): Promise<boolean> {
  for (const [file, mtimeMs] of files) {
    const now = await stat(file).catch(() => undefined);
    if (now?.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

export interface PageCache {
  /** The page as rendered before, if nothing it was made from has changed since. */
  read(path: string): Promise<CachedPage | undefined>;
  write(path: string, page: CachedPage): Promise<void>;
}

/**
 * `siteKey` names what every page depends on beside its own files: the list of pages. Without a
 * kit bundle to name the code that renders (the kit's modules run by a TypeScript loader, in its
 * tests), nothing is cached on disk.
 */
export function openPageCache(siteKey: string): PageCache {
  const bundle = process.env['WORKSHOP_KIT_BUNDLE'];
  if (!bundle) return { read: async () => undefined, write: async () => {} };
  const key = `${bundle}\0${siteKey}`;
  const fileOf = (path: string) => join(cacheDir, `${createHash('sha256').update(path).digest('hex').slice(0, 24)}.json`);
  return {
    async read(path) {
      try {
        const entry = JSON.parse(await readFile(fileOf(path), 'utf8')) as PageEntry;
        if (entry.key !== key) return undefined;
        const page = { files: new Map(entry.files), html: entry.html };
        return (await unchanged(page.files)) ? page : undefined;
      } catch {
        return undefined;
      }
    },
    async write(path, page) {
      const entry: PageEntry = { key, files: [...page.files], html: page.html };
      try {
        await mkdir(cacheDir, { recursive: true });
        await writeFileAtomic(fileOf(path), JSON.stringify(entry));
      } catch {
        // A read-only node_modules: the page is rendered at each start, as without a cache.
      }
    },
  };
}
