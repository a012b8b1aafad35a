// `npm run docs:build`: the site as static files in dist/, for any static host. It fails, naming
// each one, when a link leads to no page, no anchor or no asset.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { repoRoot } from '../course/steps.ts';
import { findBrokenLinks } from '../site/check-links.ts';
import { assetsDir } from '../site/server.ts';
import { createSite } from '../site/site.ts';
import { vendorScript, vendorScriptNames } from '../site/vendor-scripts.ts';

// A page that cannot be built throws a KitError naming the file: the kit's reporter says it in one sentence.
export async function run(): Promise<number> {
  const started = performance.now();
  const outDir = join(repoRoot, 'dist');
  const site = await createSite();
  const pages = new Map<string, string>();
  for (const page of site.pages) pages.set(page.path, (await site.render(page.path))!);

  const broken = findBrokenLinks(pages, (path) => existsSync(join(assetsDir, path.slice('/assets/'.length))));
  if (broken.length > 0) {
    console.error(pc.red(`✖ ${broken.length} broken link${broken.length === 1 ? '' : 's'}; nothing was written:`));
    for (const link of broken) console.error(`  ${link.from} → ${link.href} (${link.why})`);
    return 1;
  }

  rmSync(outDir, { recursive: true, force: true });
  for (const [path, html] of pages) {
    mkdirSync(join(outDir, path), { recursive: true });
    writeFileSync(join(outDir, path, 'index.html'), html);
  }
  cpSync(assetsDir, join(outDir, 'assets'), { recursive: true });
  mkdirSync(join(outDir, 'assets', 'vendor'), { recursive: true });
  for (const name of vendorScriptNames) writeFileSync(join(outDir, 'assets', 'vendor', name), (await vendorScript(name))!);
  writeFileSync(join(outDir, 'search-index.json'), await site.searchIndex());
  console.log(`${pc.green('✔')} ${pages.size} pages written to dist/ in ${((performance.now() - started) / 1000).toFixed(2)} s; every link checked.`);
  return 0;
}
