// The site's figures for `npm run bench`: from `npm start` to the first page, a warm page on the
// server, the heaviest page's bytes (its HTML and the CSS and JS it loads; no images) and
// `npm run docs:build`.
import pc from 'picocolors';
import { listPages } from '../../docs/site/content.ts';
import { median, spawnNpm } from './spawn-npm.ts';

function npm(args: string[], env: NodeJS.ProcessEnv = {}) {
  // A process group of its own, so that stopping `npm start` stops the site under it too.
  return spawnNpm(args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'ignore'], detached: process.platform !== 'win32' });
}

/** Milliseconds from `npm start` to the home page's answer, and the site's address. */
async function timeStart(): Promise<{ ms: number; base: string; stop: () => Promise<void> }> {
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
  await (await fetch(`${base}/`)).text();
  const ms = performance.now() - started;
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  };
  return { ms, base, stop };
}

export async function benchSite(runs: number): Promise<void> {
  console.log(pc.bold(`\nThe site, median of ${runs} runs:`));
  const startTimes: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const { ms, base, stop } = await timeStart();
    startTimes.push(ms);
    if (index === runs - 1) {
      const paths = (await listPages()).map((page) => page.path);
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
    }
    await stop();
  }
  const start = median(startTimes) / 1000;
  console.log(`  npm start → first page             median ${start.toFixed(2)} s  ${start <= 1.5 ? pc.green('≤ 1.5 s goal') : pc.yellow('over the 1.5 s goal')}`);
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
