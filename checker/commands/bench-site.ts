// The site's figures for `npm run bench`: from `npm start` to the first page, a warm page on the
// server, the heaviest page's bytes (its HTML and the CSS and JS it loads; no images) and
// `npm run docs:build`.
import { statSync } from 'node:fs';
import pc from 'picocolors';
import { listPages } from '../site/content.ts';
import { median, spawnNpm } from './spawn-npm.ts';

function npm(args: string[], env: NodeJS.ProcessEnv = {}) {
  // A process group of its own, so that stopping `npm start` stops the site under it too.
  return spawnNpm(args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'ignore'], detached: process.platform !== 'win32' });
}

/**
 * Milliseconds from `npm start` to the answer for `path`, asked `afterMs` after the site printed
 * its address (0: as soon as it listens), and the site's address.
 */
async function timeStart(path = '/', afterMs = 0): Promise<{ ms: number; base: string; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = npm(['run', '-s', 'start'], { DOCS_PORT: '0' });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (data) => {
      output += data;
      const url = /(http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
  });
  if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
  const response = await fetch(`${base}${path}`);
  await response.text();
  if (!response.ok) throw new Error(`the site answered ${path} with HTTP ${response.status}`);
  const ms = performance.now() - started;
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  };
  return { ms, base, stop };
}

/** The first page, whenever it is asked for: the home page and the longest lesson, at once and a moment later. */
async function benchFirstPages(runs: number, lessonPath: string): Promise<void> {
  const cases = [
    { label: 'npm start → home page, asked at once', path: '/', afterMs: 0 },
    { label: `npm start → ${lessonPath}, asked at once`, path: lessonPath, afterMs: 0 },
    { label: `npm start → ${lessonPath}, asked 0.5 s later`, path: lessonPath, afterMs: 500 },
  ];
  for (const { label, path, afterMs } of cases) {
    const times: number[] = [];
    for (let index = 0; index < runs; index += 1) {
      const { ms, stop } = await timeStart(path, afterMs);
      times.push(ms);
      await stop();
    }
    const seconds = median(times) / 1000;
    console.log(`  ${label.padEnd(52)} median ${seconds.toFixed(2)} s  ${seconds <= 1.5 ? pc.green('≤ 1.5 s goal') : pc.yellow('over the 1.5 s goal')}`);
  }
}

export async function benchSite(runs: number): Promise<void> {
  console.log(pc.bold(`\nThe site, median of ${runs} runs:`));
  const pages = await listPages();
  const paths = pages.map((page) => page.path);
  // The longest lesson has the most code to colour: the slowest page to render first.
  const longestLesson = pages.filter((page) => page.source).sort((a, b) => statSync(b.source!).size - statSync(a.source!).size)[0]!.path;
  {
    const { base, stop } = await timeStart();
    let heaviest = { path: '', bytes: 0 };
    const sizes = new Map<string, number>();
    const sizeOf = async (path: string) => {
      if (!sizes.has(path)) sizes.set(path, (await (await fetch(base + path)).arrayBuffer()).byteLength);
      return sizes.get(path)!;
    };
    for (const path of paths) {
      const html = await (await fetch(base + path)).text();
      // The page and the styles and scripts it loads at once (search's index loads on first use).
      const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((match) => match[1]!))];
      let bytes = Buffer.byteLength(html);
      for (const asset of assets) bytes += await sizeOf(asset);
      if (bytes > heaviest.bytes) heaviest = { path, bytes };
    }
    const warm: number[] = [];
    for (let request = 0; request < 50; request += 1) {
      const path = paths[request % paths.length]!;
      const sent = performance.now();
      await (await fetch(base + path)).arrayBuffer();
      warm.push(performance.now() - sent);
    }
    console.log(`  warm page, request to last byte   median ${median(warm).toFixed(2)} ms  ${median(warm) <= 5 ? pc.green('≤ 5 ms goal') : pc.yellow('over the 5 ms goal')}`);
    console.log(`  heaviest page with CSS and JS     ${(heaviest.bytes / 1024).toFixed(1)} KB (${heaviest.path})  ${heaviest.bytes <= 100 * 1024 ? pc.green('≤ 100 KB goal') : pc.yellow('over the 100 KB goal')}`);
    await stop();
  }
  await benchFirstPages(runs, longestLesson);
  const buildTimes: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    const child = npm(['run', '-s', 'docs:build']);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error('npm run docs:build failed: run it to see why');
    buildTimes.push(performance.now() - started);
  }
  const build = median(buildTimes) / 1000;
  console.log(`  npm run docs:build                 median ${build.toFixed(2)} s  ${build <= 3 ? pc.green('≤ 3 s goal') : pc.yellow('over the 3 s goal')}`);
}
