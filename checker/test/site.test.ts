// The workshop site: `npm start` serves every lesson, rendered from the step's README, with
// working links, no way out of the site, and pages that load cleanly in Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import { listPages, PageSourceError, splitFrontMatter } from '../site/content.ts';
import { createRenderer } from '../site/markdown.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';
import { findBrokenLinks } from '../site/check-links.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const sitePages = await listPages();
let site: ChildProcess;
let base = '';
let startMs = 0;

beforeAll(async () => {
  const started = performance.now();
  site = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    site.stdout!.on('data', (data) => {
      output += data;
      const url = /open at (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (url) {
        base = url;
        resolve();
      }
    });
    site.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
  });
  startMs = performance.now() - started;
});

afterAll(async () => {
  const exited = once(site, 'exit');
  site.kill('SIGINT');
  await exited;
});

const get = async (path: string) => {
  const response = await fetch(base + path, { redirect: 'manual' });
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
};

// Under 1 s on a quiet machine; the bound only catches a start gone wrong, not a busy machine.
test('npm start serves the home page within 10 s, listing every step in order', async () => {
  expect(startMs).toBeLessThan(10_000);
  const home = await get('/');
  expect(home.status).toBe(200);
  const steps = (await listPages()).filter((page) => page.section === 'steps');
  const positions = steps.map((page) => home.body.indexOf(`href="${page.path}"`));
  expect(positions.every((position) => position > 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test('each lesson is rendered from its README: headings with anchors, code highlighted on the server', async () => {
  const page = await get('/steps/03-connect/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('<h1 id="step-03-connect-with-socketio"');
  expect(page.body).toMatch(/<h3 id="say-goodbye"/);
  expect(page.body).toMatch(/<pre class="shiki[^"]*"/);
  // Each token's colours are a class, defined once in the page: not the same style on every token.
  expect(page.body).toMatch(/<style>[^<]*--shiki-dark[^<]*<\/style>/);
  expect(page.body).not.toMatch(/<span style=/);
  expect(await get('/steps/03-connect')).toMatchObject({ status: 301, location: '/steps/03-connect/' });
});

test('every link between pages leads to a page, and every #anchor to a heading on it', async () => {
  const pages = new Map<string, string>();
  for (const page of await listPages()) pages.set(page.path, (await get(page.path)).body);
  const assets = new Set<string>();
  for (const html of pages.values()) for (const [, path] of html.matchAll(/(?:href|src)="(\/assets\/[^"#]*)"/g)) assets.add(path!);
  const served = new Set<string>();
  for (const path of assets) if ((await get(path)).status === 200) served.add(path);
  expect(findBrokenLinks(pages, (path) => served.has(path))).toEqual([]);
});

test('the link check catches a link to no page, to no anchor, to no asset and to a file that is not a page', () => {
  const pages = new Map([
    ['/', '<h2 id="here">Here</h2><a href="/nowhere/">x</a><a href="#there">y</a><a href="/a/#here">z</a><script src="/assets/gone.js"></script><a href="../concepts/gone.md">w</a><a href="https://example.com/a.md">fine</a>'],
    ['/a/', '<h2 id="elsewhere">Elsewhere</h2>'],
  ]);
  expect(findBrokenLinks(pages, () => false).map((link) => link.why)).toEqual([
    'no page for this file',
    'no such page',
    'no heading with that anchor',
    'no heading with that anchor',
    'no such asset',
  ]);
});

// About 2 s on a quiet 2-core machine; 4 to 6 s while other test files run beside it. The bound
// catches a build gone wrong (a page rendered again and again), not a busy machine.
test('npm run docs:build writes every page and its assets to dist/, within 20 s', async () => {
  const run = await runKit(['docs:build']);
  expect(run.output).toMatch(/✔ \d+ pages written to dist\/ in [\d.]+ s; every link checked\./);
  expect(run.code).toBe(0);
  expect(run.ms).toBeLessThan(20_000);
  for (const { path } of await listPages()) expect(existsSync(join(repoRoot, 'dist', path, 'index.html')), path).toBe(true);
  expect(existsSync(join(repoRoot, 'dist', 'assets', 'site.css'))).toBe(true);
});

describe('paths that try to leave the site never reveal a file', () => {
  test.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/assets/../../../package.json',
    '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/..%5c..%5c..%5cpackage.json',
    '/steps/01-hello-express/index.ts',
    '/assets/.hidden',
  ])('%s', async (path) => {
    const response = await fetch(base + path);
    const body = await response.text();
    expect(response.status).toBe(404);
    expect(body).not.toContain('"devDependencies"');
    expect(body).toContain('There is no page here');
  });
});

test('a page whose front matter is not valid YAML is named, with what to fix', () => {
  expect(splitFrontMatter('---\ntitle: Frames\norder: 5\n---\n# Frames\n', 'docs/concepts/ok.md').data).toEqual({ title: 'Frames', order: 5 });
  const broken = () => splitFrontMatter('---\ntitle: Frames\ndescription: What: a frame\n---\n', 'docs/concepts/frames.md');
  expect(broken).toThrow(PageSourceError);
  expect(broken).toThrow(/^The front matter of docs\/concepts\/frames\.md is not valid YAML \(line 3 of the file\): put quotes around/);
});

test('raw HTML in markdown is shown as text, never run', async () => {
  const render = await createRenderer((href) => href);
  const { html } = render('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>', 'page.md');
  expect(html).not.toMatch(/<script|<img/);
  expect(html).toContain('&lt;script&gt;');
});

/** The rules of axe-core that read colours: in a theme that changes colours only, the ones whose verdict can change. */
const colourRules = ['color-contrast', 'link-in-text-block'];

test('the dark theme changes colours only, so that axe checks it with the rules that read colours', () => {
  const assets = join(repoRoot, 'checker', 'site', 'assets');
  const sheets = readdirSync(assets, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.css'));
  const colourProperty = /^(--[\w-]+|color|color-scheme|background-color|border(-\w+)?-color|outline-color|fill|stroke)$/;
  const colourValue = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([^;]*\)|var\(--[\w-]+\)|light|dark|transparent|currentcolor)$/i;
  let darkRules = 0;
  const notColours: string[] = [];
  for (const sheet of sheets) {
    const css = readFileSync(join(assets, sheet), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    // A dark theme chosen by a media query would sit in a block this reading does not take apart.
    expect(css, sheet).not.toMatch(/@media[^{]*dark/);
    for (const [, selector, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      if (!selector!.includes('dark')) continue;
      darkRules += 1;
      for (const declaration of body!.split(';').map((each) => each.trim()).filter(Boolean)) {
        const [property = '', ...value] = declaration.split(':');
        if (!colourProperty.test(property.trim()) || !colourValue.test(value.join(':').trim())) notColours.push(`${sheet}: ${selector!.trim()} { ${declaration} }`);
      }
    }
  }
  expect(darkRules).toBeGreaterThan(0);
  expect(notColours).toEqual([]);
});

describe('in Chromium', () => {
  let browser: import('playwright-core').Browser | undefined;

  beforeAll(async () => {
    const executablePath = findBrowser();
    if (!executablePath) {
      expect(process.env['CI'], 'CI must have a browser').toBeFalsy();
      return;
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('every page loads without an error and without asking anything of another host; the theme switch works and is remembered', async () => {
    if (!browser) return;
    const page = await browser.newPage({ colorScheme: 'light' });
    const remote: string[] = [];
    // Offline means offline: no CDN, no remote font, no remote script.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === 'localhost' || url.protocol === 'data:') return route.continue();
      remote.push(url.href);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(`${page.url()}: ${message.text()}`));
    for (const { path } of await listPages()) await page.goto(base + path);
    expect(errors).toEqual([]);
    expect(remote).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.click('.theme-toggle');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.close();
  });

  test("code shows each theme's colours: a keyword in its own, plain text in the code's", async () => {
    if (!browser) return;
    const colours: Record<string, { keyword: string; plain: string }> = {};
    for (const theme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme: theme });
      await page.goto(`${base}/steps/03-connect/`);
      colours[theme] = await page.evaluate(() => {
        const keyword = [...document.querySelectorAll('pre.shiki .line span')].find((span) => span.textContent === 'const')!;
        return { keyword: getComputedStyle(keyword).color, plain: getComputedStyle(keyword.closest('.line')!).color };
      });
      await page.close();
    }
    // github-light-default and github-dark-default: their keyword colour, and their foreground.
    expect(colours).toEqual({
      light: { keyword: 'rgb(207, 34, 46)', plain: 'rgb(31, 35, 40)' },
      dark: { keyword: 'rgb(255, 123, 114)', plain: 'rgb(230, 237, 243)' },
    });
  });

  // One test per page, loaded once and judged in both themes: the 36 pages take 40 s and more on
  // a 2-core machine, too close to one test's budget. The dark theme changes colours only (the
  // test above holds the style sheets to that), so it is checked by the rules that read colours,
  // once the page is switched to it as its theme switch does (data-theme on <html>; the test of
  // the switch is above); every rule runs in the light theme. axe's minified build: the page
  // parses it in half the time of the full one.
  describe('axe-core finds no accessibility violation, in the light and the dark theme', () => {
    let page: import('playwright-core').Page | undefined;
    let axeSource = '';
    beforeAll(async () => {
      if (!browser) return;
      axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      page = await browser.newPage({ colorScheme: 'light' });
    });
    afterAll(async () => {
      await page?.close();
    });

    test.each(sitePages)('$path', async ({ path }) => {
      if (!page) return;
      await page.goto(base + path);
      // What scripts add must pass too: a lesson's live progress, a lab's controls.
      const added = { '/steps/': '.progress-panel', '/labs/socketio-lab/': '.sio-lab', '/labs/websocket-lab/': '#wsl-text' };
      for (const [prefix, selector] of Object.entries(added)) if (path.startsWith(prefix)) await page.locator(selector).first().waitFor();
      await page.addScriptTag({ content: axeSource });
      const violations: string[] = [];
      for (const [theme, rules] of [['light', undefined], ['dark', colourRules]] as const) {
        const found = await page.evaluate(
          async ({ theme, rules }) => {
            document.documentElement.dataset['theme'] = theme;
            const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
            // Only the violations are wanted: axe then skips describing every node that passed.
            const result = await axe.run(document, { resultTypes: ['violations'], ...(rules ? { runOnly: { type: 'rule', values: [...rules] } } : {}) });
            return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
          },
          { theme, rules },
        );
        violations.push(...found.map((violation) => `${theme} ${violation}`));
      }
      expect(violations.join('\n')).toBe('');
    });
  });

  test('search finds "handshake" from the keyboard and leads to the section', async () => {
    if (!browser) return;
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('/');
    await page.keyboard.type('handshake');
    const first = page.locator('#search-results a').first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/handshake/i);
    expect(await page.locator('#search-status').textContent()).toMatch(/^\d+ results?\.$/);
    await page.keyboard.press('ArrowDown');
    const href = await first.getAttribute('href');
    await Promise.all([page.waitForURL(`${base}${href}`), page.keyboard.press('Enter')]);
    expect(href).toMatch(/^\/docs\/[^#]*handshake/);
    await page.fill('#search-input', 'zzqxv');
    await page.locator('#search-results .no-hit').waitFor();
    await page.close();
  });

  test('on a phone, no page scrolls sideways, and the skip link is the first thing Tab reaches', async () => {
    if (!browser) return;
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const wide: string[] = [];
    for (const { path } of await listPages()) {
      await page.goto(base + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) wide.push(`${path} (${overflow} px too wide)`);
    }
    expect(wide.join('\n')).toBe('');
    await page.goto(`${base}/steps/01-hello-express/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content');
    await page.close();
  });
});
